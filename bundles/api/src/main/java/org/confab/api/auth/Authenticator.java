package org.confab.api.auth;

import org.confab.api.transport.Flow;
import org.confab.sip.message.SipRequest;

/**
 * Authenticates requests with whichever {@link AuthScheme}s are installed; provided by the
 * registrar bundle and used by every role that must know who sends a request.
 */
public interface Authenticator {

    /**
     * Checks the credentials the request carries in the header of {@code kind}. Without any, or
     * with stale or wrong ones, the result is a challenge; a wrong user and a wrong password give
     * the same answer.
     */
    AuthResult authenticate(SipRequest request, Flow flow, ChallengeKind kind);
}
