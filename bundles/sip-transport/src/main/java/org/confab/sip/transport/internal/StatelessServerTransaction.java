package org.confab.sip.transport.internal;

import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;

/** An ACK for a 2xx (RFC 3261 §17.2.3): no transaction, nothing can be answered. */
final class StatelessServerTransaction extends ServerTransactionImpl {

    StatelessServerTransaction(TransactionLayer layer, SipRequest ack, TransportFlow flow) {
        super(layer, null, ack, flow);
    }

    @Override
    void start() {
        // nothing to start
    }

    @Override
    void onRetransmission() {
        // never in the table
    }

    @Override
    String state() {
        return "STATELESS";
    }

    @Override
    public boolean isStateless() {
        return true;
    }

    @Override
    public SipResponse createResponse(int status) {
        throw new IllegalStateException("An ACK is never answered (RFC 3261 §17.1.1.3)");
    }

    @Override
    public void respond(SipResponse response) {
        throw new IllegalStateException("An ACK is never answered (RFC 3261 §17.1.1.3)");
    }
}
