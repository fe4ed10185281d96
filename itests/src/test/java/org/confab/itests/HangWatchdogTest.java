package org.confab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.Test;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/** The watchdog the Pax Exam tests run under: it must end a hung test and name what it waits on. */
public class HangWatchdogTest {

    @Test
    public void aTestPastItsBoundFailsAndTheSummaryNamesTheDeadlock() throws Throwable {
        ReentrantLock first = new ReentrantLock();
        ReentrantLock second = new ReentrantLock();
        CountDownLatch bothHeld = new CountDownLatch(2);
        Thread a = lockInOrder("deadlock-a", first, second, bothHeld);
        Thread b = lockInOrder("deadlock-b", second, first, bothHeld);
        try {
            Statement stuck = new Statement() {
                @Override
                public void evaluate() throws Throwable {
                    a.join();
                }
            };
            long t0 = System.nanoTime();
            try {
                new HangWatchdog(2, TimeUnit.SECONDS).apply(stuck, Description.createTestDescription(getClass(), "stuck"))
                        .evaluate();
                fail("the watchdog let a hung test run on");
            } catch (AssertionError expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("did not finish within 2 s"));
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            assertTrue("took " + seconds + " s", seconds < 10);

            String summary = HangWatchdog.busyThreads();
            assertTrue("the deadlock is named last (CI shows a log's tail): " + summary,
                    summary.trim().endsWith("DEADLOCK among 2 thread(s)"));
            // the threads another owns a lock for come after every other thread shown
            String[] shown = summary.split("\n\"");
            assertTrue(summary, shown[shown.length - 1].startsWith("deadlock-") && shown[shown.length - 2].startsWith("deadlock-"));
            assertTrue(summary, summary.contains("\"deadlock-a\" WAITING") && summary.contains("owned by \"deadlock-b\""));
            assertTrue(summary, summary.contains("\"deadlock-b\" WAITING") && summary.contains("owned by \"deadlock-a\""));
        } finally {
            a.interrupt();
            b.interrupt();
            a.join(5_000);
            b.join(5_000);
        }
        assertEquals("the deadlocked threads did not end", false, a.isAlive() || b.isAlive());
    }

    @Test
    public void aTestWithinItsBoundPassesThroughItsOwnFailure() {
        Statement failing = new Statement() {
            @Override
            public void evaluate() {
                throw new IllegalStateException("the test's own failure");
            }
        };
        try {
            new HangWatchdog(5, TimeUnit.SECONDS).apply(failing, Description.createTestDescription(getClass(), "f"))
                    .evaluate();
            fail("the test's failure was lost");
        } catch (Throwable t) {
            assertEquals("the test's own failure", t.getMessage());
        }
    }

    /** A daemon thread taking one lock then the other, interruptibly so the test can end it. */
    private static Thread lockInOrder(String name, ReentrantLock one, ReentrantLock two, CountDownLatch bothHeld) {
        Thread t = new Thread(() -> {
            try {
                one.lockInterruptibly();
                try {
                    bothHeld.countDown();
                    bothHeld.await();
                    two.lockInterruptibly();
                    two.unlock();
                } finally {
                    one.unlock();
                }
            } catch (InterruptedException e) {
                // the test ends the deadlock
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
