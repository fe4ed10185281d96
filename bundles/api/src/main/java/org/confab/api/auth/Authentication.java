package org.confab.api.auth;

import org.confab.api.transport.Flow;
import org.confab.sip.message.SipRequest;

/**
 * The one way roles ask who sent a request: every role that authenticates (router, presence...)
 * needs the same handling of an absent or failing {@link Authenticator} and of default statuses.
 */
public final class Authentication {

    private static final System.Logger LOG = System.getLogger(Authentication.class.getName());

    private Authentication() {
    }

    /**
     * Authenticates with the given authenticator, which may be null (the registrar being updated).
     * The result is never null: AUTHENTICATED, a CHALLENGE with its status filled in (401/407),
     * or REJECTED with a status (403, or 503 with Retry-After when no authenticator could decide).
     */
    public static AuthResult check(Authenticator authenticator, SipRequest request, Flow flow, ChallengeKind kind,
                                   int retryAfterSeconds) {
        if (authenticator == null) {
            return AuthResult.unavailable(retryAfterSeconds);
        }
        AuthResult result;
        try {
            result = authenticator.authenticate(request, flow, kind);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Authenticator failed (Call-ID " + request.callId() + "): " + e);
            return AuthResult.unavailable(retryAfterSeconds);
        }
        if (result == null) {
            return AuthResult.unavailable(retryAfterSeconds);
        }
        return switch (result.outcome()) {
            case CHALLENGE -> result.status() > 0 ? result : AuthResult.challenge(kind.status(), result.headers());
            case REJECTED -> result.status() > 0 ? result : AuthResult.rejected(403, result.reason());
            case AUTHENTICATED -> result;
        };
    }
}
