package org.confab.sip.transport.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.confab.api.transport.Flow;
import org.confab.api.transport.ServerTransaction;
import org.confab.api.transport.TransportException;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.NameAddr;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Common part of the server transactions (RFC 3261 §17.2): the request, the flow it came on,
 * the last response sent (for retransmission), timers and attributes. State changes happen
 * under the transaction's monitor; timers re-enter it.
 */
abstract class ServerTransactionImpl implements ServerTransaction {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTransactionImpl.class);

    final TransactionLayer layer;
    final String key;
    private final SipRequest request;
    final TransportFlow flow;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final String toTag = Ids.tag();
    private final List<TimerService.Cancellable> timers = new ArrayList<>();
    private Sent lastSent;
    private boolean finalSent;
    private boolean terminated;

    ServerTransactionImpl(TransactionLayer layer, String key, SipRequest request, TransportFlow flow) {
        this.layer = layer;
        this.key = key;
        this.request = request;
        this.flow = flow;
    }

    /** Called once the transaction is in the table, before the transaction user sees it. */
    abstract void start();

    /** The same request arrived again (RFC 3261 §17.2.1, §17.2.2). */
    abstract void onRetransmission();

    /** @return the state name, for tests and logs */
    abstract String state();

    @Override
    public SipRequest request() {
        return request;
    }

    @Override
    public Flow flow() {
        return flow;
    }

    @Override
    public SipResponse createResponse(int status) {
        SipResponse r = request.createResponse(status);
        NameAddr to = r.to();
        if (status > 100 && to != null && to.tag() == null) {
            r.setHeader(HeaderNames.TO, to.withTag(toTag).toString()); // RFC 3261 §8.2.6.2
        }
        return r;
    }

    @Override
    public synchronized boolean isCompleted() {
        return finalSent;
    }

    @Override
    public boolean isStateless() {
        return false;
    }

    @Override
    public void onCancel(Runnable callback) {
        // only INVITE transactions can be cancelled (RFC 3261 §9.2)
    }

    @Override
    public Object attribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    synchronized boolean isTerminated() {
        return terminated;
    }

    /** Marks the final response as sent (under the monitor). */
    void markFinal() {
        finalSent = true;
    }

    /** Sends a response; false (and terminated) on a transport error (RFC 3261 §17.2.4). */
    boolean transmit(SipResponse response) {
        try {
            Sent s = layer.out.sendResponse(response, flow);
            if (s != null) {
                lastSent = s;
            }
            return true;
        } catch (TransportException e) {
            LOG.debug("Response {} to {} not sent: {}", response.status(), request.method(), e.getMessage());
            terminate();
            return false;
        }
    }

    /** What was sent last (null before anything was). */
    Sent lastSent() {
        return lastSent;
    }

    void retransmitLast() {
        if (lastSent != null) {
            try {
                lastSent.again();
            } catch (TransportException e) {
                LOG.debug("Retransmission on {} failed: {}", lastSent.flow().id(), e.getMessage());
            }
        }
    }

    void ignoredResponse(SipResponse response) {
        LOG.info("{} response {} to {} {} ignored: transaction is {}", response.status() < 200 ? "Provisional" : "Final",
                response.status(), request.method(), request.callId(), state());
    }

    /** Runs the task after the delay under the monitor, unless the transaction ended first. */
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

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + request.method() + " " + key + " " + state() + "]";
    }
}
