package org.confab.registrar.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.confab.api.store.Binding;
import org.confab.api.store.StoreException;
import org.confab.sip.message.NameAddr;
import org.confab.sip.message.SipResponse;
import org.junit.Test;

/** REGISTER processing (RFC 3261 §10.3) once authenticated. */
public class RegistrarApplicationTest {

    private static final String ALICE = "sip:alice@example.com";
    private static final String C1 = "Contact: <sip:alice@192.0.2.10:50123;transport=tcp>";
    private static final String C2 = "Contact: <sip:alice@192.0.2.11:5060>";

    private final Harness h = new Harness();

    private static long expiresOf(NameAddr contact) {
        return Long.parseLong(contact.parameter("expires"));
    }

    @Test
    public void bindingRecordsFlowSourceAndRequestDetails() {
        SipResponse r = h.registerAs("alice", "secret", "call-1", 2, C1, "Expires: 1800");
        assertEquals(200, r.status());
        Binding b = h.locations.bindings(ALICE).get(0);
        assertEquals(ALICE, b.aor());
        assertEquals("flow-1", b.flowId());
        assertEquals("TCP", b.transport());
        assertEquals("192.0.2.10:50123", b.source());
        assertEquals("call-1", b.callId());
        assertEquals(2, b.cseq());
        assertEquals("TestPhone/1.0", b.userAgent());
        assertEquals(1000, b.q());
        assertEquals(h.clock.instant().plusSeconds(1800), b.expires());
        assertEquals(1, r.contacts().size());
        assertEquals(1800, expiresOf(r.contacts().get(0)));
        assertEquals("1800", r.header("Expires"));
        assertNotNull(r.header("Date"));
        assertTrue(r.header("Supported").contains("outbound"));
    }

    @Test
    public void expiryDefaultsAndIsCapped() {
        h.registerAs("alice", "secret", "call-1", 2, C1);
        assertEquals(h.clock.instant().plusSeconds(3600), h.locations.bindings(ALICE).get(0).expires());
        SipResponse r = h.registerAs("alice", "secret", "call-1", 3, C1 + ";expires=99999");
        assertEquals(7200, expiresOf(r.contacts().get(0)));
        // the Contact parameter wins over the header
        r = h.registerAs("alice", "secret", "call-1", 4, C1 + ";expires=120", "Expires: 900");
        assertEquals(120, expiresOf(r.contacts().get(0)));
    }

    @Test
    public void tooBriefIntervalGets423WithMinExpires() {
        SipResponse r = h.registerAs("alice", "secret", "call-1", 2, C1, "Expires: 30");
        assertEquals(423, r.status());
        assertEquals("60", r.header("Min-Expires"));
        assertEquals(0, h.locations.size());
        assertEquals(200, h.registerAs("alice", "secret", "call-1", 3, C1, "Expires: 60").status());
    }

    @Test
    public void expiresZeroRemovesOneBinding() {
        h.registerAs("alice", "secret", "call-1", 2, C1);
        h.registerAs("alice", "secret", "call-2", 2, C2);
        assertEquals(2, h.locations.bindings(ALICE).size());
        SipResponse r = h.registerAs("alice", "secret", "call-1", 3, C1, "Expires: 0");
        assertEquals(200, r.status());
        assertEquals(1, r.contacts().size());
        assertEquals("sip:alice@192.0.2.11:5060", r.contacts().get(0).uri().toString());
        r = h.registerAs("alice", "secret", "call-2", 3, C2 + ";expires=0");
        assertEquals(200, r.status());
        assertTrue(r.contacts().isEmpty());
        assertEquals(0, h.locations.size());
        assertNull("nothing granted: no Expires", r.header("Expires"));
    }

    @Test
    public void wildcardContactRemovesAll() {
        h.registerAs("alice", "secret", "call-1", 2, C1);
        h.registerAs("alice", "secret", "call-2", 2, C2);
        h.registerAs("bob", "bobpw", "call-b", 2, "Contact: <sip:bob@192.0.2.20>");
        SipResponse r = h.registerAs("alice", "secret", "call-3", 1, "Contact: *", "Expires: 0");
        assertEquals(200, r.status());
        assertTrue(r.contacts().isEmpty());
        assertEquals(0, h.locations.bindings(ALICE).size());
        assertEquals("other users keep theirs", 1, h.locations.size());
    }

    @Test
    public void wildcardContactNeedsExpiresZero() {
        h.registerAs("alice", "secret", "call-1", 2, C1);
        assertEquals(400, h.registerAs("alice", "secret", "call-3", 1, "Contact: *", "Expires: 60").status());
        assertEquals(400, h.registerAs("alice", "secret", "call-3", 2, "Contact: *").status());
        assertEquals(400, h.registerAs("alice", "secret", "call-3", 3, "Contact: *", C2, "Expires: 0").status());
        assertEquals(1, h.locations.size());
    }

    @Test
    public void wildcardWithOlderCSeqOfTheSameCallIsRefused() {
        h.registerAs("alice", "secret", "call-1", 5, C1);
        assertEquals(500, h.registerAs("alice", "secret", "call-1", 5, "Contact: *", "Expires: 0").status());
        assertEquals(1, h.locations.size());
    }

    @Test
    public void queryListsBindingsWithRemainingTime() {
        h.registerAs("alice", "secret", "call-1", 2, C1, "Expires: 600");
        h.clock.advanceSeconds(100);
        SipResponse r = h.registerAs("alice", "secret", "call-9", 1);
        assertEquals(200, r.status());
        assertEquals(1, r.contacts().size());
        assertEquals(500, expiresOf(r.contacts().get(0)));
        assertNull(r.header("Expires"));
        assertEquals(1, h.locations.size());
    }

    @Test
    public void sameCallIdWithLowerOrEqualCSeqIsRefused() {
        assertEquals(200, h.registerAs("alice", "secret", "call-1", 10, C1, "Expires: 600").status());
        Instant expiry = h.locations.bindings(ALICE).get(0).expires();
        h.clock.advanceSeconds(10);
        SipResponse r = h.registerAs("alice", "secret", "call-1", 10, C1, "Expires: 0");
        assertEquals(500, r.status());
        assertEquals(500, h.registerAs("alice", "secret", "call-1", 9, C1).status());
        assertEquals("binding untouched", expiry, h.locations.bindings(ALICE).get(0).expires());
        assertEquals(200, h.registerAs("alice", "secret", "call-1", 11, C1).status());
        assertEquals("another Call-ID may use any CSeq", 200, h.registerAs("alice", "secret", "call-2", 1, C1).status());
        assertEquals("call-2", h.locations.bindings(ALICE).get(0).callId());
    }

    @Test
    public void endpointLimitPerUser() {
        Harness small = new Harness(Map.of("max.endpoints.per.user", 2));
        assertEquals(200, small.registerAs("alice", "secret", "a", 2, "Contact: <sip:alice@192.0.2.1>").status());
        assertEquals(200, small.registerAs("alice", "secret", "b", 2, "Contact: <sip:alice@192.0.2.2>").status());
        SipResponse r = small.registerAs("alice", "secret", "c", 2, "Contact: <sip:alice@192.0.2.3>");
        assertEquals(403, r.status());
        assertEquals("Too many endpoints", r.reason());
        assertNotNull(r.header("Warning"));
        assertEquals(2, small.locations.size());
        assertEquals("a refresh is fine at the limit", 200,
                small.registerAs("alice", "secret", "a", 3, "Contact: <sip:alice@192.0.2.1>").status());
        assertEquals("replacing one is fine", 200, small.registerAs("alice", "secret", "c", 3,
                "Contact: <sip:alice@192.0.2.3>", "Contact: <sip:alice@192.0.2.2>;expires=0").status());
        assertEquals(2, small.locations.size());
    }

    @Test
    public void unknownRequireGets420WithUnsupported() {
        SipResponse r = h.respond(h.register("alice", "c1", 1, C1, "Require: foo, outbound, bar"));
        assertEquals(420, r.status());
        assertEquals("foo, bar", r.header("Unsupported"));
        // checked before authentication (RFC 3261 §10.3 step 2)
        assertNull(r.header("WWW-Authenticate"));
    }

    @Test
    public void outboundRegistrationReplacesByInstanceAndRegId() {
        String inst = ";+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000a95a0e128>\";reg-id=1";
        SipResponse r = h.registerAs("alice", "secret", "o1", 2, "Contact: <sip:alice@192.0.2.10:1111>" + inst,
                "Require: outbound", "Supported: outbound, path");
        assertEquals(200, r.status());
        assertEquals("outbound", r.header("Require"));
        Binding b = h.locations.bindings(ALICE).get(0);
        assertEquals("urn:uuid:00000000-0000-1000-8000-000a95a0e128", b.instanceId());
        assertEquals(1, b.regId());
        // the same instance from a new address (new flow) replaces it
        r = h.registerAs("alice", "secret", "o2", 1, "Contact: <sip:alice@192.0.2.10:2222>" + inst,
                "Supported: outbound");
        assertEquals(200, r.status());
        assertEquals(1, h.locations.size());
        assertEquals("sip:alice@192.0.2.10:2222", h.locations.bindings(ALICE).get(0).contact());
        assertEquals("<urn:uuid:00000000-0000-1000-8000-000a95a0e128>", r.contacts().get(0).parameter("+sip.instance")
                .replace("\"", ""));
    }

    @Test
    public void qValueIsStoredAndReturned() {
        SipResponse r = h.registerAs("alice", "secret", "q", 2, C1 + ";q=0.5");
        assertEquals(500, h.locations.bindings(ALICE).get(0).q());
        assertEquals("0.5", r.contacts().get(0).parameter("q"));
        assertEquals(400, h.registerAs("alice", "secret", "q", 3, C1 + ";q=2").status());
        assertEquals(400, h.registerAs("alice", "secret", "q", 4, C1 + ";expires=soon").status());
        assertEquals(500, h.locations.bindings(ALICE).get(0).q());
    }

    @Test
    public void domainNotServedIsRefused() {
        SipResponse r = h.respond(h.registerTo("sip:elsewhere.org", "alice", "c1", 1, C1));
        assertEquals(403, r.status());
        assertEquals("Domain not served", r.reason());
    }

    @Test
    public void storeFailureGives500WithRetryAfter() {
        String ch = h.challengeFor("alice", "SHA-256");
        h.locations.failWith = new StoreException("database gone");
        SipResponse r = h.respond(h.register("alice", "c1", 2, C1,
                "Authorization: " + DigestClient.answer(ch, "alice", "secret", "REGISTER", Harness.RURI, 1, "cn")));
        assertEquals(500, r.status());
        assertNotNull(r.header("Retry-After"));
    }

    @Test
    public void pathHeadersAreEchoed() {
        SipResponse r = h.registerAs("alice", "secret", "p", 2, C1, "Path: <sip:edge.example.com;lr>");
        assertEquals(List.of("<sip:edge.example.com;lr>"), r.headers("Path"));
    }

    @Test
    public void noSchemeInstalledGives503() {
        h.authenticator.removeScheme(h.digest);
        SipResponse r = h.respond(h.register("alice", "c1", 1, C1));
        assertEquals(503, r.status());
        assertNotNull(r.header("Retry-After"));
    }
}
