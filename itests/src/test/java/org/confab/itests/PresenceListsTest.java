package org.confab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.confab.api.presence.ContactStore;
import org.confab.api.transport.SipApplication;
import org.confab.sip.message.SipRequest;
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
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Presence authorization, watcher information, resource lists and hot update over real sockets
 * on 127.0.0.1 in the assembled distribution: a watcher of another domain waits pending until
 * the user allows it (RFC 3856 §6.6, RFC 3857), a contact list of 50 is one subscription with
 * full then partial RLMI notifications (RFC 4662) and the pool's contact cap refuses more, and a
 * subscription dialog goes on across {@code bundle:update} of the presence bundle and across a
 * re-activation of the store for a configuration change. One container
 * serves the class; each test follows only its own dialogs (by Call-ID).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PresenceListsTest extends ConfabPaxExamSupport {

    private static final String DOMAIN = "example.com";
    private static final String OTHER_DOMAIN = "other.org";
    private static final String ALICE_PASSWORD = "Wonder-Land-7";
    private static final String BOB_PASSWORD = "Build-Er-42x";
    private static final String CAROL_PASSWORD = "Sing-Song-58";
    private static final String CONTACT_PASSWORD = "Buddy-List-8x";
    private static final String ALICE = "sip:alice@" + DOMAIN;
    private static final String CAROL = "sip:carol@" + OTHER_DOMAIN;
    private static final String PIDF = "application/pidf+xml";
    private static final int CONTACTS = 50;

    @Configuration
    public Option[] config() {
        return confabDistribution();
    }

    // ---- a. a watcher of another domain is pending until the user allows it

    @Test
    public void watcherOfAnotherDomainIsPendingThenActiveOnceAllowed() throws Exception {
        ensureUser("alice", DOMAIN, ALICE_PASSWORD);
        ensureUser("carol", OTHER_DOMAIN, CAROL_PASSWORD);
        String note = "Pending-check " + UUID.randomUUID().toString().substring(0, 8);
        try (SipTestUser alice = phone("alice", DOMAIN, ALICE_PASSWORD);
             SipTestUser carol = phone("carol", OTHER_DOMAIN, CAROL_PASSWORD)) {
            assertEquals(200, alice.register(600).status());
            assertEquals(200, publish(alice, "alice", note).status());

            // alice watches who watches her (RFC 3857)
            String winfoCallId = UUID.randomUUID().toString();
            SipResponse w = alice.request("SUBSCRIBE", "alice", winfoCallId, tag(),
                    "Event: presence.winfo\r\nAccept: application/watcherinfo+xml\r\nExpires: 600\r\n", null, null);
            assertNotNull("no answer to alice's presence.winfo SUBSCRIBE", w);
            assertEquals("alice's presence.winfo SUBSCRIBE", 200, w.status());
            SipRequest winfo0 = awaitNotify(alice, winfoCallId, n -> true, 2000, new ArrayList<>());
            assertNotNull("no initial watcherinfo NOTIFY", winfo0);
            assertEquals("presence.winfo", winfo0.header("Event"));
            assertTrue(winfo0.header("Content-Type"),
                    winfo0.header("Content-Type").toLowerCase(Locale.ROOT).startsWith("application/watcherinfo+xml"));
            assertTrue(winfo0.header("Subscription-State"), winfo0.header("Subscription-State").startsWith("active"));

            String whyBefore = execute("confab:why " + CAROL + " " + ALICE);
            assertTrue("before any decision: " + whyBefore, whyBefore.contains(": pending"));

            // carol (other.org) subscribes: 200, then a pending NOTIFY that shows nothing of alice
            String callId = UUID.randomUUID().toString();
            SipResponse s = carol.requestTo("SUBSCRIBE", ALICE, ALICE, null, callId, tag(),
                    "Event: presence\r\nAccept: application/pidf+xml\r\nExpires: 600\r\n", null, null);
            assertNotNull("no answer to carol's SUBSCRIBE", s);
            assertEquals("carol's SUBSCRIBE (RFC 6665 §4.2.1.1: 200 even when pending)", 200, s.status());
            SipRequest pending = awaitNotify(carol, callId, n -> true, 2000, new ArrayList<>());
            assertNotNull("no initial NOTIFY to carol", pending);
            assertTrue("carol's first NOTIFY: " + pending.header("Subscription-State"),
                    pending.header("Subscription-State").startsWith("pending"));
            assertFalse("a pending watcher saw alice's note:\n" + body(pending), body(pending).contains(note));
            assertFalse("a pending watcher saw alice open:\n" + body(pending), body(pending).contains(">open<"));

            SipRequest winfoPending = awaitNotify(alice, winfoCallId, n -> watcherStatus(n, CAROL) != null, 2000,
                    new ArrayList<>());
            assertNotNull("alice's watcherinfo never named carol", winfoPending);
            assertEquals("carol in alice's watcherinfo:\n" + body(winfoPending), "pending",
                    watcherStatus(winfoPending, CAROL));

            // alice allows carol: carol's subscription turns active at once, with alice's PIDF
            long t0 = System.nanoTime();
            String allowed = execute("confab:acl-allow " + ALICE + " " + CAROL);
            assertTrue(allowed, allowed.contains("allows"));
            List<SipRequest> between = new ArrayList<>();
            SipRequest active = awaitNotify(carol, callId,
                    n -> n.header("Subscription-State").startsWith("active"), 3000, between);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertNotNull("carol's subscription never turned active after acl-allow; saw " + states(between), active);
            System.out.println("acl-allow to the active NOTIFY: " + ms + " ms (loopback)");
            assertTrue("acl-allow reached carol after " + ms + " ms", ms <= 1000);
            for (SipRequest n : between) {
                assertFalse("a NOTIFY before the active one showed the note", body(n).contains(note));
            }
            assertTrue(active.header("Content-Type"),
                    active.header("Content-Type").toLowerCase(Locale.ROOT).startsWith(PIDF));
            assertTrue("the active NOTIFY lacks alice's note:\n" + body(active), body(active).contains(note));
            assertTrue("the active NOTIFY lacks alice's entity:\n" + body(active),
                    body(active).contains("entity=\"" + ALICE + "\""));
            assertTrue("alice is registered and published open:\n" + body(active), body(active).contains(">open<"));
            assertEquals("same dialog", pending.from().tag(), active.from().tag());
            assertTrue("CSeq goes up", active.cseq().number() > pending.cseq().number());

            SipRequest winfoActive = awaitNotify(alice, winfoCallId, n -> "active".equals(watcherStatus(n, CAROL)),
                    2000, new ArrayList<>());
            assertNotNull("alice's watcherinfo never showed carol active", winfoActive);

            String whyAfter = execute("confab:why " + CAROL + " " + ALICE);
            assertTrue("after acl-allow: " + whyAfter, whyAfter.contains(": active") && whyAfter.contains("allows"));
        }
    }

    // ---- b. a resource list of 50 contacts: full state, then one partial NOTIFY; the contact cap

    @Test
    public void contactListOfFiftyIsOneSubscriptionWithFullThenPartialState() throws Exception {
        ensureUser("alice", DOMAIN, ALICE_PASSWORD);
        String users = execute("confab:user-list");
        Set<String> expected = new TreeSet<>();
        for (int i = 1; i <= CONTACTS; i++) {
            String c = String.format("c%02d", i);
            String uri = "sip:" + c + "@" + DOMAIN;
            expected.add(uri);
            if (!users.contains(uri)) {
                execute("confab:user-enable --password " + CONTACT_PASSWORD + " " + uri);
            }
            execute("confab:contact-add --display-name Buddy" + c + " --group Team " + ALICE + " " + uri);
        }
        String list = execute("confab:contact-list " + ALICE);
        assertTrue(list, list.contains(CONTACTS + " of at most"));

        String note = "Partial-check " + UUID.randomUUID().toString().substring(0, 8);
        try (SipTestUser alice = phone("alice", DOMAIN, ALICE_PASSWORD);
             SipTestUser c07 = phone("c07", DOMAIN, CONTACT_PASSWORD)) {
            assertEquals(200, c07.register(600).status());
            assertEquals(200, alice.register(600).status());

            String callId = UUID.randomUUID().toString();
            SipResponse s = alice.request("SUBSCRIBE", "alice", callId, tag(),
                    "Event: presence\r\nSupported: eventlist\r\n"
                            + "Accept: application/pidf+xml, application/rlmi+xml, multipart/related\r\nExpires: 600\r\n",
                    null, null);
            assertNotNull("no answer to the list SUBSCRIBE", s);
            assertEquals("list SUBSCRIBE", 200, s.status());
            assertTrue("the 200 must carry Require: eventlist (RFC 4662 §5.1): " + s.headerValues("Require"),
                    hasToken(s.headerValues("Require"), "eventlist"));

            SipRequest full = awaitNotify(alice, callId, n -> true, 3000, new ArrayList<>());
            assertNotNull("no initial list NOTIFY", full);
            assertEquals("presence", full.header("Event"));
            assertTrue("list NOTIFY without Require: eventlist", hasToken(full.headerValues("Require"), "eventlist"));
            assertTrue(full.header("Subscription-State"), full.header("Subscription-State").startsWith("active"));
            Rlmi first = Rlmi.of(full);
            assertEquals("first NOTIFY must be full state", "true", first.fullState);
            assertEquals(ALICE, first.uri);
            assertEquals("resources of the full-state NOTIFY", expected, first.resources.keySet());
            assertEquals("Buddyc07", first.names.get("sip:c07@" + DOMAIN));
            for (Map.Entry<String, String> r : first.resources.entrySet()) {
                assertEquals(r.getKey() + " (same domain, pool allows)", "active", r.getValue());
            }
            String c07Pidf = first.pidfOf("sip:c07@" + DOMAIN);
            assertNotNull("no PIDF part for c07 in the full state", c07Pidf);
            assertTrue("c07 is registered, hence open:\n" + c07Pidf, c07Pidf.contains(">open<"));
            assertTrue("c08 is not registered, hence closed", first.pidfOf("sip:c08@" + DOMAIN).contains(">closed<"));

            // one contact publishes a note: one partial NOTIFY naming only that contact
            long t0 = System.nanoTime();
            assertEquals(200, publish(c07, "c07", note).status());
            List<SipRequest> between = new ArrayList<>();
            SipRequest partial = awaitNotify(alice, callId, n -> body(n).contains(note), 3000, between);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertNotNull("alice never saw c07's note", partial);
            System.out.println("contact PUBLISH to the partial list NOTIFY: " + ms + " ms (loopback)");
            assertTrue("the partial NOTIFY came after " + ms + " ms", ms <= 1000);
            assertTrue("NOTIFYs before the partial one: " + between.size(), between.isEmpty());
            Rlmi second = Rlmi.of(partial);
            assertEquals("a change of one member is a partial NOTIFY", "false", second.fullState);
            assertEquals(Set.of("sip:c07@" + DOMAIN), second.resources.keySet());
            String pidf = second.pidfOf("sip:c07@" + DOMAIN);
            assertNotNull("the partial NOTIFY has no PIDF part for c07", pidf);
            assertTrue(pidf, pidf.contains(note));
            assertTrue("RLMI version goes up", Long.parseLong(second.version) > Long.parseLong(first.version));
            assertEquals(full.from().tag(), partial.from().tag());

            // a contact that signs in without publishing turns open in the list: registrations of list
            // members are noticed like those of directly watched users (sweep.interval.ms, 1 s)
            try (SipTestUser c08 = phone("c08", DOMAIN, CONTACT_PASSWORD)) {
                t0 = System.nanoTime();
                assertEquals(200, c08.register(600).status());
                between.clear();
                SipRequest signedIn = awaitNotify(alice, callId, n -> body(n).contains("sip:c08@" + DOMAIN), 3000, between);
                ms = (System.nanoTime() - t0) / 1_000_000;
                assertNotNull("c08 registered but alice's list was not told within 3 s (other NOTIFYs: "
                        + between.size() + ")", signedIn);
                System.out.println("contact REGISTER to the partial list NOTIFY: " + ms + " ms (loopback)");
                Rlmi third = Rlmi.of(signedIn);
                assertEquals("false", third.fullState);
                assertEquals(Set.of("sip:c08@" + DOMAIN), third.resources.keySet());
                assertTrue("c08 signed in, hence open:\n" + third.pidfOf("sip:c08@" + DOMAIN),
                        third.pidfOf("sip:c08@" + DOMAIN).contains(">open<"));
            }
        }

        // the pool cap: there is no shell command for it, so the test lowers it through the store's
        // service (what a pool administration tool would call), then contact-add refuses the 51st
        ContactStore cs = service(ContactStore.class);
        assertEquals("default cap", ContactStore.DEFAULT_MAX_CONTACTS, cs.maxContactsPerUser());
        try {
            cs.setMaxContactsPerUser(CONTACTS);
            String refused = executeFailing("confab:contact-add " + ALICE + " sip:c51@" + DOMAIN);
            assertTrue("refusal must name the cap: " + refused,
                    refused.contains("contacts.max-per-user = " + CONTACTS) && refused.contains(ALICE));
            assertFalse("one line: " + refused, refused.contains("\n"));
            String after = execute("confab:contact-list " + ALICE);
            assertFalse("the refused contact was added:\n" + after, after.contains("sip:c51@"));
            assertTrue(after, after.contains(CONTACTS + " of at most " + CONTACTS));
            // at the cap an existing contact can still be changed
            execute("confab:contact-add --display-name Renamed " + ALICE + " sip:c01@" + DOMAIN);
        } finally {
            cs.setMaxContactsPerUser(ContactStore.DEFAULT_MAX_CONTACTS);
        }
        execute("confab:contact-add " + ALICE + " sip:c51@" + DOMAIN);
        assertTrue(execute("confab:contact-list " + ALICE).contains("sip:c51@" + DOMAIN));
        execute("confab:contact-remove " + ALICE + " sip:c51@" + DOMAIN);
    }

    // ---- c. a subscription goes on across bundle:update of the presence bundle

    @Test
    public void subscriptionContinuesAcrossUpdateOfThePresenceBundle() throws Exception {
        subscriptionContinuesAcross("bundle:update org.confab.presence");
    }

    // ---- d. and across a re-activation of the store (a configuration change): the presence
    // state is a component of its own, not a field of the store's database component

    @Test
    public void subscriptionContinuesAcrossAReconfigurationOfTheStore() throws Exception {
        subscriptionContinuesAcross("config:property-set -p org.confab.store location.flush.interval.ms 250");
    }

    /** A subscription made before {@code command} gets NOTIFYs after it, in the same dialog. */
    private void subscriptionContinuesAcross(String command) throws Exception {
        ensureUser("alice", DOMAIN, ALICE_PASSWORD);
        ensureUser("bob", DOMAIN, BOB_PASSWORD);
        try (SipTestUser alice = phone("alice", DOMAIN, ALICE_PASSWORD);
             SipTestUser bob = phone("bob", DOMAIN, BOB_PASSWORD)) {
            assertEquals(200, alice.register(600).status());
            assertEquals(200, bob.register(600).status());
            String callId = UUID.randomUUID().toString();
            String bobTag = tag();
            SipResponse s = bob.request("SUBSCRIBE", "alice", callId, bobTag,
                    "Event: presence\r\nAccept: application/pidf+xml\r\nExpires: 600\r\n", null, null);
            assertNotNull(s);
            assertEquals(200, s.status());
            SipRequest first = awaitNotify(bob, callId, n -> true, 2000, new ArrayList<>());
            assertNotNull("no initial NOTIFY", first);
            assertTrue(first.header("Subscription-State").startsWith("active"));

            long before = presenceServiceId();
            String out = execute(command);
            long after = awaitPresenceBack(before);
            System.out.println(command + " (" + out.trim() + "); SUBSCRIBE/PUBLISH service " + before + " -> " + after);

            String note = "After-update " + UUID.randomUUID().toString().substring(0, 8);
            long deadline = System.currentTimeMillis() + 5000;
            SipResponse p;
            do {
                p = publish(alice, "alice", note);
            } while ((p == null || p.status() == 503) && System.currentTimeMillis() < deadline);
            assertNotNull("no answer to PUBLISH after the update", p);
            assertEquals("PUBLISH after " + command, 200, p.status());

            SipRequest next = awaitNotify(bob, callId, n -> body(n).contains(note), 3000, new ArrayList<>());
            assertNotNull("bob's subscription did not go on after " + command + ": no NOTIFY with the new note", next);
            assertEquals("same Call-ID", first.callId(), next.callId());
            assertEquals("same server tag", first.from().tag(), next.from().tag());
            assertEquals("same subscriber tag", bobTag, next.to().tag());
            assertEquals(first.to().tag(), next.to().tag());
            assertTrue("CSeq " + next.cseq().number() + " must exceed " + first.cseq().number(),
                    next.cseq().number() > first.cseq().number());
            assertTrue(next.header("Subscription-State").startsWith("active"));

            // and the dialog can still be refreshed in place (no 481)
            String target = first.contacts().isEmpty() ? ALICE : first.contacts().get(0).uri().toString();
            SipResponse refresh = bob.requestTo("SUBSCRIBE", target, ALICE, first.from().tag(), callId, bobTag,
                    "Event: presence\r\nAccept: application/pidf+xml\r\nExpires: 600\r\n", null, null);
            assertNotNull("no answer to the in-dialog refresh", refresh);
            assertEquals("in-dialog refresh after the update", 200, refresh.status());
            assertNotNull("no NOTIFY after the refresh", awaitNotify(bob, callId, n -> true, 2000, new ArrayList<>()));
        }
    }

    // ---- helpers

    private long presenceServiceId() throws Exception {
        for (ServiceReference<SipApplication> r : bundleContext.getServiceReferences(SipApplication.class,
                "(confab.sip.method=SUBSCRIBE)")) {
            if ("org.confab.presence".equals(r.getBundle().getSymbolicName())) {
                return (Long) r.getProperty("service.id");
            }
        }
        throw new AssertionError("no SUBSCRIBE application of org.confab.presence");
    }

    /** Waits until the presence bundle is ACTIVE again with new SUBSCRIBE and PUBLISH applications. */
    private long awaitPresenceBack(long oldServiceId) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            Long subscribe = null;
            boolean publish = false;
            for (ServiceReference<SipApplication> r : bundleContext.getServiceReferences(SipApplication.class, null)) {
                Bundle b = r.getBundle();
                if (b == null || !"org.confab.presence".equals(b.getSymbolicName()) || b.getState() != Bundle.ACTIVE) {
                    continue;
                }
                long id = (Long) r.getProperty("service.id");
                Object m = r.getProperty("confab.sip.method");
                List<String> methods = m instanceof String[] a ? List.of(a) : List.of(String.valueOf(m));
                if (id != oldServiceId && methods.contains("SUBSCRIBE")) {
                    subscribe = id;
                }
                publish |= id != oldServiceId && methods.contains("PUBLISH");
            }
            if (subscribe != null && publish) {
                return subscribe;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("org.confab.presence did not come back with its SIP applications within 30 s");
    }

    private <T> T service(Class<T> type) {
        ServiceReference<T> ref = bundleContext.getServiceReference(type);
        assertNotNull("no " + type.getSimpleName() + " service", ref);
        return bundleContext.getService(ref);
    }

    private static SipResponse publish(SipTestUser u, String user, String note) throws Exception {
        return u.request("PUBLISH", user, UUID.randomUUID().toString(), tag(), "Event: presence\r\nExpires: 600\r\n",
                pidf(u.aor(), note), PIDF);
    }

    private static String pidf(String entity, String note) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\""
                + " entity=\"" + entity + "\">\n"
                + "  <tuple id=\"t1\"><status><basic>open</basic></status></tuple>\n"
                + "  <dm:person id=\"p1\"><dm:note>" + note + "</dm:note></dm:person>\n"
                + "</presence>\n";
    }

    /**
     * The first NOTIFY of the dialog (Call-ID) that matches, within the time; NOTIFYs of that dialog
     * that did not match are added to {@code skipped}, other dialogs' are dropped. Null if none came.
     */
    private static SipRequest awaitNotify(SipTestUser u, String callId, Predicate<SipRequest> match, long millis,
                                          List<SipRequest> skipped) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        long left;
        while ((left = deadline - System.currentTimeMillis()) > 0) {
            SipRequest n = u.awaitNotify(left, TimeUnit.MILLISECONDS);
            if (n == null || !callId.equals(n.callId())) {
                continue;
            }
            if (match.test(n)) {
                return n;
            }
            skipped.add(n);
        }
        return null;
    }

    private static List<String> states(List<SipRequest> notifies) {
        return notifies.stream().map(n -> n.header("Subscription-State")).toList();
    }

    /** The status of the watcher in a watcherinfo NOTIFY (RFC 3858), or null if not listed. */
    private static String watcherStatus(SipRequest n, String watcher) {
        Matcher m = Pattern.compile("<watcher\\b([^>]*)>\\s*" + Pattern.quote(watcher) + "\\s*</watcher>")
                .matcher(body(n));
        if (!m.find()) {
            return null;
        }
        Matcher st = Pattern.compile("status=\"([^\"]*)\"").matcher(m.group(1));
        return st.find() ? st.group(1) : "";
    }

    private static boolean hasToken(List<String> values, String token) {
        for (String v : values) {
            for (String t : v.split(",")) {
                if (t.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String body(SipRequest r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private SipTestUser phone(String user, String domain, String password) throws Exception {
        return new SipTestUser(user, domain, password, "TCP", "127.0.0.1", sipPort());
    }

    private void ensureUser(String user, String domain, String password) throws Exception {
        if (!execute("confab:domain-list").contains(domain)) {
            execute("confab:domain-add " + domain);
        }
        String aor = "sip:" + user + "@" + domain;
        if (!execute("confab:user-list").contains(aor)) {
            execute("confab:user-enable --password " + password + " " + aor);
        }
    }

    /** A resource list NOTIFY (RFC 4662 §5): the multipart/related body, its RLMI root and its PIDF parts. */
    private static final class Rlmi {
        String uri;
        String version;
        String fullState;
        /** Resource URI to its instance state, in document order. */
        final Map<String, String> resources = new LinkedHashMap<>();
        final Map<String, String> names = new LinkedHashMap<>();
        final Map<String, String> cids = new LinkedHashMap<>();
        /** Content-ID (without angle brackets) to the part's content. */
        final Map<String, String> parts = new LinkedHashMap<>();

        static Rlmi of(SipRequest n) throws Exception {
            String type = n.header("Content-Type");
            assertNotNull("list NOTIFY without Content-Type", type);
            assertTrue(type, type.toLowerCase(Locale.ROOT).startsWith("multipart/related"));
            assertEquals("root type (RFC 2387)", "application/rlmi+xml", param(type, "type"));
            String boundary = param(type, "boundary");
            String start = param(type, "start");
            assertNotNull("no boundary: " + type, boundary);
            String body = body(n);
            String delimiter = "--" + boundary;
            Rlmi r = new Rlmi();
            String root = null;
            int i = body.indexOf(delimiter);
            assertTrue("no first boundary in the body", i >= 0);
            while (true) {
                int from = i + delimiter.length();
                if (body.startsWith("--", from)) {
                    break; // close delimiter
                }
                from = body.indexOf("\r\n", from) + 2;
                int next = body.indexOf("\r\n" + delimiter, from);
                assertTrue("unterminated part", next >= 0);
                String part = body.substring(from, next);
                int split = part.indexOf("\r\n\r\n");
                assertTrue("part without header section", split >= 0);
                String headers = part.substring(0, split);
                String content = part.substring(split + 4);
                String cid = null;
                String ctype = null;
                for (String line : headers.split("\r\n")) {
                    int colon = line.indexOf(':');
                    String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = line.substring(colon + 1).trim();
                    if (name.equals("content-id")) {
                        cid = value.replaceAll("^<|>$", "");
                    } else if (name.equals("content-type")) {
                        ctype = value.toLowerCase(Locale.ROOT);
                    }
                }
                assertNotNull("part without Content-ID", cid);
                if (root == null) {
                    assertTrue("the first part is the RLMI root: " + ctype, ctype.startsWith("application/rlmi+xml"));
                    assertEquals("start names the root part", start == null ? cid : start.replaceAll("^<|>$", ""), cid);
                    root = content;
                } else {
                    assertTrue("a resource part is PIDF: " + ctype, ctype.startsWith(PIDF));
                }
                r.parts.put(cid, content);
                i = next + 2;
            }
            assertNotNull("no RLMI root part", root);
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(root.getBytes(StandardCharsets.UTF_8)));
            Element list = doc.getDocumentElement();
            assertEquals("list", list.getLocalName());
            assertEquals("urn:ietf:params:xml:ns:rlmi", list.getNamespaceURI());
            r.uri = list.getAttribute("uri");
            r.version = list.getAttribute("version");
            r.fullState = list.getAttribute("fullState");
            NodeList resources = list.getElementsByTagNameNS("urn:ietf:params:xml:ns:rlmi", "resource");
            for (int k = 0; k < resources.getLength(); k++) {
                Element res = (Element) resources.item(k);
                String uri = res.getAttribute("uri");
                assertFalse("resource listed twice: " + uri, r.resources.containsKey(uri));
                NodeList instances = res.getElementsByTagNameNS("urn:ietf:params:xml:ns:rlmi", "instance");
                assertEquals("one instance of " + uri, 1, instances.getLength());
                Element inst = (Element) instances.item(0);
                r.resources.put(uri, inst.getAttribute("state"));
                if (inst.hasAttribute("cid")) {
                    r.cids.put(uri, inst.getAttribute("cid"));
                }
                NodeList name = res.getElementsByTagNameNS("urn:ietf:params:xml:ns:rlmi", "name");
                if (name.getLength() > 0) {
                    r.names.put(uri, name.item(0).getTextContent());
                }
            }
            for (String cid : r.cids.values()) {
                assertTrue("RLMI cid " + cid + " has no body part", r.parts.containsKey(cid));
            }
            assertNotEquals("no resources", 0, r.resources.size());
            return r;
        }

        /** The PIDF part the resource's instance refers to, or null. */
        String pidfOf(String uri) {
            String cid = cids.get(uri);
            return cid == null ? null : parts.get(cid);
        }

        private static String param(String header, String name) {
            Matcher m = Pattern.compile("(?i);\\s*" + Pattern.quote(name) + "\\s*=\\s*(\"([^\"]*)\"|[^;\\s]+)")
                    .matcher(header);
            if (!m.find()) {
                return null;
            }
            return m.group(2) != null ? m.group(2) : m.group(1);
        }
    }
}
