package org.confab.api.transport;

import org.confab.sip.message.SipResponse;

/** Receives the outcome of a {@link ClientTransaction}. Exactly one of the terminal calls happens. */
public interface ResponseListener {

    /** A provisional (1xx) or final response; the transaction's own Via has been removed. */
    void onResponse(SipResponse response);

    /** Timer B or F fired: no final response in time (treated as 408, RFC 3261 §8.1.3.1). */
    void onTimeout();

    /** The message could not be sent (connection refused or closed, flow gone; treated as 503). */
    void onTransportError(TransportException cause);
}
