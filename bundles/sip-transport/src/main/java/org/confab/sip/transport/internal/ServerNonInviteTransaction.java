package org.confab.sip.transport.internal;

import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** RFC 3261 §17.2.2, Figure 8: Trying, Proceeding, Completed (Timer J), Terminated. */
final class ServerNonInviteTransaction extends ServerTransactionImpl {

    private static final Logger LOG = LoggerFactory.getLogger(ServerNonInviteTransaction.class);

    private enum State { TRYING, PROCEEDING, COMPLETED, TERMINATED }

    private State state = State.TRYING;

    ServerNonInviteTransaction(TransactionLayer layer, String key, SipRequest request, TransportFlow flow) {
        super(layer, key, request, flow);
    }

    @Override
    synchronized void start() {
        // the client gives up after 64*T1 (Timer F); answer 408 a little later so the transaction always ends
        schedule(layer.config.timeout64() + layer.config.t2(), this::watchdog);
    }

    private void watchdog() {
        if (state == State.TRYING || state == State.PROCEEDING) {
            LOG.warn("No final response to {} {} in time: 408", request().method(), request().callId());
            respond(createResponse(408));
        }
    }

    @Override
    synchronized void onRetransmission() {
        if (state == State.PROCEEDING || state == State.COMPLETED) {
            retransmitLast(); // RFC 3261 §17.2.2: resend the last response
        }
    }

    @Override
    public synchronized void respond(SipResponse response) {
        if (state == State.COMPLETED || state == State.TERMINATED) {
            ignoredResponse(response);
            return;
        }
        if (response.status() < 200) {
            if (transmit(response)) {
                state = State.PROCEEDING;
            }
            return;
        }
        markFinal();
        cancelTimers();
        if (!transmit(response)) {
            state = State.TERMINATED;
            return;
        }
        state = State.COMPLETED;
        if (flow.isReliable()) {
            terminate(); // Timer J = 0 on reliable transports
        } else {
            // Timer J = 64*T1: the layer keeps just the response for retransmissions, not this object
            Sent last = lastSent();
            if (last != null) {
                layer.completedOverUdp(this, last);
            }
            terminate();
        }
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
