package org.confab.api.transport;

import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;

/**
 * The server side of one request (RFC 3261 §17.2). Responses sent through it are
 * retransmitted and matched by the transaction layer; retransmitted requests never reach
 * the application again.
 */
public interface ServerTransaction {

    /** The request as received (Via already carries received/rport where needed, RFC 3261 §18.2.1, RFC 3581). */
    SipRequest request();

    /** The flow the request arrived on. */
    Flow flow();

    /** Builds a response to the request (RFC 3261 §8.2.6), adding a To tag to non-100 responses when missing. */
    SipResponse createResponse(int status);

    /** Sends a provisional or final response. After a final response, further final responses are ignored (logged). */
    void respond(SipResponse response);

    /** True once a final response has been sent. */
    boolean isCompleted();

    /** True for an ACK to a 2xx, which has no server transaction: {@link #respond} is not allowed. */
    boolean isStateless();

    /**
     * Registers a callback run when a CANCEL matching this (INVITE) transaction arrives.
     * The transaction layer has already answered the CANCEL with 200; the application should
     * cancel its branches and answer the INVITE with 487 (RFC 3261 §9.2, §16.10).
     */
    void onCancel(Runnable callback);

    /**
     * Attributes set by earlier processing (for example the authenticated identity) so that
     * later stages need not redo it.
     */
    Object attribute(String name);

    /** Sets an attribute; see {@link #attribute(String)}. */
    void setAttribute(String name, Object value);
}
