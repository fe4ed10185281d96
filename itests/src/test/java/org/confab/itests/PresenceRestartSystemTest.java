package org.confab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.junit.Test;

/**
 * Presence state across a stop and start of the whole server (its own JVM, stopped as an operator
 * stops it: SIGTERM, Karaf's shutdown hook stops every bundle). Subscriptions live in memory only
 * (docs/DESIGN-NOTES.md): at the stop each watcher, over TCP and over UDP, gets a final NOTIFY
 * {@code Subscription-State: terminated;reason=deactivated} (RFC 6665 §4.2.2); after the start a new
 * SUBSCRIBE gets 200 and an initial NOTIFY, while a refresh of an old dialog gets 481 and a
 * refresh of an old publication 412 (RFC 3903 §6).
 */
public class PresenceRestartSystemTest {

    private static final String ALICE = "sip:alice@example.com";
    private static final String EVENT = "Event: presence\r\nAccept: application/pidf+xml\r\nExpires: 600\r\n";

    @Test
    public void subscriptionsEndWithDeactivatedAtStopAndAreMadeAgainAfterStart() throws Exception {
        try (ConfabServer server = ConfabServer.unpack("presence-restart")) {
            server.start();
            server.admin("confab:domain-add example.com");
            server.admin("confab:user-enable --password Wonder-Land-7 " + ALICE);
            server.admin("confab:user-enable --password Build-Er-42x sip:bob@example.com");
            int port = server.sipPort();
            String note = "Before-restart " + UUID.randomUUID().toString().substring(0, 8);

            try (SipTestUser alice = new SipTestUser("alice", "example.com", "Wonder-Land-7", "UDP", "127.0.0.1", port);
                 SipTestUser bobTcp = new SipTestUser("bob", "example.com", "Build-Er-42x", "TCP", "127.0.0.1", port);
                 SipTestUser bobUdp = new SipTestUser("bob", "example.com", "Build-Er-42x", "UDP", "127.0.0.1", port)) {
                assertEquals(200, alice.register(600).status());
                SipResponse published = alice.request("PUBLISH", "alice", UUID.randomUUID().toString(), tag(),
                        "Event: presence\r\nExpires: 600\r\n", pidf(note), "application/pidf+xml");
                assertEquals(200, published.status());
                String etag = published.header("SIP-ETag");
                assertNotNull("PUBLISH 200 without SIP-ETag", etag);

                Dialog tcp = subscribe(bobTcp);
                Dialog udp = subscribe(bobUdp);
                assertTrue("TCP watcher's initial NOTIFY lacks the note:\n" + body(tcp.first), body(tcp.first).contains(note));
                assertTrue("UDP watcher's initial NOTIFY lacks the note:\n" + body(udp.first), body(udp.first).contains(note));

                // a clean stop: every watcher is told to subscribe again
                server.stop();
                SipRequest endTcp = awaitNotify(bobTcp, tcp.callId,
                        n -> n.header("Subscription-State").startsWith("terminated"), 5000);
                SipRequest endUdp = awaitNotify(bobUdp, udp.callId,
                        n -> n.header("Subscription-State").startsWith("terminated"), 5000);
                assertNotNull("the TCP watcher got no final NOTIFY at the server stop", endTcp);
                assertNotNull("the UDP watcher got no final NOTIFY at the server stop", endUdp);
                for (Object[] pair : new Object[][] {{tcp, endTcp}, {udp, endUdp}}) {
                    Dialog d = (Dialog) pair[0];
                    SipRequest end = (SipRequest) pair[1];
                    assertEquals("terminated;reason=deactivated", end.header("Subscription-State").replace(" ", ""));
                    assertEquals("same dialog", d.first.from().tag(), end.from().tag());
                    assertEquals("same dialog", d.first.to().tag(), end.to().tag());
                    assertTrue("CSeq goes up", end.cseq().number() > d.first.cseq().number());
                }
                String log = karafLog(server);
                assertTrue("karaf.log does not report the final NOTIFYs:\n" + tail(log),
                        log.contains("2 subscription(s) ended with reason=deactivated"));
                assertFalse("the server did not get the answers to its final NOTIFYs:\n" + tail(log),
                        log.contains("final NOTIFY(s) unanswered"));

                // same data, new process: nothing of the old subscriptions or publications is left
                server.start();
                SipResponse stale = bobUdp.requestTo("SUBSCRIBE", target(udp.first), ALICE, udp.first.from().tag(),
                        udp.callId, udp.localTag, EVENT, null, null);
                assertNotNull("no answer to the refresh of the old UDP dialog", stale);
                assertEquals("refresh of a subscription ended at the stop (RFC 6665 §4.2.1.2)", 481, stale.status());
                try (SipTestUser bobTcp2 = new SipTestUser("bob", "example.com", "Build-Er-42x", "TCP", "127.0.0.1", port)) {
                    stale = bobTcp2.requestTo("SUBSCRIBE", target(tcp.first), ALICE, tcp.first.from().tag(),
                            tcp.callId, tcp.localTag, EVENT, null, null);
                    assertNotNull("no answer to the refresh of the old TCP dialog", stale);
                    assertEquals("refresh of a subscription ended at the stop", 481, stale.status());

                    SipResponse oldEtag = alice.request("PUBLISH", "alice", UUID.randomUUID().toString(), tag(),
                            "Event: presence\r\nExpires: 600\r\nSIP-If-Match: " + etag + "\r\n", null, null);
                    assertNotNull(oldEtag);
                    assertEquals("refresh of a publication lost at the stop (RFC 3903 §6)", 412, oldEtag.status());

                    // the clients subscribe again: 200 and an initial NOTIFY, over both transports
                    for (SipTestUser bob : new SipTestUser[] {bobTcp2, bobUdp}) {
                        Dialog again = subscribe(bob);
                        assertFalse("a publication survived the restart:\n" + body(again.first),
                                body(again.first).contains(note));
                        assertTrue("alice's binding survives, so she is open:\n" + body(again.first),
                                body(again.first).contains(">open<"));
                    }
                }
            }
        }
    }

    /** A subscription of the watcher to alice: its Call-ID, the watcher's tag and the first NOTIFY. */
    private record Dialog(String callId, String localTag, SipRequest first) {
    }

    private static Dialog subscribe(SipTestUser bob) throws Exception {
        String callId = UUID.randomUUID().toString();
        String tag = tag();
        SipResponse r = bob.request("SUBSCRIBE", "alice", callId, tag, EVENT, null, null);
        assertNotNull("no answer to SUBSCRIBE over " + bob.transport(), r);
        assertEquals("SUBSCRIBE over " + bob.transport(), 200, r.status());
        SipRequest first = awaitNotify(bob, callId, n -> true, 3000);
        assertNotNull("no initial NOTIFY over " + bob.transport(), first);
        assertTrue(first.header("Subscription-State"), first.header("Subscription-State").startsWith("active"));
        assertEquals(tag, first.to().tag());
        return new Dialog(callId, tag, first);
    }

    /** The first NOTIFY of the dialog that matches within the time (others are dropped), or null. */
    private static SipRequest awaitNotify(SipTestUser u, String callId, Predicate<SipRequest> match, long millis)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        long left;
        while ((left = deadline - System.currentTimeMillis()) > 0) {
            SipRequest n = u.awaitNotify(left, TimeUnit.MILLISECONDS);
            if (n != null && callId.equals(n.callId()) && match.test(n)) {
                return n;
            }
        }
        return null;
    }

    /** The dialog's remote target: the Contact of the server's NOTIFY (RFC 3261 §12.1.2). */
    private static String target(SipRequest notify) {
        return notify.contacts().isEmpty() ? ALICE : notify.contacts().get(0).uri().toString();
    }

    private static String karafLog(ConfabServer server) throws Exception {
        Path log = server.home().resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }

    private static String pidf(String note) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\""
                + " entity=\"" + ALICE + "\">\n"
                + "  <tuple id=\"t1\"><status><basic>open</basic></status></tuple>\n"
                + "  <dm:person id=\"p1\"><dm:note>" + note + "</dm:note></dm:person>\n"
                + "</presence>\n";
    }

    private static String body(SipRequest r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
