package org.confab.api.auth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.confab.sip.message.SipParser;
import org.confab.sip.message.SipRequest;
import org.junit.Test;

public class AuthenticationTest {

    private static SipRequest request() throws Exception {
        String m = "MESSAGE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKa1\r\n"
                + "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: c1\r\n"
                + "CSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n";
        return (SipRequest) SipParser.parse(m.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    public void anAbsentAuthenticatorMeans503WithRetryAfter() throws Exception {
        AuthResult r = Authentication.check(null, request(), null, ChallengeKind.PROXY, 7);
        assertEquals(AuthResult.Outcome.REJECTED, r.outcome());
        assertEquals(503, r.status());
        assertEquals(List.of(new AuthResult.Header("Retry-After", "7")), r.headers());
    }

    @Test
    public void aFailingAuthenticatorMeans503Too() throws Exception {
        Authenticator broken = (req, flow, kind) -> {
            throw new IllegalStateException("store down");
        };
        assertEquals(503, Authentication.check(broken, request(), null, ChallengeKind.PROXY, 5).status());
        assertEquals(503, Authentication.check((q, f, k) -> null, request(), null, ChallengeKind.PROXY, 5).status());
    }

    @Test
    public void missingStatusesAreFilledInFromTheKind() throws Exception {
        List<AuthResult.Header> ch = List.of(new AuthResult.Header("Proxy-Authenticate", "Digest realm=\"x\""));
        AuthResult challenge = Authentication.check((q, f, k) -> AuthResult.challenge(0, ch), request(), null,
                ChallengeKind.PROXY, 5);
        assertEquals(407, challenge.status());
        assertEquals(ch, challenge.headers());
        AuthResult server = Authentication.check((q, f, k) -> AuthResult.challenge(0, ch), request(), null,
                ChallengeKind.SERVER, 5);
        assertEquals(401, server.status());
        AuthResult refused = Authentication.check((q, f, k) -> AuthResult.rejected(0, "User disabled"), request(),
                null, ChallengeKind.PROXY, 5);
        assertEquals(403, refused.status());
        assertEquals("User disabled", refused.reason());
    }

    @Test
    public void anAuthenticatedResultPassesThrough() throws Exception {
        AuthResult ok = AuthResult.authenticated("sip:alice@example.com", List.of());
        AuthResult r = Authentication.check((q, f, k) -> ok, request(), null, ChallengeKind.PROXY, 5);
        assertTrue(r.isAuthenticated());
        assertEquals("sip:alice@example.com", r.identity());
    }
}
