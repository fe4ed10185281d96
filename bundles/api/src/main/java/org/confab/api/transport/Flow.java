package org.confab.api.transport;

import java.net.InetSocketAddress;

/**
 * A path between this server and one peer (RFC 5626 §3): a TCP/TLS connection, or for
 * UDP the pair of local listener and remote address. A request for a registered endpoint
 * goes back over the flow it registered from.
 */
public interface Flow {

    /** Stable identifier, unique while the server runs; stored in bindings. */
    String id();

    /** "UDP", "TCP" or "TLS". */
    String transport();

    /** True for connection-oriented transports (TCP, TLS). */
    boolean isReliable();

    /** True for TLS (the "sips" and MTLS checks use it). */
    boolean isSecure();

    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();

    /** False once a connection is closed; UDP flows stay open while their listener runs. */
    boolean isOpen();
}
