package org.confab.presence.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.confab.api.presence.AclRule;
import org.confab.api.presence.Availability;
import org.confab.api.presence.WatcherState;
import org.confab.sip.message.SipParser;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class PresenceCoreTest {

    private static final String ALICE = "sip:alice@example.com";
    private static final String BOB = "sip:bob@example.com";
    private static final String CAROL = "sip:carol@other.org";
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final int MAX_PUBLICATIONS = 4;

    private final Fakes.Client client = new Fakes.Client();
    private final Fakes.Users users = new Fakes.Users();
    private final Fakes.Acls acls = new Fakes.Acls();
    private final Fakes.State state = new Fakes.State();
    private final Fakes.Contacts contacts = new Fakes.Contacts();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-03-01T10:00:00Z"));
    private PresenceCore core;

    @Before
    public void setUp() {
        users.addUser(ALICE);
        users.addUser(BOB);
        users.addUser(CAROL);
        core = newCore();
    }

    @After
    public void tearDown() {
        core.deactivate();
    }

    private PresenceCore newCore() {
        PresenceCore c = new PresenceCore();
        c.client = client;
        c.users = users;
        c.domains = users;
        c.acls = acls;
        c.state = state;
        c.contacts = contacts;
        c.authenticator = new Fakes.Auth();
        c.clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        c.start(new PresenceCore.Settings(3600, 60, 3600, 50, 2, 100, true, 5, 1000, MAX_PUBLICATIONS));
        return c;
    }

    private static SipRequest request(String method, String ruri, String from, String fromTag, String toTag,
                                      String callId, int cseq, String extra, String body) throws Exception {
        String text = method + " " + ruri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:40000;branch=z9hG4bK" + SEQ.incrementAndGet() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <" + from + ">;tag=" + fromTag + "\r\n"
                + "To: <" + ruri + ">" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Contact: <sip:" + from.substring(4, from.indexOf('@')) + "@127.0.0.1:40000;transport=tcp>\r\n"
                + extra
                + (body == null ? "Content-Length: 0\r\n\r\n"
                : "Content-Type: application/pidf+xml\r\nContent-Length: "
                        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
        return (SipRequest) SipParser.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private Fakes.Tx serve(SipRequest r) {
        Fakes.Tx tx = new Fakes.Tx(r, new Fakes.TcpFlow("tcp-1"));
        core.onRequest(tx);
        return tx;
    }

    private static String pidf(String activity, String note) {
        return "<?xml version=\"1.0\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\""
                + " xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\""
                + " entity=\"" + ALICE + "\"><tuple id=\"a\"><status><basic>open</basic></status></tuple>"
                + "<dm:person id=\"p\">" + (activity == null ? "" : "<rpid:activities><rpid:" + activity
                + "/></rpid:activities>") + "<dm:note>" + note + "</dm:note></dm:person></presence>";
    }

    private Fakes.Tx publish(String etag, String expires, String body) throws Exception {
        String extra = "Proxy-Authorization: Test " + ALICE + "\r\nEvent: presence\r\n"
                + (etag == null ? "" : "SIP-If-Match: " + etag + "\r\n")
                + (expires == null ? "" : "Expires: " + expires + "\r\n");
        return serve(request("PUBLISH", ALICE, ALICE, "p" + SEQ.incrementAndGet(), null, "pub-" + SEQ.get(), 1, extra, body));
    }

    /** Bob subscribes to Alice; returns the 200. */
    private SipResponse subscribe(String watcher, String callId, String event) throws Exception {
        Fakes.Tx tx = serve(request("SUBSCRIBE", ALICE, watcher, "w1", null, callId, 1,
                "Proxy-Authorization: Test " + watcher + "\r\nEvent: " + event + "\r\nExpires: 600\r\n", null));
        return tx.last();
    }

    /** Waits (bounded) for the n-th NOTIFY sent and returns it. */
    private SipRequest notifyNo(int n) throws InterruptedException {
        long end = System.nanoTime() + 3_000_000_000L;
        while (client.sent.size() < n && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertTrue("NOTIFY #" + n + " not sent; sent " + client.sent.size(), client.sent.size() >= n);
        return client.sent.get(n - 1).request();
    }

    private static String body(SipRequest r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    public void publishEntityTagLifecycle() throws Exception {
        assertEquals(407, serve(request("PUBLISH", ALICE, ALICE, "x", null, "c0", 1, "Event: presence\r\n", pidf("busy", "n"))).last().status());
        SipResponse first = publish(null, "120", pidf("busy", "Meeting")).last();
        assertEquals(200, first.status());
        String etag1 = first.header("SIP-ETag");
        assertNotNull(etag1);
        assertEquals("120", first.header("Expires"));
        assertEquals(Availability.BUSY, core.presence(ALICE).availability());

        SipResponse refreshed = publish(etag1, "120", null).last(); // refresh: no body
        assertEquals(200, refreshed.status());
        String etag2 = refreshed.header("SIP-ETag");
        assertNotEquals(etag1, etag2);
        assertEquals(412, publish(etag1, "120", null).last().status()); // the old tag is gone

        SipResponse modified = publish(etag2, null, pidf("away", "Lunch")).last();
        assertEquals(200, modified.status());
        assertEquals("3600", modified.header("Expires"));
        assertEquals(Availability.AWAY, core.presence(ALICE).availability());
        assertEquals("Lunch", core.presence(ALICE).note());
        assertEquals(1, core.publications(ALICE).size());

        assertEquals(200, publish(modified.header("SIP-ETag"), "0", null).last().status()); // removal
        assertTrue(core.publications(ALICE).isEmpty());
        assertEquals(Availability.OFFLINE, core.presence(ALICE).availability()); // no endpoint: offline
    }

    @Test
    public void publicationsPerUserAreBoundedAndTheOneNearestExpiryGivesWay() throws Exception {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < MAX_PUBLICATIONS; i++) {
            tags.add(publish(null, "600", pidf("busy", "n" + i)).last().header("SIP-ETag"));
            now.set(now.get().plusSeconds(1)); // each expires a second after the one before
        }
        String bobs = serve(request("PUBLISH", BOB, BOB, "b", null, "pub-bob", 1,
                "Proxy-Authorization: Test " + BOB + "\r\nEvent: presence\r\n", pidf(null, "bob"))).last().header("SIP-ETag");
        String refreshed = publish(tags.get(0), "600", null).last().header("SIP-ETag"); // now the last to expire
        assertEquals(MAX_PUBLICATIONS, core.publications(ALICE).size()); // a refresh replaces: nothing gives way

        SipResponse beyond = publish(null, "600", pidf("away", "newest")).last();
        assertEquals(200, beyond.status());
        assertEquals(MAX_PUBLICATIONS, core.publications(ALICE).size());
        assertEquals(MAX_PUBLICATIONS + 1, state.pubs.size()); // Alice's bound, plus Bob's one
        assertEquals(412, publish(tags.get(1), "600", null).last().status()); // nearest its expiry: gone
        assertEquals(200, publish(refreshed, "600", null).last().status());
        assertEquals(200, publish(tags.get(2), "600", null).last().status());
        assertEquals(1, core.publications(BOB).size());
        assertNotNull(bobs);
        assertEquals(MAX_PUBLICATIONS + 1, state.pubs.size());
    }

    @Test
    public void theBoundHoldsOverPublicationsAnUpdatedInstanceFindsInTheStore() throws Exception {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < MAX_PUBLICATIONS; i++) {
            tags.add(publish(null, "600", pidf("busy", "n" + i)).last().header("SIP-ETag"));
            now.set(now.get().plusSeconds(1));
        }
        core.deactivate();
        core = newCore(); // what bundle:update does: a new instance over the store's state
        assertEquals(MAX_PUBLICATIONS, core.publications(ALICE).size());
        assertEquals(200, publish(null, "600", pidf("away", "after update")).last().status());
        assertEquals(MAX_PUBLICATIONS, core.publications(ALICE).size());
        assertEquals(412, publish(tags.get(0), "600", null).last().status()); // nearest its expiry: gone
        assertEquals(200, publish(tags.get(1), "600", null).last().status());
    }

    @Test
    public void publishRefusesBadInputWithoutChangingState() throws Exception {
        assertEquals(423, publish(null, "10", pidf(null, "")).last().status());
        assertEquals("60", publish(null, "10", pidf(null, "")).last().header("Min-Expires"));
        assertEquals(400, publish(null, null, "<presence").last().status());
        assertEquals(400, publish(null, null, null).last().status());
        assertEquals(412, publish("nosuchtag", null, null).last().status());
        Fakes.Tx other = serve(request("PUBLISH", ALICE, ALICE, "x", null, "c9", 1,
                "Proxy-Authorization: Test " + ALICE + "\r\nEvent: dialog\r\n", pidf(null, "")));
        assertEquals(489, other.last().status());
        assertEquals("presence", other.last().header("Allow-Events"));
        Fakes.Tx notHers = serve(request("PUBLISH", ALICE, BOB, "x", null, "c8", 1,
                "Proxy-Authorization: Test " + BOB + "\r\nEvent: presence\r\n", pidf(null, "")));
        assertEquals(403, notHers.last().status());
        assertTrue(state.pubs.isEmpty());
    }

    @Test
    public void subscribeGetsImmediateNotifyThenChangesThenTerminated() throws Exception {
        String etag = publish(null, null, pidf("busy", "Meeting")).last().header("SIP-ETag");
        SipResponse ok = subscribe(BOB, "sub-1", "presence");
        assertEquals(200, ok.status());
        assertEquals("600", ok.header("Expires"));
        SipRequest n1 = notifyNo(1);
        assertEquals("NOTIFY", n1.method());
        assertEquals("active;expires=600", n1.header("Subscription-State"));
        assertEquals("presence", n1.header("Event"));
        assertEquals("sub-1", n1.callId());
        assertEquals("w1", n1.to().tag());
        assertEquals(ok.to().tag(), n1.from().tag());
        assertEquals("sip:bob@127.0.0.1:40000;transport=tcp", n1.requestUri().toString());
        assertEquals("tcp-1", client.sent.get(0).destination().flowId());
        assertTrue(body(n1), body(n1).contains("<rpid:busy/>") && body(n1).contains("Meeting"));

        publish(etag, null, pidf("away", "Gone")); // modify: the same endpoint
        SipRequest n2 = notifyNo(2);
        assertTrue(body(n2), body(n2).contains("<rpid:away/>") && !body(n2).contains("Meeting"));
        assertEquals(n1.cseq().number() + 1, n2.cseq().number());

        Fakes.Tx unsub = serve(request("SUBSCRIBE", ALICE, BOB, "w1", ok.to().tag(), "sub-1", 2,
                "Proxy-Authorization: Test " + BOB + "\r\nEvent: presence\r\nExpires: 0\r\n", null));
        assertEquals(200, unsub.last().status());
        SipRequest n3 = notifyNo(3);
        assertEquals("terminated", n3.header("Subscription-State"));
        assertTrue(state.subs.isEmpty());
        assertEquals(481, serve(request("SUBSCRIBE", ALICE, BOB, "w1", ok.to().tag(), "sub-1", 3,
                "Proxy-Authorization: Test " + BOB + "\r\nEvent: presence\r\n", null)).last().status());
    }

    @Test
    public void unknownPackageGets489AndUnauthenticatedGets407() throws Exception {
        SipResponse r = subscribe(BOB, "s-x", "dialog");
        assertEquals(489, r.status());
        assertEquals("presence, presence.winfo", r.header("Allow-Events"));
        assertEquals(407, serve(request("SUBSCRIBE", ALICE, BOB, "w", null, "s-y", 1, "Event: presence\r\n", null)).last().status());
        core.authenticator = null;
        assertEquals(503, subscribe(BOB, "s-z", "presence").status());
        assertTrue(state.subs.isEmpty());
    }

    @Test
    public void blockingHidesPresenceAtOnceAndPendingThenAllowed() throws Exception {
        publish(null, null, pidf("busy", "Secret"));
        subscribe(CAROL, "c-1", "presence");
        SipRequest pending = notifyNo(1);
        assertEquals("pending;expires=600", pending.header("Subscription-State"));
        assertTrue(body(pending).contains("<basic>closed</basic>"));
        assertFalse(body(pending).contains("Secret"));
        assertEquals(WatcherState.PENDING, core.watchers(ALICE).get(0).state());

        acls.put(ALICE, CAROL, AclRule.ALLOW);
        SipRequest allowed = notifyNo(2);
        assertEquals("active;expires=600", allowed.header("Subscription-State"));
        assertTrue(body(allowed).contains("Secret"));

        acls.put(ALICE, CAROL, AclRule.BLOCK);
        SipRequest blocked = notifyNo(3);
        assertEquals("active;expires=600", blocked.header("Subscription-State")); // polite blocking
        assertTrue(body(blocked).contains("<basic>closed</basic>"));
        assertFalse(body(blocked).contains("Secret"));
        assertEquals("sip:alice@example.com blocks user sip:carol@other.org: sip:carol@other.org sees offline",
                core.authorize(CAROL, ALICE).reason());
    }

    @Test
    public void notifiesToOneWatcherAreCoalesced() throws Exception {
        subscribe(BOB, "co-1", "presence");
        notifyNo(1);
        Thread.sleep(60);
        String etag = publish(null, null, pidf("busy", "v0")).last().header("SIP-ETag");
        for (int i = 1; i <= 20; i++) {
            etag = publish(etag, null, pidf(i % 2 == 0 ? "busy" : "away", "v" + i)).last().header("SIP-ETag");
        }
        Thread.sleep(300);
        int sent = client.sent.size();
        assertTrue("20 changes gave " + (sent - 1) + " NOTIFYs", sent - 1 <= 4 && sent >= 2);
        assertTrue(body(client.sent.get(sent - 1).request()).contains("v20"));
    }

    @Test
    public void subscriptionsSurviveANewInstanceAndExpireWithTimeout() throws Exception {
        SipResponse ok = subscribe(BOB, "up-1", "presence");
        long cseq = notifyNo(1).cseq().number();
        core.deactivate();
        core = newCore(); // what bundle:update does: a new instance over the store's state
        publish(null, null, pidf("busy", "after update"));
        SipRequest n2 = notifyNo(2);
        assertEquals(cseq + 1, n2.cseq().number());
        assertTrue(body(n2).contains("after update"));
        assertEquals(200, serve(request("SUBSCRIBE", ALICE, BOB, "w1", ok.to().tag(), "up-1", 2,
                "Proxy-Authorization: Test " + BOB + "\r\nEvent: presence\r\nExpires: 600\r\n", null)).last().status());
        notifyNo(3);
        now.set(now.get().plusSeconds(601));
        SipRequest last = notifyNo(4);
        assertEquals("terminated;reason=timeout", last.header("Subscription-State"));
        assertTrue(state.subs.isEmpty());
    }

    @Test
    public void watcherInfoListsWatchersForTheUserOnly() throws Exception {
        assertEquals(403, subscribe(BOB, "wi-0", "presence.winfo").status());
        Fakes.Tx own = serve(request("SUBSCRIBE", ALICE, ALICE, "a1", null, "wi-1", 1,
                "Proxy-Authorization: Test " + ALICE + "\r\nEvent: presence.winfo\r\n", null));
        assertEquals(200, own.last().status());
        SipRequest n1 = notifyNo(1);
        assertEquals("application/watcherinfo+xml", n1.header("Content-Type"));
        subscribe(CAROL, "wi-2", "presence");
        long end = System.nanoTime() + 3_000_000_000L;
        String winfo = "";
        while (System.nanoTime() < end && !winfo.contains("pending")) {
            for (var s : client.sent) {
                if (s.request().callId().equals("wi-1")) {
                    winfo = body(s.request());
                }
            }
            Thread.sleep(5);
        }
        assertTrue(winfo, winfo.contains("status=\"pending\"") && winfo.contains(CAROL));
        assertEquals(List.of(ALICE, CAROL), core.watchers(ALICE).stream().map(w -> w.watcher()).sorted().toList());
    }

    @Test
    public void serverStopEndsEverySubscriptionWithDeactivatedButAnUpdateDoesNot() throws Exception {
        subscribe(BOB, "stop-1", "presence");
        assertEquals(200, serve(request("SUBSCRIBE", ALICE, ALICE, "a1", null, "stop-2", 1,
                "Proxy-Authorization: Test " + ALICE + "\r\nEvent: presence.winfo\r\n", null)).last().status());
        notifyNo(2);
        long end = System.nanoTime() + 3_000_000_000L;
        while (client.sent.size() < 3 && System.nanoTime() < end) {
            Thread.sleep(5); // the winfo NOTIFY that Bob's subscription causes
        }
        core.deactivate(); // an update: nothing ends
        core = newCore();
        assertEquals(2, state.subs.size());
        int before = client.sent.size();
        Thread answerer = new Thread(() -> {
            long stop = System.nanoTime() + 3_000_000_000L;
            int answered = 0;
            while (answered < 2 && System.nanoTime() < stop) {
                for (int i = before + answered; i < client.sent.size(); i++) {
                    client.sent.get(i).listener().onResponse(new SipResponse(200, "OK"));
                    answered++;
                }
                Thread.onSpinWait();
            }
        });
        answerer.start();
        core.serverStopping = () -> true;
        long t0 = System.nanoTime();
        core.deactivate();
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        answerer.join(3000);
        assertTrue(state.subs.isEmpty());
        assertEquals(before + 2, client.sent.size());
        for (int i = before; i < before + 2; i++) {
            SipRequest last = client.sent.get(i).request();
            assertEquals("terminated;reason=deactivated", last.header("Subscription-State")); // RFC 6665 §4.2.2
            assertTrue(last.body().length > 0);
        }
        assertTrue("the stop waited " + tookMs + " ms though both NOTIFYs were answered", tookMs < 900);
        core = newCore(); // for tearDown
    }

    @Test
    public void listSubscriptionGetsFullStateThenPartialNotifications() throws Exception {
        users.addUser("sip:dave@example.com");
        contacts.put(BOB, ALICE, "Alice", "work");
        contacts.put(BOB, CAROL, "", "");
        contacts.put(BOB, "sip:dave@example.com", "", "");
        acls.put("sip:dave@example.com", BOB, AclRule.BLOCK);
        acls.setSameDomainAllowed(true);
        Fakes.Tx tx = serve(request("SUBSCRIBE", BOB, BOB, "l1", null, "list-1", 1, "Proxy-Authorization: Test " + BOB
                + "\r\nEvent: presence\r\nSupported: eventlist\r\nExpires: 600\r\n", null));
        assertEquals(200, tx.last().status());
        assertEquals("eventlist", tx.last().header("Require"));
        SipRequest full = notifyNo(1);
        assertEquals("presence", full.header("Event"));
        assertEquals("eventlist", full.header("Require"));
        assertTrue(full.header("Content-Type"), full.header("Content-Type").startsWith("multipart/related;type=\"application/rlmi+xml\""));
        String b = body(full);
        assertTrue(b, b.contains("fullState=\"true\"") && b.contains("version=\"1\""));
        assertTrue(b, b.contains("uri=\"" + ALICE + "\"") && b.contains("uri=\"" + CAROL + "\"")
                && b.contains("uri=\"sip:dave@example.com\""));
        assertTrue("carol is in another domain: pending, no PIDF", b.contains("state=\"pending\""));
        assertEquals("alice and (politely offline) dave have a PIDF part", 2, b.split("Content-Type: application/pidf\\+xml").length - 1);

        Thread.sleep(80); // past the minimum interval
        publish(null, null, pidf("busy", "partial please"));
        SipRequest partial = notifyNo(2);
        String p = body(partial);
        assertTrue(p, p.contains("fullState=\"false\"") && p.contains("version=\"2\""));
        assertTrue(p, p.contains("uri=\"" + ALICE + "\"") && p.contains("partial please"));
        assertFalse("only the changed member", p.contains(CAROL) || p.contains("dave"));
        assertTrue(core.watchers(ALICE).isEmpty()); // a list member is not a watcher of its own

        // RFC 4662 §5.2: the NOTIFY after a refreshing SUBSCRIBE carries full state again
        Thread.sleep(80);
        Fakes.Tx refresh = serve(request("SUBSCRIBE", BOB, BOB, "l1", tx.last().to().tag(), "list-1", 2,
                "Proxy-Authorization: Test " + BOB + "\r\nEvent: presence\r\nSupported: eventlist\r\nExpires: 600\r\n",
                null));
        assertEquals(200, refresh.last().status());
        assertEquals("eventlist", refresh.last().header("Require"));
        String again = body(notifyNo(3));
        assertTrue(again, again.contains("fullState=\"true\"") && again.contains("version=\"3\"")
                && again.contains(CAROL) && again.contains("dave"));
    }

    @Test
    public void ownAorWithoutEventlistIsAPlainSelfSubscription() throws Exception {
        contacts.put(ALICE, BOB, "", "");
        Fakes.Tx tx = serve(request("SUBSCRIBE", ALICE, ALICE, "s1", null, "self-1", 1, "Proxy-Authorization: Test "
                + ALICE + "\r\nEvent: presence\r\nExpires: 600\r\n", null));
        assertEquals(200, tx.last().status());
        assertEquals(null, tx.last().header("Require"));
        assertEquals("application/pidf+xml", notifyNo(1).header("Content-Type"));
    }

    /**
     * A list member that signs in or out without publishing (offline.without.registration) reaches
     * the list with a partial NOTIFY, as it reaches a direct watcher: the sweep follows the
     * registrations of list members too, not only of users watched directly.
     */
    @Test
    public void listMemberSigningInAndOutReachesTheList() throws Exception {
        Fakes.Locations locations = new Fakes.Locations();
        core.locations = locations;
        locations.signIn(BOB, now.get().plusSeconds(3600));
        contacts.put(BOB, ALICE, "Alice", "");
        contacts.put(BOB, "sip:dave@example.com", "", "");
        users.addUser("sip:dave@example.com");
        Fakes.Tx tx = serve(request("SUBSCRIBE", BOB, BOB, "l1", null, "list-reg", 1, "Proxy-Authorization: Test " + BOB
                + "\r\nEvent: presence\r\nSupported: eventlist\r\nExpires: 600\r\n", null));
        assertEquals(200, tx.last().status());
        String full = body(notifyNo(1));
        assertTrue(full, full.contains("fullState=\"true\"") && !full.contains("<basic>open</basic>"));

        locations.signIn(ALICE, now.get().plusSeconds(3600)); // alice registers, publishes nothing
        String in = body(notifyNo(2));
        assertTrue(in, in.contains("fullState=\"false\"") && in.contains("uri=\"" + ALICE + "\""));
        assertFalse("only the member that changed", in.contains("dave"));
        assertTrue("a registered member is available: " + in, in.contains("<basic>open</basic>"));

        locations.signOut(ALICE);
        String out = body(notifyNo(3));
        assertTrue(out, out.contains("fullState=\"false\"") && out.contains("uri=\"" + ALICE + "\""));
        assertTrue("a member without registration is offline: " + out, out.contains("<basic>closed</basic>")
                && !out.contains("<basic>open</basic>"));
    }
}
