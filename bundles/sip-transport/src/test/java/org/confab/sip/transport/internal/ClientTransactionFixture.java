package org.confab.sip.transport.internal;

import org.confab.sip.message.SipRequest;
import org.confab.sip.message.Via;

/** Starts client transactions the way SipStack does: our Via on top, then the layer. */
final class ClientTransactionFixture {

    private ClientTransactionFixture() {
    }

    static ClientTransactionImpl start(LayerFixture fx, String method, FakeFlow flow, LayerFixture.Recorder rec) {
        SipRequest req = Messages.outgoing(method);
        req.addHeaderFirst("Via", new Via(flow.transport(), "127.0.0.1", 5060, Ids.branch()).toString());
        ClientTransactionImpl tx = fx.layer.newClient(req, rec);
        tx.start(flow);
        return tx;
    }
}
