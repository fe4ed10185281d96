package org.confab.itests;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.rules.TestRule;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * Fails a test that runs past its bound and, before failing, prints every thread of the JVM with
 * the locks it holds and waits for. A hung test then ends in minutes with the evidence of what it
 * waited on (inside a Pax Exam container: the server's own threads), instead of silently eating
 * the whole CI budget.
 *
 * <p>The full dump comes first and a short summary of the threads that were not idle comes last,
 * because a CI log is often read from its tail. Inside a Karaf container the JVM is then halted
 * after a grace period: a thread stuck in a bundle operation keeps the framework from stopping,
 * Pax Exam then waits on the container forever, and the container's inherited output keeps Maven
 * waiting too (one such hang took CI's whole 50 minutes).
 */
public final class HangWatchdog implements TestRule {

    private final long timeoutMillis;

    public HangWatchdog(long timeout, TimeUnit unit) {
        this.timeoutMillis = unit.toMillis(timeout);
    }

    @Override
    public Statement apply(Statement base, Description description) {
        return new Statement() {
            @Override
            public void evaluate() throws Throwable {
                Throwable[] failure = new Throwable[1];
                Thread runner = new Thread(() -> {
                    try {
                        base.evaluate();
                    } catch (Throwable t) {
                        failure[0] = t;
                    }
                }, "test " + description.getDisplayName());
                runner.setDaemon(true);
                runner.start();
                runner.join(timeoutMillis);
                if (runner.isAlive()) {
                    System.out.println("HANG: " + description.getDisplayName() + " still running after "
                            + timeoutMillis / 1000 + " s; threads of this JVM:");
                    System.out.println(threadDump());
                    System.out.println("HANG summary: " + description.getDisplayName() + "; threads not idle:");
                    System.out.println(busyThreads());
                    System.out.flush();
                    runner.interrupt();
                    if (System.getProperty("karaf.home") != null) {
                        haltLater(description.getDisplayName());
                    }
                    throw new AssertionError(description.getDisplayName() + " did not finish within "
                            + timeoutMillis / 1000 + " s (thread dump above, marked HANG)");
                }
                if (failure[0] != null) {
                    throw failure[0];
                }
            }
        };
    }

    /** All threads with their full stacks, held monitors and synchronizers, and what each waits for. */
    static String threadDump() {
        StringBuilder out = new StringBuilder();
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            out.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState());
            if (t.getLockName() != null) {
                out.append(" on ").append(t.getLockName());
            }
            if (t.getLockOwnerName() != null) {
                out.append(" owned by \"").append(t.getLockOwnerName()).append('"');
            }
            out.append('\n');
            StackTraceElement[] stack = t.getStackTrace();
            MonitorInfo[] monitors = t.getLockedMonitors();
            for (int i = 0; i < stack.length; i++) {
                out.append("\tat ").append(stack[i]).append('\n');
                for (MonitorInfo m : monitors) {
                    if (m.getLockedStackDepth() == i) {
                        out.append("\t- locked ").append(m).append('\n');
                    }
                }
            }
            for (LockInfo l : t.getLockedSynchronizers()) {
                out.append("\t- holds ").append(l).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** How long a hung container gets to report the failure and stop by itself. */
    private static final long HALT_GRACE_MILLIS = 60_000;

    private static void haltLater(String test) {
        Thread halter = new Thread(() -> {
            try {
                Thread.sleep(HALT_GRACE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("HANG: the container did not stop within " + HALT_GRACE_MILLIS / 1000
                    + " s of " + test + " failing; halting it");
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }, "hang-watchdog-halt");
        halter.setDaemon(true);
        halter.start();
    }

    /**
     * The threads worth reading first: those blocked or waiting on a lock another thread owns, in a
     * deadlock, or running code of the server or the framework, each with its top frames. Threads
     * parked in an idle pool or a selector are left out.
     */
    static String busyThreads() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] deadlocked = mx.findDeadlockedThreads();
        Set<Long> inDeadlock = new HashSet<>();
        if (deadlocked != null) {
            for (long id : deadlocked) {
                inDeadlock.add(id);
            }
        }
        // threads waiting on a lock another thread owns, or deadlocked, go last: a CI log is read
        // from its tail, and those are the ones that explain a hang
        StringBuilder others = new StringBuilder();
        StringBuilder blocked = new StringBuilder();
        for (ThreadInfo t : mx.dumpAllThreads(true, true)) {
            StackTraceElement[] stack = t.getStackTrace();
            boolean owned = t.getLockOwnerName() != null;
            boolean stuck = owned || inDeadlock.contains(t.getThreadId());
            if (!stuck && isIdle(t, stack)) {
                continue;
            }
            StringBuilder out = stuck ? blocked : others;
            out.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState());
            if (t.getLockName() != null) {
                out.append(" on ").append(t.getLockName());
            }
            if (owned) {
                out.append(" owned by \"").append(t.getLockOwnerName()).append('"');
            }
            out.append('\n');
            for (int i = 0; i < Math.min(stack.length, 14); i++) {
                out.append("\tat ").append(stack[i]).append('\n');
            }
            for (LockInfo l : t.getLockedSynchronizers()) {
                out.append("\t- holds ").append(l).append('\n');
            }
        }
        StringBuilder out = others.append(blocked);
        if (!inDeadlock.isEmpty()) {
            out.append("DEADLOCK among ").append(inDeadlock.size()).append(" thread(s)\n");
        }
        return out.toString();
    }

    private static boolean isIdle(ThreadInfo t, StackTraceElement[] stack) {
        if (stack.length == 0 || t.getThreadName().startsWith("hang-watchdog")) {
            return true;
        }
        for (StackTraceElement e : stack) {
            String where = e.getClassName() + '.' + e.getMethodName();
            if (where.endsWith("ThreadPoolExecutor.getTask") || where.endsWith("DelayedWorkQueue.take")
                    || where.contains("SelectorImpl.select") || where.endsWith(".accept") || where.endsWith(".accept0")
                    || where.endsWith("NioSocketImpl.timedRead") || where.endsWith("BasicDaemon.rest")
                    || where.endsWith("ReferenceQueue.remove") || where.endsWith("Reference.waitForReferencePendingList")
                    || where.endsWith("EventDispatcher.run") || where.endsWith("LinkedBlockingQueue.take")
                    || where.endsWith("threadDump") || where.endsWith("busyThreads")) {
                return true;
            }
        }
        return false;
    }
}
