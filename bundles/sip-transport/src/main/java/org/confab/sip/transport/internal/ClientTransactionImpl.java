package org.confab.sip.transport.internal;

import java.util.ArrayList;
import java.util.List;

import org.confab.api.transport.ClientTransaction;
import org.confab.api.transport.Flow;
import org.confab.api.transport.ResponseListener;
import org.confab.api.transport.TransportException;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Common part of the client transactions (RFC 3261 §17.1): the request with this server's
 * Via, the flow it went out on, timers, and the listener, called in order, never under the
 * transaction's lock: responses on the receiving thread (app.dispatch = inline), all else
 * (timeouts, app.dispatch = pool) on the application executor. Exactly one terminal
 * call reaches the listener.
 */
abstract class ClientTransactionImpl implements ClientTransaction {

    private static final Logger LOG = LoggerFactory.getLogger(ClientTransactionImpl.class);

    final TransactionLayer layer;
    final String key;
    private final SipRequest request;
    private final ResponseListener listener;
    private final SerialExecutor callbacks;
    private final List<TimerService.Cancellable> timers = new ArrayList<>();
    TransportFlow flow;
    Sent sent;
    private boolean terminated;
    private boolean ended;

    ClientTransactionImpl(TransactionLayer layer, String key, SipRequest request, ResponseListener listener) {
        this.layer = layer;
        this.key = key;
        this.request = request;
        this.listener = listener;
        this.callbacks = new SerialExecutor(layer.callbackExecutor);
    }

    /** Sends the request on the flow and arms the timers. */
    synchronized void start(TransportFlow onFlow) {
        if (terminated) {
            return;
        }
        this.flow = onFlow;
        try {
            sent = layer.out.send(request, onFlow);
        } catch (TransportException e) {
            transportError(e);
            return;
        }
        started();
    }

    /** Arms the timers once the request is on the wire. */
    abstract void started();

    abstract void onResponse(SipResponse response);

    abstract String state();

    @Override
    public SipRequest request() {
        return request;
    }

    @Override
    public String branch() {
        return request.topVia().branch();
    }

    /** Only an INVITE can be cancelled (RFC 3261 §9.1); a no-op here. */
    @Override
    public void cancel() {
        // nothing to cancel
    }

    @Override
    public synchronized boolean isTerminated() {
        return ended || terminated;
    }

    /** The request could not be sent, or its connection closed before the final response. */
    synchronized void transportError(TransportException cause) {
        if (terminated) {
            return;
        }
        boolean tell = !ended;
        ended = true;
        terminate();
        if (tell) {
            LOG.debug("{} {}: transport error: {}", request.method(), request.callId(), cause.getMessage());
            callbacks.execute(() -> listener.onTransportError(cause));
        }
    }

    synchronized void flowClosed(Flow closed) {
        if (flow != null && flow.id().equals(closed.id()) && !ended) {
            transportError(new TransportException("Connection " + closed.id() + " closed"));
        }
    }

    /** Timer B or F (RFC 3261 §17.1.1.2, §17.1.2.2): treated as 408 by the listener. */
    void timeout() {
        boolean tell = !ended;
        ended = true;
        terminate();
        if (tell) {
            LOG.debug("{} {}: timeout", request.method(), request.callId());
            callbacks.execute(listener::onTimeout);
        }
    }

    /** Removes this server's Via and hands the response to the listener. */
    void deliver(SipResponse response) {
        if (response.status() >= 200) {
            ended = true;
        }
        response.removeFirstValue(HeaderNames.VIA);
        callbacks.post(() -> listener.onResponse(response)); // run by flushCallbacks, off this lock
    }

    /**
     * Hands the responses queued by onResponse to the listener; called with no lock held. On this
     * thread with app.dispatch = inline, as the Dispatcher does requests.
     */
    void flushCallbacks() {
        callbacks.flush(layer.config.appInline());
    }

    void retransmit() {
        try {
            sent.again();
        } catch (TransportException e) {
            transportError(e);
        }
    }

    TimerService.Cancellable schedule(long delayMs, Runnable task) {
        TimerService.Cancellable c = layer.timers.schedule(delayMs, () -> {
            synchronized (this) {
                if (!terminated) {
                    task.run();
                }
            }
        });
        timers.add(c);
        return c;
    }

    void cancelTimers() {
        timers.forEach(TimerService.Cancellable::cancel);
        timers.clear();
    }

    void terminate() {
        terminated = true;
        cancelTimers();
        layer.remove(this);
    }

    boolean reliable() {
        return flow != null && flow.isReliable();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + request.method() + " " + key + " " + state() + "]";
    }
}
