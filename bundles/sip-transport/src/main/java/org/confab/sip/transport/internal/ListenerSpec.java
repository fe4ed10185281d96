package org.confab.sip.transport.internal;

import java.util.Locale;
import java.util.Objects;

/** One configured listener (factory PID org.confab.sip.transport.listener): transport, host, port. */
public final class ListenerSpec {

    private final String transport;
    private final String host;
    private final int port;

    /**
     * @param transport "udp" or "tcp" (any case)
     * @param host the address to bind, 0.0.0.0 or :: for all
     * @param port 0..65535; 0 picks a free port (tests)
     */
    public ListenerSpec(String transport, String host, int port) {
        String t = Objects.requireNonNull(transport, "transport").trim().toUpperCase(Locale.ROOT);
        if (!t.equals("UDP") && !t.equals("TCP")) {
            throw new IllegalArgumentException("Unsupported listener transport '" + transport + "' (udp or tcp)");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("Listener host must not be empty (0.0.0.0 for all addresses)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Listener port out of range: " + port);
        }
        this.transport = t;
        this.host = host.trim();
        this.port = port;
    }

    /** @return "UDP" or "TCP" */
    public String transport() {
        return transport;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ListenerSpec l && l.transport.equals(transport) && l.host.equals(host) && l.port == port;
    }

    @Override
    public int hashCode() {
        return Objects.hash(transport, host, port);
    }

    @Override
    public String toString() {
        return transport + " " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
