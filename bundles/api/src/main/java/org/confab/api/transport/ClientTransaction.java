package org.confab.api.transport;

import org.confab.sip.message.SipRequest;

/** The client side of one request sent with {@link SipClient#send}. */
public interface ClientTransaction {

    /** The request as sent (with this server's Via on top). */
    SipRequest request();

    /** The branch of this server's Via. */
    String branch();

    /**
     * Cancels an INVITE transaction that has had a provisional but no final response
     * (RFC 3261 §9.1); a no-op in any other state.
     */
    void cancel();

    /** True once a final response, a timeout or a transport error has ended it. */
    boolean isTerminated();
}
