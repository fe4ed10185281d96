package org.confab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.confab.api.store.LocationStore;
import org.confab.sip.message.SipResponse;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Roles are upgraded while users stay signed in: no binding lost, no TCP connection dropped, and
 * every MESSAGE sent meanwhile is answered (delivered, or 503 while a role is away).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotUpgradeTest extends ConfabPaxExamSupport {

    @Configuration
    public Option[] config() {
        return confabDistribution();
    }

    @Test
    public void updateRolesWhileUsersStaySignedIn() throws Exception {
        execute("confab:domain-add example.com");
        execute("confab:user-enable --password Wonder-Land-7 sip:alice@example.com");
        execute("confab:user-enable --password Build-Er-42x sip:bob@example.com");
        int port = sipPort();
        try (SipTestUser alice = new SipTestUser("alice", "example.com", "Wonder-Land-7", "TCP", "127.0.0.1", port);
             SipTestUser bob = new SipTestUser("bob", "example.com", "Build-Er-42x", "TCP", "127.0.0.1", port)) {
            assertEquals(200, alice.register(600).status());
            assertEquals(200, bob.register(600).status());
            assertEquals(200, alice.message("bob", "before").status());

            List<Integer> statuses = new CopyOnWriteArrayList<>();
            AtomicBoolean updating = new AtomicBoolean(true);
            Thread sender = new Thread(() -> {
                int i = 0;
                while (updating.get() && i++ < 500) {
                    try {
                        SipResponse r = alice.message("bob", "during " + i);
                        statuses.add(r == null ? -1 : r.status());
                    } catch (Exception e) {
                        statuses.add(-2);
                    }
                }
            });
            sender.start();
            for (String bsn : List.of("org.confab.registrar", "org.confab.router", "org.confab.store")) {
                execute("bundle:update " + bsn);
                waitActive(bsn);
            }
            execute("bundle:restart org.confab.registrar");
            waitActive("org.confab.registrar");
            Thread.sleep(300);
            updating.set(false);
            sender.join(30_000);

            Map<Integer, Integer> counts = new ConcurrentHashMap<>();
            statuses.forEach(s -> counts.merge(s, 1, Integer::sum));
            System.out.println("MESSAGEs sent while roles were updated, by final status: " + counts);
            assertTrue("no MESSAGE was sent during the update", !statuses.isEmpty());
            for (int s : statuses) {
                assertTrue("a MESSAGE during the update got " + s + " (all: " + counts + ")", s == 200 || s == 503);
            }

            assertTrue("alice's TCP connection was dropped", alice.isConnected());
            assertTrue("bob's TCP connection was dropped", bob.isConnected());
            assertEquals(1, locationStore().bindings("sip:alice@example.com").size());
            assertEquals(1, locationStore().bindings("sip:bob@example.com").size());

            // No re-registration: messages flow again over the same connections.
            bob.awaitMessage(0, TimeUnit.SECONDS);
            long deadline = System.currentTimeMillis() + 10_000;
            SipResponse r;
            do {
                r = alice.message("bob", "after");
            } while ((r == null || r.status() == 503) && System.currentTimeMillis() < deadline);
            assertNotNull(r);
            assertEquals(200, r.status());
        }
    }

    private LocationStore locationStore() {
        ServiceReference<LocationStore> ref = bundleContext.getServiceReference(LocationStore.class);
        assertNotNull("no LocationStore service", ref);
        return bundleContext.getService(ref);
    }

    private void waitActive(String bsn) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            for (Bundle b : bundleContext.getBundles()) {
                if (bsn.equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError(bsn + " did not come back");
    }
}
