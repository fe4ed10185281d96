package org.confab.sip.transport.internal;

import java.util.ArrayList;
import java.util.List;

import org.confab.api.transport.ResponseListener;
import org.confab.api.transport.TransportException;
import org.confab.sip.message.SipResponse;

/** A transaction layer on a fake clock and fake flows, with a recording transaction user. */
final class LayerFixture implements TransactionLayer.TransactionUser {

    static final StackConfig CONFIG = StackConfig.defaults();

    final FakeTimer timer = new FakeTimer();
    final FakeNetwork network = new FakeNetwork();
    final Outbound out = new Outbound(new InterceptorRegistry());
    final TransactionLayer layer;
    final List<ServerTransactionImpl> requests = new ArrayList<>();
    final List<ServerTransactionImpl> acks = new ArrayList<>();

    LayerFixture() {
        this(CONFIG);
    }

    LayerFixture(StackConfig config) {
        out.setNetwork(network);
        layer = new TransactionLayer(config, timer, out, Runnable::run, this);
    }

    @Override
    public void onRequest(ServerTransactionImpl tx) {
        requests.add(tx);
    }

    @Override
    public void onAck(ServerTransactionImpl ack) {
        acks.add(ack);
    }

    /** Records what a client transaction reports. */
    static final class Recorder implements ResponseListener {
        final List<SipResponse> responses = new ArrayList<>();
        int timeouts;
        final List<TransportException> errors = new ArrayList<>();

        @Override
        public synchronized void onResponse(SipResponse response) {
            responses.add(response);
        }

        @Override
        public synchronized void onTimeout() {
            timeouts++;
        }

        @Override
        public synchronized void onTransportError(TransportException cause) {
            errors.add(cause);
        }

        synchronized List<Integer> statuses() {
            return responses.stream().map(SipResponse::status).toList();
        }
    }
}
