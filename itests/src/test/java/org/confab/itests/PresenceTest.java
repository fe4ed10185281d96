package org.confab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Presence over real sockets in the assembled distribution: two users watch each other, a
 * PUBLISH reaches the watcher as a NOTIFY, blocking hides presence at once (polite blocking).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PresenceTest extends ConfabPaxExamSupport {

    private static final String PIDF = "application/pidf+xml";

    @Configuration
    public Option[] config() {
        return confabDistribution();
    }

    private static String pidf(String entity, String basic, String note) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\""
                + " xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" entity=\"" + entity + "\">\n"
                + "  <tuple id=\"t1\"><status><basic>" + basic + "</basic></status></tuple>\n"
                + "  <dm:person id=\"p1\"><rpid:activities><rpid:away/></rpid:activities>"
                + "<dm:note>" + note + "</dm:note></dm:person>\n"
                + "</presence>\n";
    }

    private static SipResponse subscribe(SipTestUser watcher, String target, String callId) throws Exception {
        return watcher.request("SUBSCRIBE", target, callId, "w" + callId.substring(0, 6),
                "Event: presence\r\nAccept: application/pidf+xml\r\nExpires: 600\r\n", null, null);
    }

    private static String body(SipRequest r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** The next NOTIFY whose body contains the text, within the time; null if none came. */
    private static SipRequest notifyWith(SipTestUser watcher, String text, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            SipRequest n = watcher.awaitNotify(deadline - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
            if (n != null && body(n).contains(text)) {
                return n;
            }
        }
        return null;
    }

    private static long median(List<Long> samples) {
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** Milliseconds from sending the publisher's PUBLISH until the watcher has the NOTIFY with the note. */
    private static long publishAndSee(SipTestUser publisher, SipTestUser watcher, String user, String note)
            throws Exception {
        long t0 = System.nanoTime();
        SipResponse p = publisher.request("PUBLISH", user, UUID.randomUUID().toString(), "pt" + note.length(),
                "Event: presence\r\nExpires: 600\r\n", pidf("sip:" + user + "@example.com", "open", note), PIDF);
        assertEquals(200, p.status());
        assertNotNull(user + "'s watcher never saw " + note, notifyWith(watcher, note, 3000));
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    public void usersSeeEachOthersPresenceAndBlockingHidesIt() throws Exception {
        execute("confab:domain-add example.com");
        execute("confab:user-enable --password Wonder-Land-7 sip:alice@example.com");
        execute("confab:user-enable --password Build-Er-42x sip:bob@example.com");
        int port = sipPort();
        try (SipTestUser alice = new SipTestUser("alice", "example.com", "Wonder-Land-7", "TCP", "127.0.0.1", port);
             SipTestUser bob = new SipTestUser("bob", "example.com", "Build-Er-42x", "TCP", "127.0.0.1", port)) {
            assertEquals(200, alice.register(600).status());
            assertEquals(200, bob.register(600).status());

            // Each watches the other; the first NOTIFY follows the 200 at once (RFC 6665 §4.2.1).
            SipResponse s = subscribe(bob, "alice", UUID.randomUUID().toString());
            assertNotNull(s);
            assertTrue("SUBSCRIBE answered " + s.status(), s.status() == 200 || s.status() == 202);
            SipRequest first = bob.awaitNotify(2, TimeUnit.SECONDS);
            assertNotNull("no initial NOTIFY", first);
            assertEquals("presence", first.header("Event"));
            assertTrue(first.header("Subscription-State"), first.header("Subscription-State").startsWith("active"));
            s = subscribe(alice, "bob", UUID.randomUUID().toString());
            assertTrue("SUBSCRIBE answered " + s.status(), s.status() == 200 || s.status() == 202);
            assertNotNull(alice.awaitNotify(2, TimeUnit.SECONDS));

            // alice publishes; bob sees it. Then bob publishes; alice sees it.
            long t0 = System.nanoTime();
            SipResponse p = alice.request("PUBLISH", "alice", UUID.randomUUID().toString(), "p1",
                    "Event: presence\r\nExpires: 600\r\n", pidf("sip:alice@example.com", "open", "Out to lunch"), PIDF);
            assertEquals(200, p.status());
            assertNotNull("PUBLISH 200 carries SIP-ETag", p.header("SIP-ETag"));
            SipRequest seen = notifyWith(bob, "Out to lunch", 3000);
            assertNotNull("bob never saw alice's note", seen);
            System.out.println("PUBLISH to watcher's NOTIFY: " + (System.nanoTime() - t0) / 1_000_000 + " ms (loopback)");

            p = bob.request("PUBLISH", "bob", UUID.randomUUID().toString(), "p2",
                    "Event: presence\r\nExpires: 600\r\n", pidf("sip:bob@example.com", "open", "In a meeting"), PIDF);
            assertEquals(200, p.status());
            assertNotNull("alice never saw bob's note", notifyWith(alice, "In a meeting", 3000));

            // After a quiet period longer than min.notify.interval.ms (200 ms) a change is not
            // held back by coalescing: each side sees the other's change within 100 ms. Five changes
            // each way; the median must hold (one sample can meet a GC pause of a busy build machine).
            List<Long> aToB = new ArrayList<>();
            List<Long> bToA = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Thread.sleep(300);
                aToB.add(publishAndSee(alice, bob, "alice", "Back at my desk " + i));
                Thread.sleep(300);
                bToA.add(publishAndSee(bob, alice, "bob", "Gone fishing " + i));
            }
            System.out.println("PUBLISH to watcher's NOTIFY after a quiet period (loopback), ms: alice->bob " + aToB
                    + ", bob->alice " + bToA);
            assertTrue("alice->bob median above 100 ms: " + aToB, median(aToB) <= 100);
            assertTrue("bob->alice median above 100 ms: " + bToA, median(bToA) <= 100);

            // alice blocks bob: at once bob is told alice is offline, and nothing more (polite blocking).
            execute("confab:acl-block sip:alice@example.com sip:bob@example.com");
            SipRequest blocked = notifyWith(bob, "closed", 3000);
            assertNotNull("blocking did not reach bob's subscription", blocked);
            assertFalse("a blocked watcher must not see the note", body(blocked).contains("Out to lunch"));
            String why = execute("confab:why sip:bob@example.com sip:alice@example.com");
            assertTrue(why, why.toLowerCase().contains("block"));

            // unblocking (allowing) shows the presence again
            execute("confab:acl-allow sip:alice@example.com sip:bob@example.com");
            assertNotNull("allowing did not restore presence", notifyWith(bob, "Out to lunch", 3000));
        }
    }
}
