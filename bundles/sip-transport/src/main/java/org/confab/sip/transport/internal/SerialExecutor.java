package org.confab.sip.transport.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one after another, in order, on a shared executor: the callbacks of one client
 * transaction (provisional before final). When the shared executor is full the tasks run on
 * the caller's thread rather than being lost. {@link #post} only queues (safe under a lock);
 * {@link #flush} then runs what is queued, called with no lock held: on the calling thread when
 * inline (a response with app.dispatch = inline goes on to its role on the thread that
 * received it), else on the shared executor.
 */
final class SerialExecutor implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor delegate;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    /** Queues a task without running it; {@link #flush} runs it. */
    synchronized void post(Runnable task) {
        queue.add(task);
    }

    /** Runs the queued tasks: here when inline, unless another thread is already running them. */
    void flush(boolean inline) {
        synchronized (this) {
            if (running || queue.isEmpty()) {
                return;
            }
            running = true;
        }
        if (inline) {
            drain();
            return;
        }
        try {
            delegate.execute(this::drain);
        } catch (RejectedExecutionException e) {
            drain();
        }
    }

    @Override
    public void execute(Runnable task) {
        post(task);
        flush(false);
    }

    private void drain() {
        for (;;) {
            Runnable r;
            synchronized (this) {
                r = queue.poll();
                if (r == null) {
                    running = false;
                    return;
                }
            }
            try {
                r.run();
            } catch (RuntimeException | LinkageError e) {
                LOG.error("SIP callback failed", e);
            }
        }
    }
}
