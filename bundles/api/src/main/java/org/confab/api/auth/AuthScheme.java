package org.confab.api.auth;

import java.util.List;
import org.confab.api.transport.Flow;
import org.confab.sip.message.SipRequest;

/**
 * One authentication scheme (Digest, NTLM, Kerberos), registered as a whiteboard service. The
 * {@link Authenticator} asks every scheme for its challenges and hands a credentials header to
 * the scheme whose name it starts with.
 */
public interface AuthScheme {

    /** The scheme token, e.g. "Digest" or "NTLM" (case-insensitive on the wire). */
    String name();

    /** Challenge header values to offer (several for Digest: SHA-256 first, then MD5). */
    List<String> challenges(SipRequest request, Flow flow, ChallengeKind kind, boolean stale);

    /**
     * Verifies one credentials header value of this scheme.
     *
     * @return the result; a CHALLENGE result here means "stale" or a continuing handshake
     */
    AuthResult verify(SipRequest request, Flow flow, ChallengeKind kind, String credentials);
}
