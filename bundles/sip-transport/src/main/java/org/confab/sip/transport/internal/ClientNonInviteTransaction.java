package org.confab.sip.transport.internal;

import org.confab.api.transport.ResponseListener;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;

/** RFC 3261 §17.1.2, Figure 6: Trying, Proceeding (Timers E, F), Completed (Timer K), Terminated. */
final class ClientNonInviteTransaction extends ClientTransactionImpl {

    private enum State { TRYING, PROCEEDING, COMPLETED, TERMINATED }

    private State state = State.TRYING;

    ClientNonInviteTransaction(TransactionLayer layer, String key, SipRequest request, ResponseListener listener) {
        super(layer, key, request, listener);
    }

    @Override
    void started() {
        if (!reliable()) {
            long t1 = layer.config.t1();
            schedule(t1, () -> timerE(t1));
        }
        schedule(layer.config.timeout64(), () -> { // Timer F
            if (state == State.TRYING || state == State.PROCEEDING) {
                timeout();
            }
        });
    }

    private void timerE(long interval) {
        if (state != State.TRYING && state != State.PROCEEDING) {
            return;
        }
        retransmit();
        // RFC 3261 §17.1.2.2: doubling up to T2 in Trying, T2 in Proceeding
        long next = state == State.TRYING ? Math.min(2 * interval, layer.config.t2()) : layer.config.t2();
        schedule(next, () -> timerE(next));
    }

    @Override
    synchronized void onResponse(SipResponse response) {
        if (state != State.TRYING && state != State.PROCEEDING) {
            return; // retransmitted final responses are absorbed in Completed
        }
        if (response.status() < 200) {
            state = State.PROCEEDING;
            deliver(response);
            return;
        }
        state = State.COMPLETED;
        cancelTimers();
        deliver(response);
        // Timer K = 0 over UDP too. Completed only absorbs retransmissions of the final response
        // (RFC 3261 §17.1.2.2), and a response that matches no transaction is dropped all the same
        // (receiveResponse). Waiting out T4 kept every relayed request, its response and the role's
        // listener alive for 5 s: the collector copied them, and its pauses grew to 60 ms under a
        // MESSAGE load (BENCHMARKS.md).
        terminate();
    }

    @Override
    void terminate() {
        state = State.TERMINATED;
        super.terminate();
    }

    @Override
    synchronized String state() {
        return state.name();
    }
}
