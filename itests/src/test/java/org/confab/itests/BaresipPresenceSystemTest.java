package org.confab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * baresip, a real SIP client from Debian ({@code baresip-core}), against the started distribution:
 * it signs in with digest, publishes its presence (its {@code presence} module, PUBLISH with
 * SIP-If-Match) and watches a contact's presence (a {@code ;presence=p2p} contact: SUBSCRIBE, the
 * server's NOTIFYs). The other user is the test's own {@link SipTestUser}: it watches baresip's user
 * and sees it go online and offline as the user types baresip's commands, and it publishes presence
 * that baresip's contact list then shows (Online, Busy, Offline). When baresip quits, its user is
 * shown offline. Over UDP and over TCP; the baresip folders and logs stay in target/systest/baresip.
 */
public class BaresipPresenceSystemTest {

    private static final String DOMAIN = "example.com";
    private static final String PASSWORD = "Green-Tea-2026";
    private static final String PIDF = "application/pidf+xml";
    private static final int WAIT_MS = 10_000;

    private static ConfabServer server;
    private static String baresip;
    private static String modules;

    @BeforeClass
    public static void startServer() throws Exception {
        baresip = SystemTools.require("baresip", "baresip-core");
        modules = BaresipClient.requireModules();
        server = ConfabServer.unpack("baresip");
        // baresip 1.0.0 (Debian bookworm, libre 1.1.0) knows only MD5 and gives up on the whole
        // 401/407 when any challenge names another algorithm, even next to an MD5 one: offer MD5
        // alone, as an operator with such phones would (README, digest.algorithms).
        server.configure("org.confab.registrar", "digest.algorithms", "MD5");
        server.start();
        server.admin("confab:domain-add " + DOMAIN);
        for (String u : List.of("alice", "bob", "carol", "dave")) {
            server.admin("confab:user-enable --password " + PASSWORD + " sip:" + u + "@" + DOMAIN);
        }
    }

    @AfterClass
    public static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    public void presenceOverUdp() throws Exception {
        signInPublishAndWatch("udp", "alice", "bob");
    }

    @Test
    public void presenceOverTcp() throws Exception {
        signInPublishAndWatch("tcp", "carol", "dave");
    }

    private void signInPublishAndWatch(String transport, String user, String peer) throws Exception {
        String userAor = "sip:" + user + "@" + DOMAIN;
        String peerAor = "sip:" + peer + "@" + DOMAIN;
        Path dir = server.home().resolve("baresip-" + transport);
        try (BaresipClient phone = BaresipClient.start(baresip, modules, dir, user, DOMAIN, PASSWORD, transport,
                server.sipPort(), peer);
             SipTestUser watcher = new SipTestUser(peer, DOMAIN, PASSWORD, transport.toUpperCase(), "127.0.0.1",
                     server.sipPort())) {

            // (1) baresip signs in: its own registration list says OK, and the server lists its endpoint.
            if (!within(WAIT_MS, phone::registered)) {
                fail("baresip did not register within " + WAIT_MS + " ms:\n" + phone.log());
            }
            String endpoints = server.admin("confab:endpoints");
            assertTrue("no baresip endpoint for " + userAor + ":\n" + endpoints,
                    endpoints.lines().anyMatch(l -> l.contains(userAor) && l.contains("baresip")));

            // (2) baresip publishes. The watcher registers (a user without endpoints is shown offline,
            // which (3) needs) and subscribes; then the presence module is loaded (see BaresipClient;
            // its first publication is "unknown", shown offline), and the user's commands take the
            // watcher's view to open, closed, open.
            assertEquals(200, watcher.register(600).status());
            SipResponse s = watcher.request("SUBSCRIBE", user, UUID.randomUUID().toString(), "w" + transport,
                    "Event: presence\r\nAccept: application/pidf+xml\r\nExpires: 600\r\n", null, null);
            assertNotNull("no answer to the watcher's SUBSCRIBE", s);
            assertTrue("SUBSCRIBE answered " + s.status(), s.status() == 200 || s.status() == 202);
            phone.loadPresence();
            if (!within(WAIT_MS, () -> publications(server.admin("confab:presence " + userAor)) >= 1)) {
                fail("the server holds no publication of baresip for " + userAor + " after " + WAIT_MS + " ms:\n"
                        + presence(userAor) + phone.log());
            }
            String[] commands = {"presence_online", "presence_offline", "presence_online"};
            for (String command : commands) {
                drain(watcher);
                phone.command(command);
                String basic = command.endsWith("online") ? "open" : "closed";
                SipRequest n = awaitNotify(watcher, "<basic>" + basic + "</basic>", phone, userAor, command);
                assertTrue(body(n), body(n).contains("entity=\"" + userAor + "\""));
            }
            // one publication, modified in place (SIP-If-Match): not one more per change
            String view = server.admin("confab:presence " + userAor);
            assertEquals("baresip's publications:\n" + view, 1, publications(view));

            // (3) baresip watches the peer (its SUBSCRIBE, the server's NOTIFYs): its contact list
            // follows what the peer publishes. The peer modifies one publication (SIP-If-Match).
            String etag = publish(watcher, peer, null, "closed", "");
            awaitContact(phone, peerAor, "Offline");
            etag = publish(watcher, peer, etag, "open", "");
            awaitContact(phone, peerAor, "Online");
            etag = publish(watcher, peer, etag, "open", "<rpid:busy/>");
            awaitContact(phone, peerAor, "Busy");
            publish(watcher, peer, etag, "closed", "");
            awaitContact(phone, peerAor, "Offline");

            // (4) baresip quits (it unregisters): the watcher sees its user closed.
            if (!phone.stop()) {
                fail("baresip did not exit within 10 s of SIGTERM:\n" + phone.log());
            }
            awaitNotify(watcher, "<basic>closed</basic>", phone, userAor, "baresip quit");
        }
    }

    /** The peer's PUBLISH (a new one, or a modification of {@code etag}); returns the new entity tag. */
    private static String publish(SipTestUser publisher, String user, String etag, String basic, String activity)
            throws Exception {
        String doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\""
                + " xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" entity=\"sip:" + user + "@" + DOMAIN + "\">\n"
                + "  <tuple id=\"t1\"><status><basic>" + basic + "</basic></status></tuple>\n"
                + "  <dm:person id=\"p1\"><rpid:activities>" + activity + "</rpid:activities></dm:person>\n"
                + "</presence>\n";
        String headers = "Event: presence\r\nExpires: 600\r\n" + (etag == null ? "" : "SIP-If-Match: " + etag + "\r\n");
        SipResponse r = publisher.request("PUBLISH", user, UUID.randomUUID().toString(), "p" + basic, headers, doc,
                PIDF);
        assertNotNull("no answer to " + user + "'s PUBLISH", r);
        assertEquals(user + "'s PUBLISH (" + basic + " " + activity + ")", 200, r.status());
        assertNotNull("PUBLISH 200 without SIP-ETag", r.header("SIP-ETag"));
        return r.header("SIP-ETag");
    }

    /** Waits until baresip's contact list shows the contact with the status. */
    private static void awaitContact(BaresipClient phone, String contactAor, String status) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        String seen = null;
        while (System.currentTimeMillis() < deadline) {
            seen = phone.contactStatus(contactAor);
            if (status.equals(seen)) {
                return;
            }
            Thread.sleep(200);
        }
        fail("baresip shows " + contactAor + " as " + seen + ", not " + status + ", after " + WAIT_MS + " ms:\n"
                + phone.command("contacts") + presence(contactAor) + phone.log());
    }

    /** The next NOTIFY whose body contains the text, within WAIT_MS; fails (with both sides' views) if none came. */
    private static SipRequest awaitNotify(SipTestUser watcher, String text, BaresipClient phone, String presentity,
                                          String after) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        StringBuilder seen = new StringBuilder();
        while (System.currentTimeMillis() < deadline) {
            SipRequest n = watcher.awaitNotify(deadline - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
            if (n != null && body(n).contains(text)) {
                return n;
            }
            if (n != null) {
                seen.append(body(n));
            }
        }
        fail(watcher.aor() + " saw no " + text + " for " + presentity + " within " + WAIT_MS + " ms after " + after
                + "; NOTIFY bodies seen meanwhile:\n" + seen + "server:\n" + presence(presentity) + "baresip:\n"
                + phone.log());
        return null;
    }

    private static String body(SipRequest r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** How many publications from baresip (its User-Agent is the device) a confab:presence output lists. */
    private static int publications(String presenceOutput) {
        return (int) presenceOutput.lines().filter(l -> l.contains("| baresip ")).count();
    }

    /** Drops NOTIFYs already received or arriving within 300 ms of each other (at most 3 s). */
    private static void drain(SipTestUser watcher) throws InterruptedException {
        for (int i = 0; i < 10 && watcher.awaitNotify(300, TimeUnit.MILLISECONDS) != null; i++) {
            // dropped: only NOTIFYs caused by the next command count
        }
    }

    /** The server's view of a user's presence (confab:presence), for failure messages. */
    private static String presence(String aor) {
        try {
            return server.command("confab:presence " + aor).output() + "\n";
        } catch (Exception e) {
            return "(confab:presence failed: " + e + ")\n";
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static boolean within(long millis, Check check) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (check.ok()) {
                return true;
            }
            Thread.sleep(200);
        }
        return check.ok();
    }
}
