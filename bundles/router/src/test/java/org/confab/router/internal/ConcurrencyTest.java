package org.confab.router.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/** Branches answer on their own flows' threads while the caller cancels: still one final response. */
public class ConcurrencyTest extends RouterTestSupport {

    @Test
    public void racingAnswersAndCancelGiveExactlyOneFinal() throws Exception {
        locations.add(BOB, "sip:bob@192.0.2.21:5001;transport=tcp", "flow-b1", "TCP", "192.0.2.21:5001");
        locations.add(BOB, "sip:bob@192.0.2.22:5002", "flow-b2", "UDP", "192.0.2.22:5002");
        for (int round = 0; round < 200; round++) {
            client.sent.clear();
            FakeServerTransaction tx = handle(request("INVITE", BOB, ALICE_CREDENTIALS, "Call-ID: race-" + round));
            List<FakeSipClient.Sent> branches = List.copyOf(client.sent);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            int[] statuses = {200, 486};
            for (int i = 0; i < 2; i++) {
                FakeSipClient.Sent b = branches.get(i);
                int status = statuses[i];
                threads.add(new Thread(() -> {
                    try {
                        go.await(5, TimeUnit.SECONDS);
                        respond(b, 180);
                        respond(b, status);
                    } catch (Throwable t) {
                        synchronized (failures) {
                            failures.add(t);
                        }
                    }
                }));
            }
            threads.add(new Thread(() -> {
                try {
                    go.await(5, TimeUnit.SECONDS);
                    tx.cancelCallback.run();
                } catch (Throwable t) {
                    synchronized (failures) {
                        failures.add(t);
                    }
                }
            }));
            threads.forEach(Thread::start);
            go.countDown();
            for (Thread t : threads) {
                t.join(5000);
            }
            assertTrue(failures.toString(), failures.isEmpty());
            assertEquals("round " + round, 1, tx.finals().size());
            int status = tx.lastFinal().status();
            assertTrue("round " + round + ": " + status, status == 200 || status == 487);
            assertTrue("nothing sent after the final", tx.ignored.isEmpty());
            if (status == 487) {
                String callId = "race-" + round;
                assertTrue("a 200 after the CANCEL still reaches the caller (RFC 3261 §16.7 step 5)",
                        client.stateless.stream().anyMatch(m -> callId.equals(m.message().callId())));
            }
        }
    }
}
