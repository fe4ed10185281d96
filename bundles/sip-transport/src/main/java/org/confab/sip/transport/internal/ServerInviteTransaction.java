package org.confab.sip.transport.internal;

import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 3261 §17.2.1, Figure 7, with the Accepted state of RFC 6026 §7.1: Proceeding,
 * Completed (Timers G, H), Confirmed (Timer I), Accepted (Timer L), Terminated.
 */
final class ServerInviteTransaction extends ServerTransactionImpl {

    private static final Logger LOG = LoggerFactory.getLogger(ServerInviteTransaction.class);

    private enum State { PROCEEDING, COMPLETED, CONFIRMED, ACCEPTED, TERMINATED }

    private State state = State.PROCEEDING;
    private Runnable cancelCallback;
    private boolean cancelled;
    private TimerService.Cancellable watchdog;

    ServerInviteTransaction(TransactionLayer layer, String key, SipRequest request, TransportFlow flow) {
        super(layer, key, request, flow);
    }

    @Override
    synchronized void start() {
        // RFC 3261 §17.2.1: 100 Trying at once, so the client stops retransmitting
        if (!transmit(createResponse(100))) {
            state = State.TERMINATED;
            return;
        }
        armWatchdog();
    }

    private void armWatchdog() {
        if (watchdog != null) {
            watchdog.cancel();
        }
        watchdog = schedule(layer.config.inviteTimeoutMs(), () -> {
            if (state == State.PROCEEDING) {
                LOG.warn("No final response to INVITE {} in time: 408", request().callId());
                respond(createResponse(408));
            }
        });
    }

    @Override
    synchronized void onRetransmission() {
        if (state == State.PROCEEDING || state == State.COMPLETED) {
            retransmitLast(); // RFC 3261 §17.2.1: last provisional, or the final response
        }
    }

    @Override
    public synchronized void respond(SipResponse response) {
        int status = response.status();
        if (state != State.PROCEEDING) {
            ignoredResponse(response);
            return;
        }
        if (status < 200) {
            if (transmit(response) && status > 100) {
                armWatchdog();
            }
            return;
        }
        markFinal();
        cancelTimers();
        if (!transmit(response)) {
            state = State.TERMINATED;
            return;
        }
        long t64 = layer.config.timeout64();
        if (status < 300) {
            state = State.ACCEPTED; // RFC 6026 §7.1: 2xx retransmission is the TU's job; absorb INVITE copies
            schedule(t64, this::terminate); // Timer L
            return;
        }
        state = State.COMPLETED;
        if (!flow.isReliable()) {
            long t1 = layer.config.t1();
            schedule(t1, () -> timerG(t1));
        }
        schedule(t64, () -> { // Timer H: no ACK came
            LOG.debug("No ACK for {} to INVITE {}", status, request().callId());
            terminate();
        });
    }

    private void timerG(long interval) {
        if (state != State.COMPLETED) {
            return;
        }
        retransmitLast();
        long next = Math.min(2 * interval, layer.config.t2()); // RFC 3261 §17.2.1: min(2*G, T2)
        schedule(next, () -> timerG(next));
    }

    /** @return true when the ACK belongs to this transaction (non-2xx final response) and is absorbed */
    synchronized boolean onAck() {
        switch (state) {
            case COMPLETED:
                state = State.CONFIRMED;
                cancelTimers();
                if (flow.isReliable()) {
                    terminate(); // Timer I = 0
                } else {
                    schedule(layer.config.t4(), this::terminate); // Timer I = T4
                }
                return true;
            case CONFIRMED:
            case PROCEEDING:
                return true;
            default:
                return false; // ACK for a 2xx: the TU's (RFC 6026 §7.1)
        }
    }

    /** A matching CANCEL arrived and has been answered 200 (RFC 3261 §9.2). */
    void cancelled() {
        Runnable callback;
        synchronized (this) {
            if (state != State.PROCEEDING || cancelled) {
                return;
            }
            cancelled = true;
            callback = cancelCallback;
            if (callback == null) {
                // the application may not have registered yet; if it does not within T1, answer 487 ourselves
                schedule(layer.config.t1(), () -> {
                    if (state == State.PROCEEDING && cancelCallback == null) {
                        respond(createResponse(487));
                    }
                });
            }
        }
        if (callback != null) {
            layer.runCallback(callback);
        }
    }

    @Override
    public void onCancel(Runnable callback) {
        boolean runNow;
        synchronized (this) {
            cancelCallback = callback;
            runNow = cancelled && state == State.PROCEEDING;
        }
        if (runNow) {
            layer.runCallback(callback);
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
