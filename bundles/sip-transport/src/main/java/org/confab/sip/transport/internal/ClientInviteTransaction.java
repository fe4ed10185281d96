package org.confab.sip.transport.internal;

import org.confab.api.transport.ResponseListener;
import org.confab.api.transport.TransportException;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 3261 §17.1.1, Figure 5, with the Accepted state of RFC 6026 §7.2: Calling (Timers A, B),
 * Proceeding, Completed (Timer D, ACK generated here), Accepted (Timer M), Terminated.
 * A Timer C like guard (RFC 3261 §16.6) cancels and ends a call that rings forever.
 */
final class ClientInviteTransaction extends ClientTransactionImpl {

    private static final Logger LOG = LoggerFactory.getLogger(ClientInviteTransaction.class);

    /** RFC 3261 §17.1.1.2: Timer D is at least 32 s on unreliable transports. */
    static final long TIMER_D_MS = 32_000;

    private enum State { CALLING, PROCEEDING, COMPLETED, ACCEPTED, TERMINATED }

    private State state = State.CALLING;
    private boolean cancelRequested;
    private boolean cancelSent;
    private Sent ackSent;
    private TimerService.Cancellable timerC;

    ClientInviteTransaction(TransactionLayer layer, String key, SipRequest request, ResponseListener listener) {
        super(layer, key, request, listener);
    }

    @Override
    void started() {
        if (!reliable()) {
            long t1 = layer.config.t1();
            schedule(t1, () -> timerA(t1));
        }
        schedule(layer.config.timeout64(), () -> { // Timer B
            if (state == State.CALLING) {
                timeout();
            }
        });
    }

    private void timerA(long interval) {
        if (state != State.CALLING) {
            return;
        }
        retransmit();
        long next = 2 * interval; // RFC 3261 §17.1.1.2: doubles, no cap
        schedule(next, () -> timerA(next));
    }

    private void armTimerC() {
        if (timerC != null) {
            timerC.cancel();
        }
        timerC = schedule(layer.config.inviteTimeoutMs(), () -> {
            if (state != State.PROCEEDING) {
                return;
            }
            LOG.info("INVITE {} rang too long: cancelled", request().callId());
            sendCancel();
            schedule(layer.config.timeout64(), () -> {
                if (state == State.PROCEEDING) {
                    timeout();
                }
            });
        });
    }

    @Override
    synchronized void onResponse(SipResponse response) {
        int status = response.status();
        switch (state) {
            case CALLING:
            case PROCEEDING:
                if (status < 200) {
                    if (state == State.CALLING) {
                        state = State.PROCEEDING;
                        cancelTimers(); // A and B
                    }
                    armTimerC();
                    deliver(response);
                    if (cancelRequested) {
                        sendCancel(); // RFC 3261 §9.1: only once a provisional response has arrived
                    }
                } else if (status < 300) {
                    state = State.ACCEPTED;
                    cancelTimers();
                    deliver(response);
                    schedule(layer.config.timeout64(), this::terminate); // RFC 6026 Timer M
                } else {
                    state = State.COMPLETED;
                    cancelTimers();
                    sendAck(response);
                    deliver(response);
                    if (reliable()) {
                        terminate(); // Timer D = 0
                    } else {
                        schedule(TIMER_D_MS, this::terminate);
                    }
                }
                break;
            case ACCEPTED:
                if (status >= 200 && status < 300) {
                    deliver(response); // RFC 6026 §8.4: each 2xx goes to the TU, which ACKs it
                }
                break;
            case COMPLETED:
                if (status >= 300 && ackSent != null) {
                    try {
                        ackSent.again(); // RFC 3261 §17.1.1.2: retransmitted final response, resend ACK
                    } catch (TransportException e) {
                        LOG.debug("ACK retransmission failed: {}", e.getMessage());
                    }
                }
                break;
            default:
                break;
        }
    }

    /** RFC 3261 §17.1.1.3: the ACK for a non-2xx final response. */
    private void sendAck(SipResponse response) {
        SipRequest req = request();
        SipRequest ack = new SipRequest("ACK", req.requestUri());
        ack.addHeader(HeaderNames.VIA, req.topVia().toString());
        for (String route : req.headers(HeaderNames.ROUTE)) {
            ack.addHeader(HeaderNames.ROUTE, route);
        }
        ack.addHeader(HeaderNames.MAX_FORWARDS, "70");
        ack.addHeader(HeaderNames.FROM, req.header(HeaderNames.FROM));
        ack.addHeader(HeaderNames.TO, response.header(HeaderNames.TO));
        ack.addHeader(HeaderNames.CALL_ID, req.callId());
        ack.addHeader(HeaderNames.CSEQ, req.cseq().number() + " ACK");
        ack.setBody(null, new byte[0]);
        try {
            ackSent = layer.out.send(ack, flow);
        } catch (TransportException e) {
            LOG.debug("ACK for {} not sent: {}", response.status(), e.getMessage());
        }
    }

    @Override
    public synchronized void cancel() {
        if (state == State.PROCEEDING) {
            sendCancel();
        } else if (state == State.CALLING) {
            cancelRequested = true;
        }
    }

    /** RFC 3261 §9.1: same Request-URI, Call-ID, From, To, CSeq number and top Via; Route copied. */
    private void sendCancel() {
        if (cancelSent) {
            return;
        }
        cancelSent = true;
        SipRequest req = request();
        SipRequest cancel = new SipRequest("CANCEL", req.requestUri());
        cancel.addHeader(HeaderNames.VIA, req.topVia().toString());
        for (String route : req.headers(HeaderNames.ROUTE)) {
            cancel.addHeader(HeaderNames.ROUTE, route);
        }
        cancel.addHeader(HeaderNames.MAX_FORWARDS, "70");
        cancel.addHeader(HeaderNames.FROM, req.header(HeaderNames.FROM));
        cancel.addHeader(HeaderNames.TO, req.header(HeaderNames.TO));
        cancel.addHeader(HeaderNames.CALL_ID, req.callId());
        cancel.addHeader(HeaderNames.CSEQ, req.cseq().number() + " CANCEL");
        cancel.setBody(null, new byte[0]);
        ClientTransactionImpl tx = layer.newClient(cancel, new CancelListener(req.callId()));
        tx.start(flow);
    }

    @Override
    void terminate() {
        state = State.TERMINATED;
        if (timerC != null) {
            timerC.cancel();
        }
        super.terminate();
    }

    @Override
    synchronized String state() {
        return state.name();
    }

    /** The CANCEL's own outcome only matters for the log; the INVITE gets its 487. */
    private record CancelListener(String callId) implements ResponseListener {
        @Override
        public void onResponse(SipResponse response) {
            LOG.debug("CANCEL for {}: {}", callId, response.status());
        }

        @Override
        public void onTimeout() {
            LOG.debug("CANCEL for {} timed out", callId);
        }

        @Override
        public void onTransportError(TransportException cause) {
            LOG.debug("CANCEL for {} not sent: {}", callId, cause.getMessage());
        }
    }
}
