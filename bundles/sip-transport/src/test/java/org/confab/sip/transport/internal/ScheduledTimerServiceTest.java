package org.confab.sip.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.After;
import org.junit.Test;

/**
 * The real timer, on its real thread: timers staged for the tick still fire at their own deadlines,
 * never early; a timer cancelled while staged never reaches the executor and does not keep its task
 * alive; short delays bypass the stage.
 */
public class ScheduledTimerServiceTest {

    private final ScheduledTimerService timers = new ScheduledTimerService();

    @After
    public void close() {
        timers.close();
    }

    @Test
    public void aStagedTimerFiresAtItsDeadlineNotBeforeAndNotATickLate() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        AtomicLong at = new AtomicLong();
        long delay = ScheduledTimerService.STAGE_MIN_MS + 50;
        long start = System.nanoTime();
        timers.schedule(delay, () -> {
            at.set(System.nanoTime());
            fired.countDown();
        });
        assertTrue("the timer fired", fired.await(5, TimeUnit.SECONDS));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(at.get() - start);
        assertTrue("not before its deadline: " + tookMs + " ms", tookMs >= delay);
        // the stage moves it a tick after arming, at its original deadline: no tick is added to it
        assertTrue("at its deadline, not later: " + tookMs + " ms", tookMs < delay + 100);
    }

    @Test
    public void timersOnBothSidesOfTheStageFireInDeadlineOrder() throws Exception {
        List<Integer> order = new ArrayList<>();
        CountDownLatch all = new CountDownLatch(4);
        long[] delays = {400, 5, 250, ScheduledTimerService.STAGE_MIN_MS};
        for (int i = 0; i < delays.length; i++) {
            int id = i;
            timers.schedule(delays[i], () -> {
                synchronized (order) {
                    order.add(id);
                }
                all.countDown();
            });
        }
        assertTrue(all.await(5, TimeUnit.SECONDS));
        assertEquals(List.of(1, 3, 2, 0), order);
    }

    @Test
    public void aTimerCancelledWhileStagedNeverRunsNorReachesTheExecutor() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            timers.schedule(32_000, runs::incrementAndGet).cancel();
        }
        CountDownLatch tick = new CountDownLatch(1);
        timers.schedule(ScheduledTimerService.STAGE_MIN_MS, tick::countDown); // after the moves
        assertTrue(tick.await(5, TimeUnit.SECONDS));
        assertEquals(0, timers.stagedCount());
        assertEquals("cancelled before the move: never scheduled", 0, timers.executorQueueSize());
        assertEquals(0, runs.get());
    }

    @Test
    public void aTimerCancelledAfterTheMoveNeverRunsAndLeavesTheExecutor() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        TimerService.Cancellable c = timers.schedule(400, runs::incrementAndGet);
        long until = System.currentTimeMillis() + 2000;
        while (timers.stagedCount() > 0 && System.currentTimeMillis() < until) {
            Thread.sleep(5);
        }
        assertEquals("moved into the executor", 1, timers.executorQueueSize());
        c.cancel();
        assertEquals("removed from the executor at once", 0, timers.executorQueueSize());
        Thread.sleep(600);
        assertEquals(0, runs.get());
    }

    @Test
    public void aCancelledStagedTimerDoesNotKeepItsTaskAlive() throws Exception {
        WeakReference<Object> ref = armAndCancelATimerHolding(new Object());
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertFalse("the stage let go of the cancelled task", ref.get() != null);
    }

    /** In a method of its own, so that no local of the test keeps the object reachable. */
    private WeakReference<Object> armAndCancelATimerHolding(Object transaction) {
        timers.schedule(32_000, transaction::hashCode).cancel();
        return new WeakReference<>(transaction);
    }

    @Test
    public void aFailingTaskDoesNotStopTheTimerThread() throws Exception {
        timers.schedule(ScheduledTimerService.STAGE_MIN_MS, () -> {
            throw new IllegalStateException("a broken timer task (expected in this test)");
        });
        timers.schedule(0, () -> {
            throw new IllegalStateException("a broken timer task (expected in this test)");
        });
        CountDownLatch after = new CountDownLatch(2);
        timers.schedule(ScheduledTimerService.STAGE_MIN_MS + 20, after::countDown);
        timers.schedule(30, after::countDown);
        assertTrue(after.await(5, TimeUnit.SECONDS));
    }

    @Test
    public void manyThreadsArmingAndCancellingLoseNoTimer() throws Exception {
        int threads = 4;
        int each = 2000;
        AtomicInteger fired = new AtomicInteger();
        AtomicInteger kept = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    TimerService.Cancellable c = timers.schedule(ScheduledTimerService.STAGE_MIN_MS + (i % 50),
                            fired::incrementAndGet);
                    if (i % 3 == 0) {
                        kept.incrementAndGet();
                    } else {
                        c.cancel();
                    }
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        long until = System.currentTimeMillis() + 5000;
        while (fired.get() < kept.get() && System.currentTimeMillis() < until) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
        assertEquals("exactly the timers not cancelled fired", kept.get(), fired.get());
    }

    @Test
    public void afterCloseNothingRunsAndArmingDoesNotThrow() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        timers.schedule(ScheduledTimerService.STAGE_MIN_MS, runs::incrementAndGet);
        timers.close();
        timers.schedule(ScheduledTimerService.STAGE_MIN_MS, runs::incrementAndGet);
        Thread.sleep(300);
        assertEquals(0, runs.get());
    }
}
