package org.confab.sip.transport.internal.mina;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.apache.mina.core.filterchain.DefaultIoFilterChainBuilder;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.service.IoAcceptor;
import org.apache.mina.core.service.IoService;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.confab.api.transport.TransportException;
import org.confab.sip.transport.internal.Inbound;
import org.confab.sip.transport.internal.ListenerSpec;
import org.confab.sip.transport.internal.Network;
import org.confab.sip.transport.internal.StackConfig;
import org.confab.sip.transport.internal.TransportFlow;
import org.confab.sip.transport.internal.udp.UdpListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sockets of the transport. TCP is MINA's: a NioSocketAcceptor per listener and one
 * NioSocketConnector for outbound connections, all with the same filter chain (ssl slot reserved
 * first, then the codec) and the same handler, which runs on MINA's I/O threads: it only parses,
 * matches transactions and hands new requests to the application executor, so an ordered
 * executor in between (STYLE §7) cost a thread hand-off per message and bought nothing; one
 * connection's messages stay in order because MINA reads a session on one thread. Every filter
 * costs each session an entry, a next-filter and a map node, so wire logging is done by the
 * handler and the flow (logger {@value #WIRE_LOGGER}) instead of a logging filter. UDP is a plain
 * {@link UdpListener} per listener: several receiver threads on one socket, no hand-off, no
 * per-datagram allocation of a read buffer (MINA's datagram acceptor cost more than the SIP work).
 */
public final class MinaNetwork implements Network {

    /** Connections opened and closed (DEBUG), messages received and sent (TRACE). */
    static final String WIRE_LOGGER = "org.confab.sip.transport.wire";

    private static final Logger LOG = LoggerFactory.getLogger(MinaNetwork.class);
    private static final Logger WIRE = LoggerFactory.getLogger(WIRE_LOGGER);

    /** Filter names; "ssl" will go before "codec" when TLS arrives. */
    static final String SSL = "ssl";
    static final String CODEC = "codec";

    private static final String FLOW_ATTRIBUTE = MinaNetwork.class.getName() + ".flow";
    /** On a connection refused at accept (it has no flow): the source address it was counted against. */
    private static final String REFUSED_ATTRIBUTE = MinaNetwork.class.getName() + ".refused";
    private static final long CONNECT_TIMEOUT_MS = 10_000;

    private final StackConfig config;
    private final Inbound inbound;
    private final SipIoHandler handler;
    private final Map<ListenerSpec, IoAcceptor> acceptors = new ConcurrentHashMap<>();
    private final Map<ListenerSpec, UdpListener> udpListeners = new ConcurrentHashMap<>();
    private final String instance = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36)
            + Integer.toString(new java.security.SecureRandom().nextInt(36 * 36), 36);
    private final AtomicLong flowCounter = new AtomicLong();
    private volatile NioSocketConnector connector;
    private final Map<InetAddress, Integer> connectionsPerSource = new ConcurrentHashMap<>();
    private final AtomicLong refusedConnections = new AtomicLong();
    private final AtomicLong slowHeaderClosures = new AtomicLong();
    private ScheduledExecutorService sweeper;

    public MinaNetwork(StackConfig config, Inbound inbound) {
        this.config = config;
        this.inbound = inbound;
        this.handler = new SipIoHandler(this, inbound);
    }

    private void buildChain(DefaultIoFilterChainBuilder chain) {
        chain.addLast(CODEC, new SipCodecFilter(this));
    }

    @Override
    public InetSocketAddress bind(ListenerSpec spec) throws IOException {
        InetSocketAddress address = new InetSocketAddress(spec.host(), spec.port());
        if (address.isUnresolved()) {
            throw new IOException("Cannot resolve listener host " + spec.host());
        }
        if ("UDP".equals(spec.transport())) {
            UdpListener l = UdpListener.bind(address, udpReceivers(), config.maxMessageSize(), 1 << 22, inbound);
            udpListeners.put(spec, l);
            return l.localAddress();
        }
        NioSocketAcceptor a = new NioSocketAcceptor();
        a.setReuseAddress(true);
        a.setCloseOnDeactivation(true);
        buildChain(a.getFilterChain());
        a.setHandler(handler);
        a.getSessionConfig().setTcpNoDelay(true);
        a.getSessionConfig().setIdleTime(IdleStatus.BOTH_IDLE, config.tcpIdleTimeoutSeconds());
        bindOrDispose(a, address);
        acceptors.put(spec, a);
        startSweeper();
        return a.getLocalAddress();
    }

    // slow-header defence: a connection that began a header section more than header.timeout.s ago
    // and has not finished it is closed, whether it trickles bytes or stalls (idle timeout aside)
    private synchronized void startSweeper() {
        if (sweeper != null) {
            return;
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "confab-sip-header-timeout");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(100, Math.min(1000, config.headerTimeoutSeconds() * 250L));
        sweeper.scheduleWithFixedDelay(this::closeSlowHeaders, period, period, TimeUnit.MILLISECONDS);
    }

    private void closeSlowHeaders() {
        try {
            long now = System.nanoTime();
            List<IoService> services = new ArrayList<>(acceptors.values());
            NioSocketConnector c = connector;
            if (c != null) {
                services.add(c);
            }
            for (IoService service : services) {
                for (IoSession session : service.getManagedSessions().values()) {
                    closeIfHeaderOverdue(session, now);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Slow-header sweep failed", e);
        }
    }

    /** Closes the connection if its header section is overdue; true if it did. */
    boolean closeIfHeaderOverdue(IoSession session, long now) {
        MinaStreamFlow flow = existingFlow(session);
        if (flow == null || session.isClosing()
                || !flow.decoder().headerOverdue(now, TimeUnit.SECONDS.toNanos(config.headerTimeoutSeconds()))) {
            return false;
        }
        slowHeaderClosures.incrementAndGet();
        LOG.debug("Closing {}: header section not complete within {} s", session.getRemoteAddress(),
                config.headerTimeoutSeconds());
        session.closeNow();
        return true;
    }

    /**
     * Counts an accepted connection against its source address; false (and the caller closes it)
     * beyond max.connections.per.source. Outbound connections are not counted.
     */
    boolean admit(IoSession session) {
        InetAddress source = countedSource(session);
        if (source == null) {
            return true;
        }
        int n = connectionsPerSource.merge(source, 1, Integer::sum);
        if (n > config.maxConnectionsPerSource()) {
            session.setAttribute(REFUSED_ATTRIBUTE, source);
            if (refusedConnections.getAndIncrement() % 1000 == 0) {
                LOG.info("Refusing connections from {} beyond max.connections.per.source {} ({} refused so far)",
                        source.getHostAddress(), config.maxConnectionsPerSource(), refusedConnections.get());
            }
            return false;
        }
        return true;
    }

    /** The address an accepted connection is counted against; null for outbound or non-IP ones. */
    private static InetAddress countedSource(IoSession session) {
        return session.getService() instanceof IoAcceptor
                && session.getRemoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
    }

    /** Gives back the connection's place in its source's count (once). */
    void release(IoSession session) {
        InetAddress source = null;
        if (session.removeAttribute(REFUSED_ATTRIBUTE) instanceof InetAddress refused) {
            source = refused;
        } else {
            MinaStreamFlow flow = existingFlow(session);
            if (flow != null && flow.releaseCount()) {
                source = flow.remoteAddress().getAddress();
            }
        }
        if (source != null) {
            connectionsPerSource.computeIfPresent(source, (k, v) -> v <= 1 ? null : v - 1);
        }
    }

    /** @return open inbound connections counted for this address */
    public int connectionsFrom(InetAddress source) {
        return connectionsPerSource.getOrDefault(source, 0);
    }

    /** @return connections closed at accept because their source had too many */
    public long refusedConnections() {
        return refusedConnections.get();
    }

    /** @return connections closed because a header section took longer than header.timeout.s */
    public long slowHeaderClosures() {
        return slowHeaderClosures.get();
    }

    private static void bindOrDispose(IoAcceptor a, InetSocketAddress address) throws IOException {
        try {
            a.bind(address);
        } catch (IOException | RuntimeException e) {
            a.dispose();
            throw e instanceof IOException io ? io : new IOException("Cannot bind " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * Receiver threads per UDP listener: udp.receivers, or one per core (at least 4, as Kamailio's
     * children) when 0. One reads at a time; the others stand in for a reader stalled in a role.
     */
    private int udpReceivers() {
        int n = config.udpReceivers();
        return n > 0 ? n : Math.max(4, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public void unbind(ListenerSpec spec) {
        UdpListener udp = udpListeners.remove(spec);
        if (udp != null) {
            udp.close();
            return;
        }
        IoAcceptor a = acceptors.remove(spec);
        if (a == null) {
            return;
        }
        a.unbind();
        a.dispose(false); // unbind() already released the port; do not wait for the selector threads
    }

    @Override
    public TransportFlow udpFlow(InetSocketAddress local, InetSocketAddress remote) {
        for (UdpListener l : udpListeners.values()) {
            if (local == null || l.localAddress().equals(local)) {
                return l.flow(remote);
            }
        }
        return null;
    }

    @Override
    public void connect(String transport, InetSocketAddress remote, BiConsumer<TransportFlow, Exception> callback) {
        if (!"TCP".equals(transport)) {
            callback.accept(null, new TransportException("Cannot open a " + transport + " connection"));
            return;
        }
        ConnectFuture future;
        try {
            future = connector().connect(remote);
        } catch (RuntimeException e) {
            callback.accept(null, e);
            return;
        }
        future.addListener(f -> {
            ConnectFuture cf = (ConnectFuture) f;
            if (cf.isConnected()) {
                callback.accept(flowOf(cf.getSession()), null);
            } else {
                Throwable t = cf.getException();
                callback.accept(null, t instanceof Exception e ? e
                        : new TransportException("Cannot connect to " + remote, t));
            }
        });
    }

    private synchronized NioSocketConnector connector() {
        if (connector == null) {
            NioSocketConnector c = new NioSocketConnector();
            buildChain(c.getFilterChain());
            c.setHandler(handler);
            c.setConnectTimeoutMillis(CONNECT_TIMEOUT_MS);
            c.getSessionConfig().setTcpNoDelay(true);
            c.getSessionConfig().setIdleTime(IdleStatus.BOTH_IDLE, config.tcpIdleTimeoutSeconds());
            connector = c;
        }
        return connector;
    }

    /**
     * The flow of a session: created (and announced) on first use for connections. A connection
     * refused at accept gets none. An accepted one was counted by admit(), which ran first.
     */
    TransportFlow flowOf(IoSession session) {
        MinaStreamFlow flow = existingFlow(session);
        if (flow != null) {
            return flow;
        }
        if (session.containsAttribute(REFUSED_ATTRIBUTE)) {
            return null;
        }
        MinaStreamFlow created = new MinaStreamFlow("tcp/" + instance + "/" + flowCounter.incrementAndGet(), session,
                "TCP", config.maxMessageSize(), countedSource(session) != null);
        Object previous = session.setAttributeIfAbsent(FLOW_ATTRIBUTE, created);
        if (previous != null) {
            return (TransportFlow) previous;
        }
        WIRE.debug("{} opened ({} -> {})", created.id(), session.getRemoteAddress(), session.getLocalAddress());
        inbound.flowOpened(created);
        return created;
    }

    MinaStreamFlow existingFlow(IoSession session) {
        return (MinaStreamFlow) session.getAttribute(FLOW_ATTRIBUTE);
    }

    @Override
    public void shutdown() {
        synchronized (this) {
            if (sweeper != null) {
                sweeper.shutdownNow();
                sweeper = null;
            }
        }
        for (ListenerSpec spec : acceptors.keySet()) {
            unbind(spec);
        }
        for (ListenerSpec spec : udpListeners.keySet()) {
            unbind(spec);
        }
        NioSocketConnector c;
        synchronized (this) {
            c = connector;
            connector = null;
        }
        if (c != null) {
            c.dispose(true);
        }
    }
}
