package org.confab.api.transport;

import org.confab.sip.message.SipMessage;
import org.confab.sip.message.SipRequest;

/**
 * Sends requests and stateless messages; provided by the transport bundle.
 */
public interface SipClient {

    /**
     * Sends a request in a new client transaction (RFC 3261 §17.1). The transport pushes its
     * own Via (with a fresh magic-cookie branch) on top, retransmits over UDP, applies
     * Timer B/F, and strips its Via from responses before handing them to the listener.
     * Not for ACK (use {@link #sendStateless}).
     */
    ClientTransaction send(SipRequest request, Destination destination, ResponseListener listener);

    /**
     * Sends a message without a transaction: an ACK for a 2xx, or a response forwarded
     * statelessly. For a request the caller is responsible for its Via.
     */
    void sendStateless(SipMessage message, Destination destination) throws TransportException;

    /** This server's Via sent-by for a transport, e.g. "127.0.0.1:5060", used in Record-Route. */
    String localSentBy(String transport);
}
