package org.confab.registrar.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.confab.api.auth.AuthResult;
import org.confab.api.auth.AuthScheme;
import org.confab.api.auth.ChallengeKind;
import org.confab.api.transport.Flow;
import org.confab.sip.message.SipRequest;
import org.junit.Test;

/** The Authenticator's whiteboard of schemes, and Digest as a proxy (407). */
public class AuthenticatorServiceTest {

    private final Harness h = new Harness();

    /** Stands in for the NTLM scheme that comes later: accepts "NTLM ok" as alice. */
    private static final class FakeNtlm implements AuthScheme {
        final List<String> seen = new ArrayList<>();

        @Override
        public String name() {
            return "NTLM";
        }

        @Override
        public List<String> challenges(SipRequest request, Flow flow, ChallengeKind kind, boolean stale) {
            return List.of("NTLM realm=\"SIP Communications Service\", targetname=\"sip.example.com\", version=3");
        }

        @Override
        public AuthResult verify(SipRequest request, Flow flow, ChallengeKind kind, String credentials) {
            seen.add(credentials);
            return credentials.endsWith("ok") ? AuthResult.authenticated("sip:alice@example.com", List.of())
                    : AuthResult.challenge(kind.status(), List.of(new AuthResult.Header(kind.challengeHeader(), "NTLM opaque=\"1\"")));
        }
    }

    private static SipRequest message(String extra) {
        return Harness.parse("MESSAGE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.10;branch=z9hG4bK-m\r\n"
                + "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: m1\r\nCSeq: 1 MESSAGE\r\n"
                + extra + "Content-Length: 0\r\n\r\n");
    }

    @Test
    public void everySchemeIsOfferedInRankingOrderAndCredentialsGoToTheirScheme() {
        FakeNtlm ntlm = new FakeNtlm();
        h.authenticator.addScheme(ntlm, Map.of("service.id", 7L, "service.ranking", 10));
        AuthResult r = h.authenticator.authenticate(message(""), h.flow, ChallengeKind.SERVER);
        assertEquals(AuthResult.Outcome.CHALLENGE, r.outcome());
        assertEquals(401, r.status());
        assertEquals(3, r.headers().size());
        assertTrue(r.headers().get(0).value().startsWith("NTLM "));
        assertTrue(r.headers().get(1).value().contains("algorithm=SHA-256"));
        assertTrue(r.headers().get(2).value().contains("algorithm=MD5"));
        for (AuthResult.Header hd : r.headers()) {
            assertEquals("WWW-Authenticate", hd.name());
        }

        AuthResult ok = h.authenticator.authenticate(message("Authorization: ntlm gssapi-data=\"\", ok\r\n"
                .replace(", ok", ", x=ok")), h.flow, ChallengeKind.SERVER);
        assertEquals(1, ntlm.seen.size());
        assertEquals(AuthResult.Outcome.AUTHENTICATED, ok.outcome());
        assertEquals("sip:alice@example.com", ok.identity());

        AuthResult more = h.authenticator.authenticate(message("Authorization: NTLM gssapi-data=\"\"\r\n"), h.flow,
                ChallengeKind.SERVER);
        assertEquals("a continuing handshake passes through", List.of(new AuthResult.Header("WWW-Authenticate", "NTLM opaque=\"1\"")),
                more.headers());

        h.authenticator.removeScheme(ntlm);
        assertEquals(2, h.authenticator.authenticate(message(""), h.flow, ChallengeKind.SERVER).headers().size());
    }

    @Test
    public void credentialsOfAnUninstalledSchemeGetTheOffer() {
        AuthResult r = h.authenticator.authenticate(message("Authorization: Kerberos token=\"abc\"\r\n"), h.flow,
                ChallengeKind.SERVER);
        assertEquals(AuthResult.Outcome.CHALLENGE, r.outcome());
        assertEquals(2, r.headers().size());
    }

    @Test
    public void proxyChallengeUsesFromRealmAnd407Headers() {
        AuthResult r = h.authenticator.authenticate(message(""), h.flow, ChallengeKind.PROXY);
        assertEquals(407, r.status());
        assertEquals("Proxy-Authenticate", r.headers().get(0).name());
        String md5 = r.headers().get(1).value();
        assertEquals("example.com", DigestClient.params(md5).get("realm"));
        // MS-DIALECT §3.8: Communicator-era clients answer a 407 with uri="(null)" and sign-in name
        String auth = DigestClient.answer(md5, "alice@example.com", "secret", "MESSAGE", "(null)", 1, "0a1b2c3d");
        AuthResult ok = h.authenticator.authenticate(message("Proxy-Authorization: " + auth + "\r\n"), h.flow, ChallengeKind.PROXY);
        assertEquals(AuthResult.Outcome.AUTHENTICATED, ok.outcome());
        assertEquals("sip:alice@example.com", ok.identity());
        assertEquals("Proxy-Authentication-Info", ok.headers().get(0).name());
        // the Authorization header is not the one a proxy reads
        AuthResult wrongHeader = h.authenticator.authenticate(message("Authorization: " + auth + "\r\n"), h.flow, ChallengeKind.PROXY);
        assertEquals(AuthResult.Outcome.CHALLENGE, wrongHeader.outcome());
    }

    @Test
    public void deletedUserWithLeftoverCredentialIsChallenged() {
        String ch = h.challengeFor("alice", "SHA-256");
        h.users.users.remove("sip:alice@example.com");
        AuthResult r = h.authenticator.authenticate(h.register("alice", "c1", 2, "Authorization: "
                + DigestClient.answer(ch, "alice", "secret", "REGISTER", Harness.RURI, 1, "cn")), h.flow, ChallengeKind.SERVER);
        assertEquals(AuthResult.Outcome.CHALLENGE, r.outcome());
    }
}
