package org.confab.sip.transport.internal;

import java.net.Inet4Address;
import java.net.InetSocketAddress;

import org.confab.api.transport.OutboundInterceptor;
import org.confab.api.transport.TransportException;
import org.confab.sip.message.NameAddr;
import org.confab.sip.message.SipMessage;
import org.confab.sip.message.SipResponse;
import org.confab.sip.message.Via;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts messages on flows: runs the outbound interceptors, serialises, writes; and chooses
 * where a response goes (RFC 3261 §18.2.2, RFC 3581 §4).
 */
final class Outbound {

    private static final Logger LOG = LoggerFactory.getLogger(Outbound.class);

    private final InterceptorRegistry interceptors;
    private volatile Network network;
    private volatile PeerGuard guard;

    Outbound(InterceptorRegistry interceptors) {
        this.interceptors = interceptors;
    }

    void setGuard(PeerGuard guard) {
        this.guard = guard;
    }

    /** A 2xx to REGISTER with bindings: the source holds a registered binding until the longest expires. */
    private void noteRegistration(SipResponse response, TransportFlow requestFlow) {
        PeerGuard g = guard;
        if (g == null || response.status() / 100 != 2 || response.cseq() == null
                || !"REGISTER".equals(response.cseq().method()) || requestFlow.remoteAddress() == null) {
            return;
        }
        try {
            long longest = -1;
            for (NameAddr c : response.contacts()) {
                String e = c.parameter("expires");
                long s = e != null && !e.isEmpty() && allDigits(e) && e.length() < 10
                        ? Long.parseLong(e) : response.expires();
                longest = Math.max(longest, s);
            }
            if (longest > 0) {
                g.registered(requestFlow.remoteAddress().getAddress(), System.nanoTime() / 1_000_000 + longest * 1000);
            }
        } catch (RuntimeException e) {
            LOG.debug("REGISTER response not understood for the rate limiter: {}", e.toString());
        }
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    void setNetwork(Network network) {
        this.network = network;
    }

    /** Interceptors, serialisation and write under the flow's lock, so per-flow order is kept. */
    Sent send(SipMessage message, TransportFlow flow) throws TransportException {
        if (!flow.isOpen()) {
            throw new TransportException("Flow " + flow.id() + " is closed");
        }
        byte[] bytes;
        synchronized (flow) {
            for (OutboundInterceptor i : interceptors.ordered()) {
                try {
                    i.beforeSend(message, flow);
                } catch (RuntimeException e) {
                    LOG.warn("Outbound interceptor {} failed on flow {}", i, flow.id(), e);
                }
            }
            bytes = message.toBytes();
            flow.write(bytes);
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("Sent on {}:\n{}", flow.id(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
        return new Sent(flow, bytes);
    }

    /**
     * Sends a response for a request received on {@code requestFlow}. Reliable: over the same
     * connection, or a new one to the Via when it has closed (then null is returned; no
     * retransmission happens on reliable transports). UDP: to received/rport or the sent-by.
     */
    Sent sendResponse(SipResponse response, TransportFlow requestFlow) throws TransportException {
        noteRegistration(response, requestFlow);
        if (requestFlow.isReliable()) {
            if (requestFlow.isOpen()) {
                return send(response, requestFlow);
            }
            InetSocketAddress target = responseTarget(response, requestFlow.transport());
            Network n = network;
            if (n == null) {
                throw new TransportException("Connection " + requestFlow.id() + " closed and the transport is stopped");
            }
            // RFC 3261 §18.2.2: the connection is gone, open one to received / sent-by port
            n.connect(requestFlow.transport(), target, (flow, error) -> {
                if (error != null) {
                    LOG.debug("Response {} lost: cannot connect to {}: {}", response.status(), target, error.toString());
                    return;
                }
                try {
                    send(response, flow);
                } catch (TransportException e) {
                    LOG.debug("Response {} lost on {}: {}", response.status(), flow.id(), e.getMessage());
                }
            });
            return null;
        }
        if (goesToSource(response, requestFlow)) {
            return send(response, requestFlow);
        }
        InetSocketAddress target = responseTarget(response, requestFlow.transport());
        TransportFlow flow = requestFlow;
        if (!target.equals(requestFlow.remoteAddress())) {
            Network n = network;
            flow = n == null ? null : n.udpFlow(requestFlow.localAddress(), target);
            if (flow == null) {
                throw new TransportException("No UDP listener to send a response to " + target);
            }
        }
        return send(response, flow);
    }

    /**
     * True when {@link #responseTarget} would name the request's own source (IPv4), checked on the
     * text: the common case, which then parses no address (InetAddress.getByName per response).
     */
    static boolean goesToSource(SipResponse response, TransportFlow requestFlow) {
        Via via = response.topVia();
        InetSocketAddress source = requestFlow.remoteAddress();
        if (via == null || source == null || !(source.getAddress() instanceof Inet4Address a)) {
            return false;
        }
        String host = via.received() != null ? via.received() : via.host();
        int port = via.rport() > 0 ? via.rport() : via.port() > 0 ? via.port() : defaultPort(requestFlow.transport());
        return port == source.getPort() && host != null && Addresses.isTextOf(host, a);
    }

    /** RFC 3261 §18.2.2 and RFC 3581 §4: received (else sent-by host), rport (else sent-by port, else default). */
    static InetSocketAddress responseTarget(SipResponse response, String transport) throws TransportException {
        Via via = response.topVia();
        if (via == null) {
            throw new TransportException("Response has no Via");
        }
        String host = via.received() != null ? via.received() : via.host();
        int port = via.rport() > 0 ? via.rport() : via.port() > 0 ? via.port() : defaultPort(transport);
        if (!Addresses.isIpLiteral(host)) {
            // only reached for a hostname sent-by that equals no source address: not resolvable without blocking
            throw new TransportException("Via host " + host + " is not an IP address and no received= was set");
        }
        return new InetSocketAddress(Addresses.literal(host), port);
    }

    static int defaultPort(String transport) {
        return "TLS".equalsIgnoreCase(transport) ? 5061 : 5060;
    }
}
