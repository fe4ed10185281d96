package org.confab.api.transport;

import java.util.Objects;

/**
 * Where to send a message: an existing flow (preferred: the endpoint's own connection, or the
 * NAT binding it registered from), or a transport address to which the transport opens a
 * connection or sends a datagram.
 */
public final class Destination {

    private final String flowId;
    private final String transport;
    private final String host;
    private final int port;

    private Destination(String flowId, String transport, String host, int port) {
        this.flowId = flowId;
        this.transport = transport;
        this.host = host;
        this.port = port;
    }

    /** Send over this flow; fails with a transport error if the flow has closed. */
    public static Destination flow(String flowId) {
        return new Destination(Objects.requireNonNull(flowId), null, null, -1);
    }

    /**
     * Send to this address over the transport ("UDP", "TCP" or "TLS"); an existing flow to the
     * same address is reused.
     */
    public static Destination address(String transport, String host, int port) {
        return new Destination(null, transport.toUpperCase(java.util.Locale.ROOT), Objects.requireNonNull(host), port);
    }

    /** Try the flow first; if it is gone, fall back to the address. */
    public static Destination flowOrAddress(String flowId, String transport, String host, int port) {
        return new Destination(flowId, transport.toUpperCase(java.util.Locale.ROOT), Objects.requireNonNull(host), port);
    }

    /** The flow id, or null. */
    public String flowId() {
        return flowId;
    }

    /** The transport for an address destination, or null. */
    public String transport() {
        return transport;
    }

    /** The host for an address destination (IPv6 without brackets is accepted), or null. */
    public String host() {
        return host;
    }

    /** The port for an address destination, -1 for a flow-only destination. */
    public int port() {
        return port;
    }

    @Override
    public String toString() {
        return flowId != null && host == null ? "flow " + flowId
                : (flowId != null ? "flow " + flowId + " or " : "") + transport + ":" + host + ":" + port;
    }
}
