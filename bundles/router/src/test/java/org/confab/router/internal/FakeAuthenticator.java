package org.confab.router.internal;

import java.util.List;
import org.confab.api.auth.AuthResult;
import org.confab.api.auth.Authenticator;
import org.confab.api.auth.ChallengeKind;
import org.confab.api.transport.Flow;
import org.confab.sip.message.SipRequest;

/**
 * Accepts {@code Proxy-Authorization: Test <user-uri>} as proof of being that user, challenges
 * requests without it, and refuses {@code Test blocked}. Records the kind it was asked for.
 */
final class FakeAuthenticator implements Authenticator {

    ChallengeKind lastKind;
    int calls;

    @Override
    public AuthResult authenticate(SipRequest request, Flow flow, ChallengeKind kind) {
        calls++;
        lastKind = kind;
        String credentials = request.header(kind.credentialsHeader());
        if (credentials == null || !credentials.startsWith("Test ")) {
            return AuthResult.challenge(kind.status(), List.of(
                    new AuthResult.Header(kind.challengeHeader(), "Digest realm=\"example.com\", nonce=\"n1\", algorithm=SHA-256"),
                    new AuthResult.Header(kind.challengeHeader(), "Digest realm=\"example.com\", nonce=\"n2\", algorithm=MD5")));
        }
        String user = credentials.substring(5).trim();
        if (user.equals("blocked")) {
            return AuthResult.rejected(403, "Source blocked");
        }
        return AuthResult.authenticated(user, List.of(new AuthResult.Header(kind.infoHeader(), "rspauth=\"ok\"")));
    }
}
