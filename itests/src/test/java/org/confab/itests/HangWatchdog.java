package org.confab.itests;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.util.concurrent.TimeUnit;
import org.junit.rules.TestRule;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * Fails a test that runs past its bound and, before failing, prints every thread of the JVM with
 * the locks it holds and waits for. A hung test then ends in minutes with the evidence of what it
 * waited on (inside a Pax Exam container: the server's own threads), instead of silently eating
 * the whole CI budget.
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
                    System.out.flush();
                    runner.interrupt();
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
}
