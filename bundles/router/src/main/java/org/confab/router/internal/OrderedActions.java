package org.confab.router.internal;

import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the outward calls of one response context (responses to the caller, requests and
 * CANCELs to branches) in the order they were decided, without holding the context's lock
 * while calling into the transport: decisions are queued under the lock, whichever thread
 * finds the queue idle drains it. An action that calls back into the context only queues.
 */
final class OrderedActions {

    private static final Logger LOG = LoggerFactory.getLogger(OrderedActions.class);

    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean draining;

    synchronized void add(Runnable action) {
        queue.add(action);
    }

    /** Runs queued actions until none is left, unless another thread is already doing so. */
    void drain() {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
        }
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.error("Proxy action failed", e);
            }
        }
    }
}
