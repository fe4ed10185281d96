package org.confab.api.transport;

/**
 * A role's handler for incoming requests, registered as an OSGi whiteboard service with the
 * service property {@value #METHOD_PROPERTY} naming the SIP method(s) it serves
 * (a String or String[]; e.g. "REGISTER"). The transaction layer calls it once per new
 * server transaction (retransmissions are absorbed before it), and once for each ACK to a
 * 2xx (which has no transaction of its own: {@link ServerTransaction#isStateless()}).
 *
 * <p>Implementations must not block the calling thread on network I/O; database work
 * that is bounded (a lookup) is fine.
 */
public interface SipApplication {

    /** Service property: the SIP method(s) served, upper case. */
    String METHOD_PROPERTY = "confab.sip.method";

    /**
     * Handles one request. Must eventually send a final response through the
     * transaction (or proxy it), unless the request is an ACK.
     */
    void onRequest(ServerTransaction transaction);
}
