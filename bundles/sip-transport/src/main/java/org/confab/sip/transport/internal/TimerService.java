package org.confab.sip.transport.internal;

/**
 * The clock and scheduler of the transaction layer, injectable so that state machine tests
 * advance time deterministically instead of sleeping.
 */
public interface TimerService {

    /** @return the current time in milliseconds (monotonic for the real service) */
    long now();

    /** Runs the task once after the delay; a delay of 0 or less runs it as soon as possible. */
    Cancellable schedule(long delayMs, Runnable task);

    /** A scheduled task that can still be called off. */
    interface Cancellable {
        void cancel();
    }
}
