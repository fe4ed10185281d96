package org.confab.sip.transport.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.confab.api.transport.ClientTransaction;
import org.confab.api.transport.Destination;
import org.confab.api.transport.Flow;
import org.confab.api.transport.FlowRegistry;
import org.confab.api.transport.ResponseListener;
import org.confab.api.transport.SipClient;
import org.confab.api.transport.TransportException;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.SipMessage;
import org.confab.sip.message.SipParseException;
import org.confab.sip.message.SipParser;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.confab.sip.message.Via;
import org.confab.sip.transport.internal.mina.MinaNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport core, usable without OSGi: listeners, the flow table, parsing and RFC 3261
 * §18 processing of received messages, the transaction layer, dispatch to applications and
 * the {@link SipClient}. The DS component is a thin wrapper around it.
 */
public final class SipStack implements SipClient, FlowRegistry, Inbound {

    private static final Logger LOG = LoggerFactory.getLogger(SipStack.class);
    private static final long UDP_SWEEP_MS = 60_000;
    /** How long a connection that sent what cannot be framed stays open for answers already underway. */
    static final long CLOSE_LINGER_MS = 500;

    private final StackConfig config;
    private final TimerService timers;
    private final Executor appExecutor;
    private final Function<Inbound, Network> networkFactory;
    private final FlowTable flows;
    private final Outbound out;
    private final TransactionLayer layer;
    private final PeerGuard guard;
    private final Map<ListenerSpec, InetSocketAddress> listeners = new LinkedHashMap<>();
    /** Read without the stack's lock (localSentBy runs on application threads while stop() may wait for them). */
    private volatile Map<ListenerSpec, InetSocketAddress> listenerSnapshot = Map.of();
    /** Our sent-bys for loop detection; they change only with the listeners, so not rebuilt per request. */
    private volatile List<String> ownSentBys = List.of();
    /**
     * {@link #localSentBy} per upper-case transport name (UDP, TCP, TLS and any listener's): every
     * relayed request asks for them (its Via, the router's loop check), so they are made once per
     * change of the listeners, not by formatting addresses per request.
     */
    private volatile Map<String, String> sentByOf = Map.of();
    private volatile Network network;
    private volatile boolean running;

    /** Production wiring: real timer thread, bounded application executor, MINA sockets. */
    public SipStack(StackConfig config, ApplicationRegistry apps, InterceptorRegistry interceptors) {
        this(config, apps, interceptors, new ScheduledTimerService(), newAppExecutor(config),
                inbound -> new MinaNetwork(config, inbound));
    }

    /** Wiring for tests: any timer, executor and network. */
    SipStack(StackConfig config, ApplicationRegistry apps, InterceptorRegistry interceptors, TimerService timers,
            Executor appExecutor, Function<Inbound, Network> networkFactory) {
        this.config = config;
        this.timers = timers;
        this.appExecutor = appExecutor;
        this.networkFactory = networkFactory;
        this.flows = new FlowTable(timers, config.maxUdpFlows());
        this.out = new Outbound(interceptors);
        this.guard = PeerGuard.of(config);
        this.out.setGuard(guard);
        this.layer = new TransactionLayer(config, timers, out, appExecutor, new Dispatcher(apps, appExecutor, config));
    }

    private static ThreadPoolExecutor newAppExecutor(StackConfig config) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor e = new ThreadPoolExecutor(config.appThreads(), config.appThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.appQueueSize()), r -> {
                    Thread t = new Thread(r, "confab-sip-app-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /** Creates the network; listeners are added afterwards. */
    public synchronized void start() {
        if (running) {
            return;
        }
        Network n = networkFactory.apply(this);
        flows.setNetwork(n);
        out.setNetwork(n);
        network = n;
        running = true;
        scheduleUdpSweep();
        LOG.info("SIP transport started (T1={} ms, max message {} bytes, max {} transactions)",
                config.t1(), config.maxMessageSize(), config.maxTransactions());
    }

    private void scheduleUdpSweep() {
        timers.schedule(UDP_SWEEP_MS, () -> {
            if (running) {
                flows.sweepUdp(config.tcpIdleTimeoutSeconds() * 1000L);
                layer.completed.expire(timers.now());
                scheduleUdpSweep();
            }
        });
    }

    /** Closes every listener and connection and stops the threads this stack created. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        for (ListenerSpec spec : listeners.keySet().toArray(new ListenerSpec[0])) {
            removeListener(spec);
        }
        network.shutdown();
        if (timers instanceof ScheduledTimerService s) {
            s.close();
        }
        if (appExecutor instanceof ThreadPoolExecutor e) {
            e.shutdown();
        }
        LOG.info("SIP transport stopped");
    }

    /** Opens a listener; returns the bound address (port 0 resolved). */
    public synchronized InetSocketAddress addListener(ListenerSpec spec) throws IOException {
        if (!running) {
            throw new IllegalStateException("SIP transport is not running");
        }
        InetSocketAddress existing = listeners.get(spec);
        if (existing != null) {
            return existing;
        }
        InetSocketAddress bound = network.bind(spec);
        listeners.put(spec, bound);
        listenersChanged();
        LOG.info("SIP listener started: {} on {}", spec.transport(), FlowTable.hostPort(bound));
        return bound;
    }

    public synchronized void removeListener(ListenerSpec spec) {
        InetSocketAddress bound = listeners.remove(spec);
        if (bound == null) {
            return;
        }
        listenersChanged();
        network.unbind(spec);
        if ("UDP".equals(spec.transport())) {
            flows.udpListenerClosed(bound);
        }
        LOG.info("SIP listener stopped: {} on {}", spec.transport(), FlowTable.hostPort(bound));
    }

    /** @return the bound address of a listener, or null */
    public synchronized InetSocketAddress boundAddress(ListenerSpec spec) {
        return listeners.get(spec);
    }

    // ---- Inbound (from the network)

    @Override
    public void onMessage(TransportFlow flow, byte[] data) {
        SipMessage message;
        try {
            message = SipParser.parse(data);
        } catch (SipParseException e) {
            rejectMalformed(flow, e, data);
            return;
        } catch (RuntimeException e) {
            LOG.warn("Parser failed on a message from {}", flow.remoteAddress(), e);
            return;
        }
        try {
            if (message instanceof SipRequest req) {
                addReceived(req, flow.remoteAddress());
                if (admit(req, flow)) {
                    layer.receiveRequest(req, flow);
                }
            } else {
                layer.receiveResponse((SipResponse) message, flow);
            }
        } catch (RuntimeException e) {
            LOG.warn("Message from {} on {} failed", flow.remoteAddress(), flow.id(), e);
        }
    }

    /**
     * Hostile-peer and RFC 3261 §16.3 checks before the transaction layer: scanners and sources over
     * the rate limit (503 or drop), unknown Proxy-Require options (420), loops (482).
     */
    private boolean admit(SipRequest req, TransportFlow flow) {
        boolean ack = "ACK".equals(req.method());
        switch (guard.check(req, flow.remoteAddress().getAddress(), System.nanoTime() / 1_000_000)) {
            case DROP:
                return false;
            case REJECT:
                if (!ack) {
                    SipResponse busy = req.createResponse(503, "Service Unavailable");
                    busy.setHeader(HeaderNames.RETRY_AFTER, Integer.toString(config.retryAfterSeconds()));
                    layer.sendStateless(busy, flow);
                }
                return false;
            default:
                break;
        }
        if (ack || "CANCEL".equals(req.method())) {
            return true;
        }
        // RFC 3261 §16.3 step 5: Proxy-Require options we do not know
        List<String> unsupported = new ArrayList<>();
        for (String option : req.headerValues(HeaderNames.PROXY_REQUIRE)) {
            if (!config.proxyRequireSupported().contains(option.trim().toLowerCase(Locale.ROOT))) {
                unsupported.add(option.trim());
            }
        }
        if (!unsupported.isEmpty()) {
            SipResponse r = req.createResponse(420, "Bad Extension");
            r.setHeader(HeaderNames.UNSUPPORTED, String.join(", ", unsupported));
            layer.sendStateless(r, flow);
            return false;
        }
        // RFC 3261 §16.3 step 4
        if (LoopDetector.looped(req, ownSentBys())) {
            LOG.debug("Loop detected: {} {} (Call-ID {})", req.method(), req.requestUri(), req.callId());
            layer.sendStateless(req.createResponse(482, "Loop Detected"), flow);
            return false;
        }
        return true;
    }

    /** Our sent-by values, "host:port" lower-case, one per listener (advertised host for wildcard binds). */
    List<String> ownSentBys() {
        return ownSentBys;
    }

    /** Under the stack's lock, after every change of the listeners: republishes what is derived from them. */
    private void listenersChanged() {
        listenerSnapshot = new LinkedHashMap<>(listeners);
        List<String> l = new ArrayList<>(listeners.size());
        for (InetSocketAddress a : listeners.values()) {
            String host = a.getAddress().isAnyLocalAddress() ? config.advertisedHost() : Addresses.receivedForm(a.getAddress());
            l.add((host + ":" + a.getPort()).toLowerCase(Locale.ROOT));
        }
        ownSentBys = List.copyOf(l);
        Map<String, String> byTransport = new HashMap<>();
        for (String t : List.of("UDP", "TCP", "TLS")) {
            byTransport.put(t, sentByFromListeners(t));
        }
        for (ListenerSpec spec : listeners.keySet()) {
            byTransport.computeIfAbsent(spec.transport().toUpperCase(Locale.ROOT), this::sentByFromListeners);
        }
        sentByOf = Map.copyOf(byTransport);
    }

    /** @return the hostile-peer guard (tests) */
    PeerGuard guard() {
        return guard;
    }

    /** RFC 3261 §18.2.1 and RFC 3581 §4: received= when the sent-by is not the source; rport= when asked. */
    static void addReceived(SipRequest req, InetSocketAddress source) {
        Via via = req.topVia();
        if (via == null) {
            return;
        }
        InetAddress src = source.getAddress();
        boolean rport = via.hasRport();
        String received = via.parameter("received");
        // a received the sender wrote itself would steer our responses elsewhere (a reflection attack):
        // it is replaced by the address the request really came from
        boolean bogusReceived = received != null && !Addresses.sameAddress(received, src);
        if (!rport && !bogusReceived && Addresses.sameAddress(via.host(), src)) {
            return;
        }
        Via fixed = via.withParameter("received", Addresses.receivedForm(src));
        if (rport) {
            fixed = fixed.withParameter("rport", Integer.toString(source.getPort()));
        }
        req.removeFirstValue(HeaderNames.VIA);
        req.addHeaderFirst(HeaderNames.VIA, fixed.toString());
    }

    /** RFC 3261 §8.2 / §16.3: 400 with the parser's reason when a response can be built; else dropped. */
    private void rejectMalformed(TransportFlow flow, SipParseException e, byte[] data) {
        SipRequest partial = e.partialRequest();
        String reason = reasonPhrase(e.getMessage());
        if (partial == null || "ACK".equals(partial.method())) {
            LOG.debug("Malformed message from {} dropped: {}", flow.remoteAddress(), reason);
            return;
        }
        try {
            // with a Via too broken to read (RFC 4475 badinv01) the 400 goes back where the request came
            // from, as rport would (RFC 3581); a datagram with no Via at all is not SIP and is dropped
            boolean hasVia = partial.topVia() != null;
            if (!hasVia && !flow.isReliable() && !hasViaLine(data)) {
                LOG.debug("Malformed request from {} without Via dropped: {}", flow.remoteAddress(), reason);
                return;
            }
            if (hasVia) {
                addReceived(partial, flow.remoteAddress());
            }
            SipResponse r = partial.createResponse(e.status() >= 400 ? e.status() : 400, reason);
            LOG.debug("Malformed request from {}: {} {}", flow.remoteAddress(), r.status(), reason);
            if (hasVia) {
                layer.sendStateless(r, flow);
            } else {
                out.send(r, flow);
            }
        } catch (TransportException | RuntimeException ex) {
            LOG.debug("Malformed request from {} not answered: {}", flow.remoteAddress(), ex.toString());
        }
    }

    /** True when the header section has a Via line (full or compact name), readable or not. */
    static boolean hasViaLine(byte[] data) {
        String text = new String(data, 0, Math.min(data.length, 8192), StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        for (String line : (end >= 0 ? text.substring(0, end) : text).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).trim();
                if (name.equalsIgnoreCase("via") || name.equalsIgnoreCase("v")) {
                    return true;
                }
            }
        }
        return false;
    }

    static String reasonPhrase(String message) {
        if (message == null || message.isBlank()) {
            return "Bad Request";
        }
        StringBuilder sb = new StringBuilder(Math.min(message.length(), 200));
        for (int i = 0; i < message.length() && sb.length() < 200; i++) {
            char c = message.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return sb.toString().trim();
    }

    @Override
    public void onFramingError(TransportFlow flow, int status, String reason, byte[] head) {
        if (status > 0 && head != null) {
            SipRequest req = null;
            try {
                SipMessage m = SipParser.parse(head);
                req = m instanceof SipRequest r ? r : null;
            } catch (SipParseException e) {
                req = e.partialRequest();
            } catch (RuntimeException e) {
                LOG.debug("Header section from {} unparseable", flow.remoteAddress(), e);
            }
            if (req != null && !"ACK".equals(req.method())) {
                try {
                    out.send(req.createResponse(status, reason), flow);
                } catch (TransportException | RuntimeException e) {
                    LOG.debug("{} to {} not sent: {}", status, flow.remoteAddress(), e.toString());
                }
            }
        }
        // the framer is dead and reads nothing more; the close waits a moment so that the answers
        // to requests framed before the bad bytes (RFC 4475 dblreq: a message, then noise) still leave
        LOG.debug("Closing {} from {} in {} ms: {}", flow.id(), flow.remoteAddress(), CLOSE_LINGER_MS, reason);
        timers.schedule(CLOSE_LINGER_MS, () -> flow.close(true));
    }

    @Override
    public void flowOpened(TransportFlow flow) {
        flows.connectionOpened(flow);
        LOG.debug("Flow {} opened ({} {})", flow.id(), flow.transport(), flow.remoteAddress());
    }

    @Override
    public void flowClosed(TransportFlow flow) {
        flows.connectionClosed(flow);
        layer.flowClosed(flow);
        LOG.debug("Flow {} closed", flow.id());
    }

    @Override
    public void udpFlowSeen(TransportFlow flow) {
        flows.udpSeen(flow);
    }

    // ---- SipClient

    /** Where a message goes: a ready flow, or an address to connect to. */
    private record Route(TransportFlow flow, String transport, InetSocketAddress address) {
    }

    private Route route(Destination d) throws TransportException {
        Network n = network;
        if (n == null || !running) {
            throw new TransportException("SIP transport is not running");
        }
        if (d.flowId() != null) {
            TransportFlow f = flows.findTransportFlow(d.flowId());
            if (f != null) {
                return new Route(f, f.transport(), f.remoteAddress());
            }
            if (d.host() == null) {
                throw new TransportException("Flow " + d.flowId() + " is closed");
            }
        }
        String transport = d.transport();
        int port = d.port() > 0 ? d.port() : Outbound.defaultPort(transport);
        InetSocketAddress address;
        if (Addresses.isIpLiteral(d.host())) {
            address = new InetSocketAddress(Addresses.literal(d.host()), port);
        } else {
            address = new InetSocketAddress(d.host(), port); // a name lookup, on the caller's thread
            if (address.isUnresolved()) {
                throw new TransportException("Unknown host " + d.host());
            }
        }
        switch (transport) {
            case "UDP": {
                TransportFlow f = n.udpFlow(null, address);
                if (f == null) {
                    throw new TransportException("No UDP listener to send from");
                }
                return new Route(f, "UDP", address);
            }
            case "TCP":
                return new Route(flows.connectionTo("TCP", address), "TCP", address);
            default:
                throw new TransportException("Transport " + transport + " is not supported");
        }
    }

    /** RFC 3261 §16.6 step 8: a branch that lets us recognise this request if it comes back. */
    private static String loopBranch(SipRequest request) {
        try {
            return LoopDetector.branch(request);
        } catch (RuntimeException e) {
            return Ids.branch(); // a header the hash reads is malformed: no loop detection for this one
        }
    }

    @Override
    public ClientTransaction send(SipRequest request, Destination destination, ResponseListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(listener, "listener");
        if ("ACK".equals(request.method())) {
            throw new IllegalArgumentException("ACK has no transaction: use sendStateless");
        }
        Route route;
        TransportException routeError = null;
        try {
            route = route(destination);
        } catch (TransportException e) {
            routeError = e;
            route = new Route(null, destination.transport() != null ? destination.transport() : "UDP", null);
        }
        String[] sentBy = splitHostPort(localSentBy(route.transport()));
        // RFC 3261 §8.1.1.7 / §16.6: our Via with a fresh branch; rport asks for the source port (RFC 3581)
        Via via = new Via(route.transport(), sentBy[0], Integer.parseInt(sentBy[1]), loopBranch(request)).withParameter("rport", "");
        request.addHeaderFirst(HeaderNames.VIA, via.toString());
        ClientTransactionImpl tx = layer.newClient(request, listener);
        if (tx.isTerminated()) {
            return tx;
        }
        if (routeError != null) {
            tx.transportError(routeError);
        } else if (route.flow() != null) {
            tx.start(route.flow());
        } else {
            InetSocketAddress target = route.address();
            network.connect(route.transport(), target, (flow, error) -> {
                if (error != null) {
                    tx.transportError(new TransportException("Cannot connect to " + target + ": " + error.getMessage(), error));
                } else {
                    tx.start(flow);
                }
            });
        }
        return tx;
    }

    @Override
    public void sendStateless(SipMessage message, Destination destination) throws TransportException {
        Route route = route(destination);
        if (route.flow() != null) {
            out.send(message, route.flow());
            return;
        }
        InetSocketAddress target = route.address();
        network.connect(route.transport(), target, (flow, error) -> {
            if (error != null) {
                LOG.debug("Stateless message to {} lost: {}", target, error.toString());
                return;
            }
            try {
                out.send(message, flow);
            } catch (TransportException e) {
                LOG.debug("Stateless message to {} lost: {}", target, e.getMessage());
            }
        });
    }

    @Override
    public String localSentBy(String transport) {
        String t = transport == null ? "UDP" : transport.toUpperCase(Locale.ROOT);
        String known = sentByOf.get(t);
        return known != null ? known : sentByFromListeners(t);
    }

    /** The sent-by for the transport: its listener's, else the first listener's, else the advertised host's. */
    private String sentByFromListeners(String t) {
        InetSocketAddress chosen = null;
        for (Map.Entry<ListenerSpec, InetSocketAddress> e : listenerSnapshot.entrySet()) {
            if (e.getKey().transport().equals(t)) {
                chosen = e.getValue();
                break;
            }
            if (chosen == null) {
                chosen = e.getValue();
            }
        }
        if (chosen == null) {
            return hostPort(config.advertisedHost(), Outbound.defaultPort(t));
        }
        String host = chosen.getAddress().isAnyLocalAddress() ? config.advertisedHost()
                : Addresses.receivedForm(chosen.getAddress());
        return hostPort(host, chosen.getPort());
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String[] splitHostPort(String sentBy) {
        int colon = sentBy.lastIndexOf(':');
        return new String[] {sentBy.substring(0, colon), sentBy.substring(colon + 1)};
    }

    // ---- FlowRegistry

    @Override
    public Optional<Flow> find(String flowId) {
        return flows.find(flowId);
    }

    @Override
    public Collection<Flow> flows() {
        return flows.flows();
    }

    @Override
    public void addFlowListener(FlowListener listener) {
        flows.addFlowListener(listener);
    }

    @Override
    public void removeFlowListener(FlowListener listener) {
        flows.removeFlowListener(listener);
    }
}
