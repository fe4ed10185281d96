package org.confab.sip.transport.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real timer: one daemon thread; tasks are short (state changes and non-blocking writes).
 *
 * <p>Most SIP timers are called off long before they are due: a relayed MESSAGE arms Timers E
 * (500 ms) and F (32 s) and its 200 cancels both a millisecond later. Handed straight to the
 * executor, each arm and each cancel took its queue's lock, and an arm that became the earliest
 * timer woke the timer thread (2,750 wake-ups a second at 4,000 MESSAGEs a second, each one a
 * futex call on the receiving thread and a thread competing with it for the two cores). So a timer
 * due in {@link #STAGE_MIN_MS} or more is first only queued (lock-free); every {@link #tickMs} the
 * timer thread moves the ones still wanted into the executor, at their original deadlines. Most
 * are cancelled before that and never reach it. Shorter delays go to the executor at once.
 */
final class ScheduledTimerService implements TimerService, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledTimerService.class);
    /** Timers due this far out or further are staged (a tick late at worst is nothing to them). */
    static final long STAGE_MIN_MS = 100;
    static final long DEFAULT_TICK_MS = 10;

    private final ScheduledThreadPoolExecutor executor;
    private final long tickMs;
    private final ConcurrentLinkedQueue<Staged> staged = new ConcurrentLinkedQueue<>();
    /** A move of the staged timers is scheduled: at most one wake-up per tick, however many arm. */
    private final AtomicBoolean moveScheduled = new AtomicBoolean();

    ScheduledTimerService() {
        this(DEFAULT_TICK_MS);
    }

    ScheduledTimerService(long tickMs) {
        this.tickMs = tickMs;
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "confab-sip-timer");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    @Override
    public Cancellable schedule(long delayMs, Runnable task) {
        if (delayMs < STAGE_MIN_MS) {
            ScheduledFuture<?> f = executor.schedule(() -> run(task), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        }
        Staged s = new Staged(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs), task);
        staged.add(s);
        if (moveScheduled.compareAndSet(false, true)) {
            try {
                executor.schedule(this::moveStaged, tickMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                moveScheduled.set(false); // closed: nothing runs any more
            }
        }
        return s;
    }

    /** On the timer thread: the staged timers still wanted go to the executor at their deadlines. */
    private void moveStaged() {
        moveScheduled.set(false); // first: a timer staged from here on schedules the next move
        long now = System.nanoTime();
        Staged s;
        while ((s = staged.poll()) != null) {
            s.arm(executor, now);
        }
    }

    /** How many timers wait to be moved into the executor (for tests). */
    int stagedCount() {
        return staged.size();
    }

    /** How many tasks the executor holds (for tests: cancelled staged timers never reach it). */
    int executorQueueSize() {
        return executor.getQueue().size();
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("SIP timer task failed", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        staged.clear();
    }

    /** A timer waiting in the stage, then in the executor; cancel works in either place. */
    private static final class Staged implements Cancellable {
        private final long deadlineNanos;
        /** Null once cancelled: the transaction it would touch is not kept alive by the stage. */
        private volatile Runnable task;
        private volatile ScheduledFuture<?> future;

        Staged(long deadlineNanos, Runnable task) {
            this.deadlineNanos = deadlineNanos;
            this.task = task;
        }

        void arm(ScheduledThreadPoolExecutor executor, long nowNanos) {
            Runnable t = task;
            if (t == null) {
                return; // cancelled while staged: the usual fate, and it costs the executor nothing
            }
            future = executor.schedule(() -> {
                Runnable r = task;
                if (r != null) {
                    task = null;
                    ScheduledTimerService.run(r);
                }
            }, Math.max(0, deadlineNanos - nowNanos), TimeUnit.NANOSECONDS);
            if (task == null) {
                future.cancel(false); // cancelled while being armed
            }
        }

        @Override
        public void cancel() {
            task = null;
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
        }
    }
}
