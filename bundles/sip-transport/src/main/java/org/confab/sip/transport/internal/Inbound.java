package org.confab.sip.transport.internal;

/** What the network layer tells the stack: bytes framed into messages, and flows coming and going. */
public interface Inbound {

    /** One framed message (a datagram, or a Content-Length framed stream message). */
    void onMessage(TransportFlow flow, byte[] message);

    /**
     * A stream could not be framed: answer {@code status} (400, 513) when a request can be
     * built from {@code head}, then close the connection. Status 0: just close.
     */
    void onFramingError(TransportFlow flow, int status, String reason, byte[] head);

    void flowOpened(TransportFlow flow);

    void flowClosed(TransportFlow flow);

    /** A UDP flow carried a message (kept in the flow table for administration). */
    void udpFlowSeen(TransportFlow flow);
}
