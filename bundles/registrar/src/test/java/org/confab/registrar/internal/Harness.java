package org.confab.registrar.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.confab.sip.message.SipMessage;
import org.confab.sip.message.SipParser;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;

/**
 * Wires a real DigestScheme, AuthenticatorService and RegistrarApplication to in-memory fakes
 * of the stores; users alice (password "secret") and bob ("bobpw") of example.com.
 */
final class Harness {

    static final String RURI = "sip:example.com";

    final Fakes.MutableClock clock = new Fakes.MutableClock(Instant.parse("2025-01-01T12:00:00Z"));
    final Fakes.FakeUserStore users = new Fakes.FakeUserStore();
    final Fakes.FakeDomainStore domains = new Fakes.FakeDomainStore();
    final Fakes.FakeLocationStore locations = new Fakes.FakeLocationStore(clock);
    final DigestScheme digest = new DigestScheme();
    final AuthenticatorService authenticator = new AuthenticatorService();
    final RegistrarApplication registrar = new RegistrarApplication();
    final Fakes.FakeFlow flow = new Fakes.FakeFlow("flow-1", "TCP", "192.0.2.10", 50123);
    private int branch;

    Harness() {
        this(Map.of());
    }

    Harness(Map<String, Object> config) {
        domains.add("example.com");
        users.addUser("sip:alice@example.com", "secret");
        users.addUser("sip:bob@example.com", "bobpw");
        digest.userStore = users;
        digest.clock = clock;
        digest.start(Fakes.config(config), null);
        authenticator.userStore = users;
        authenticator.addScheme(digest, Map.of("service.id", 1L));
        registrar.userStore = users;
        registrar.domainStore = domains;
        registrar.locationStore = locations;
        registrar.authenticator = authenticator;
        registrar.clock = clock;
        registrar.activate(Fakes.config(config));
    }

    static SipRequest parse(String text) {
        try {
            SipMessage m = SipParser.parse(text.getBytes(StandardCharsets.UTF_8));
            return (SipRequest) m;
        } catch (Exception e) {
            throw new AssertionError("test request does not parse: " + e.getMessage() + "\n" + text, e);
        }
    }

    /** A REGISTER for sip:{user}@example.com (From = To), with extra header lines. */
    SipRequest register(String user, String callId, long cseq, String... headers) {
        return registerTo(RURI, user, callId, cseq, headers);
    }

    SipRequest registerTo(String ruri, String user, String callId, long cseq, String... headers) {
        StringBuilder sb = new StringBuilder("REGISTER ").append(ruri).append(" SIP/2.0\r\n")
                .append("Via: SIP/2.0/TCP 192.0.2.10:50123;branch=z9hG4bK-t").append(++branch).append("\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("From: <sip:").append(user).append("@example.com>;tag=f").append(branch).append("\r\n")
                .append("To: <sip:").append(user).append("@example.com>\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: ").append(cseq).append(" REGISTER\r\n")
                .append("User-Agent: TestPhone/1.0\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        sb.append("Content-Length: 0\r\n\r\n");
        return parse(sb.toString());
    }

    Fakes.FakeTransaction send(SipRequest request) {
        Fakes.FakeTransaction tx = new Fakes.FakeTransaction(request, flow);
        registrar.onRequest(tx);
        return tx;
    }

    SipResponse respond(SipRequest request) {
        return send(request).finalResponse();
    }

    /** The challenge of the 401 that offers this algorithm. */
    static String challenge(SipResponse r, String algorithm) {
        assertEquals(401, r.status());
        for (String v : r.headers("WWW-Authenticate")) {
            if (algorithm.equalsIgnoreCase(DigestClient.params(v).get("algorithm"))) {
                return v;
            }
        }
        throw new AssertionError("no " + algorithm + " challenge in " + r.headers("WWW-Authenticate"));
    }

    /** Gets a challenge for the user with a first, unauthenticated REGISTER. */
    String challengeFor(String user, String algorithm) {
        SipResponse r = respond(register(user, "challenge-" + (++branch), 1));
        assertNotNull(r);
        return challenge(r, algorithm);
    }

    /**
     * Sends an authenticated REGISTER (SHA-256, nc=1) for user with this password and extra headers;
     * returns the response.
     */
    SipResponse registerAs(String user, String password, String callId, long cseq, String... headers) {
        String ch = challengeFor(user, "SHA-256");
        String auth = DigestClient.answer(ch, user, password, "REGISTER", RURI, 1, "c" + cseq);
        return respond(register(user, callId, cseq, with(headers, "Authorization: " + auth)));
    }

    static String[] with(String[] headers, String extra) {
        String[] out = new String[headers.length + 1];
        System.arraycopy(headers, 0, out, 0, headers.length);
        out[headers.length] = extra;
        return out;
    }
}
