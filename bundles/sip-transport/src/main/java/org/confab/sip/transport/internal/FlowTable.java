package org.confab.sip.transport.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.confab.api.transport.Flow;
import org.confab.api.transport.FlowRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live flows (RFC 5626 §3): one per connection, and one per (UDP listener, remote
 * address). A UDP flow id encodes both addresses, so it can be rebuilt while its listener
 * runs even after it dropped out of the table of recently seen UDP flows.
 */
public final class FlowTable implements FlowRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(FlowTable.class);
    private static final String UDP_PREFIX = "udp/";

    private final Map<String, TransportFlow> connections = new ConcurrentHashMap<>();
    private final Map<String, TransportFlow> connectionsByRemote = new ConcurrentHashMap<>();
    private final Map<String, UdpEntry> recentUdp = new ConcurrentHashMap<>();
    private final List<FlowListener> listeners = new CopyOnWriteArrayList<>();
    private final TimerService timers;
    private final int maxUdp;
    private final AtomicBoolean fullLogged = new AtomicBoolean();
    private volatile Network network;

    private record UdpEntry(TransportFlow flow, long lastSeen) {
    }

    FlowTable(TimerService timers, int maxUdp) {
        this.timers = timers;
        this.maxUdp = maxUdp;
    }

    void setNetwork(Network network) {
        this.network = network;
    }

    /** The id of the UDP flow between a listener and a remote address. */
    public static String udpFlowId(InetSocketAddress local, InetSocketAddress remote) {
        return udpFlowId(udpFlowIdPrefix(local), remote);
    }

    /** The start of the ids of a UDP listener's flows: a constant per listener. */
    public static String udpFlowIdPrefix(InetSocketAddress local) {
        return UDP_PREFIX + hostPort(local) + "/";
    }

    /** The id of the UDP flow to a remote address, given its listener's {@link #udpFlowIdPrefix}. */
    public static String udpFlowId(String prefix, InetSocketAddress remote) {
        String h = host(remote);
        return h.indexOf(':') >= 0 ? prefix + "[" + h + "]:" + remote.getPort() : prefix + h + ":" + remote.getPort();
    }

    public static String hostPort(InetSocketAddress a) {
        String h = host(a);
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    private static String host(InetSocketAddress a) {
        String h = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        int pct = h.indexOf('%');
        return pct >= 0 ? h.substring(0, pct) : h;
    }

    private static String remoteKey(String transport, InetSocketAddress remote) {
        return transport + "|" + hostPort(remote);
    }

    void connectionOpened(TransportFlow flow) {
        connections.put(flow.id(), flow);
        connectionsByRemote.put(remoteKey(flow.transport(), flow.remoteAddress()), flow);
    }

    void connectionClosed(TransportFlow flow) {
        if (connections.remove(flow.id()) != null) {
            connectionsByRemote.remove(remoteKey(flow.transport(), flow.remoteAddress()), flow);
            notifyClosed(flow);
        }
    }

    /**
     * Records a UDP flow as seen now. Beyond {@code maxUdp} entries a new flow is not recorded (it stays usable:
     * its id rebuilds it), so a peer sending from many source ports cannot grow the table; the sweep frees room.
     */
    void udpSeen(TransportFlow flow) {
        UdpEntry entry = new UdpEntry(flow, timers.now());
        if (recentUdp.replace(flow.id(), entry) != null) {
            return;
        }
        if (recentUdp.size() >= maxUdp) {
            if (fullLogged.compareAndSet(false, true)) {
                LOG.warn("UDP flow table full ({} flows, max.udp.flows): new UDP peers are not recorded until idle"
                        + " ones expire", maxUdp);
            }
            return;
        }
        recentUdp.putIfAbsent(flow.id(), entry);
    }

    /** @return how many UDP flows are recorded as recently seen */
    int udpFlowCount() {
        return recentUdp.size();
    }

    /** Forgets UDP flows not seen for {@code maxIdleMs} (they can still be found by id). */
    void sweepUdp(long maxIdleMs) {
        long limit = timers.now() - maxIdleMs;
        recentUdp.values().removeIf(e -> e.lastSeen() < limit || !e.flow().isOpen());
        if (recentUdp.size() < maxUdp) {
            fullLogged.set(false);
        }
    }

    /** A listener went away: its UDP flows are closed for good. */
    void udpListenerClosed(InetSocketAddress local) {
        String prefix = UDP_PREFIX + hostPort(local) + "/";
        for (UdpEntry e : recentUdp.values()) {
            if (e.flow().id().startsWith(prefix) && recentUdp.remove(e.flow().id(), e)) {
                notifyClosed(e.flow());
            }
        }
    }

    private void notifyClosed(Flow flow) {
        for (FlowListener l : listeners) {
            try {
                l.flowClosed(flow);
            } catch (RuntimeException e) {
                LOG.warn("Flow listener {} failed for {}", l, flow.id(), e);
            }
        }
    }

    /** The open connection to this remote address, if any (reused for Destination.address). */
    TransportFlow connectionTo(String transport, InetSocketAddress remote) {
        TransportFlow f = connectionsByRemote.get(remoteKey(transport, remote));
        return f != null && f.isOpen() ? f : null;
    }

    TransportFlow findTransportFlow(String flowId) {
        TransportFlow f = connections.get(flowId);
        if (f == null && flowId.startsWith(UDP_PREFIX)) {
            UdpEntry e = recentUdp.get(flowId);
            f = e != null ? e.flow() : rebuildUdp(flowId);
        }
        return f != null && f.isOpen() ? f : null;
    }

    private TransportFlow rebuildUdp(String flowId) {
        Network n = network;
        String[] parts = flowId.split("/");
        if (n == null || parts.length != 3) {
            return null;
        }
        InetSocketAddress local = parseHostPort(parts[1]);
        InetSocketAddress remote = parseHostPort(parts[2]);
        return local == null || remote == null ? null : n.udpFlow(local, remote);
    }

    /** Parses an IP literal "a.b.c.d:p" or "[v6]:p" without any name lookup; null when malformed. */
    static InetSocketAddress parseHostPort(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(s.substring(colon + 1));
            if (!Addresses.isIpLiteral(host) || port < 0 || port > 65535) {
                return null;
            }
            return new InetSocketAddress(Addresses.literal(host), port);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public Optional<Flow> find(String flowId) {
        return Optional.ofNullable(flowId == null ? null : findTransportFlow(flowId));
    }

    @Override
    public Collection<Flow> flows() {
        List<Flow> all = new ArrayList<>(connections.values());
        recentUdp.values().forEach(e -> all.add(e.flow()));
        all.removeIf(f -> !f.isOpen());
        return all;
    }

    @Override
    public void addFlowListener(FlowListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeFlowListener(FlowListener listener) {
        listeners.remove(listener);
    }
}
