package org.confab.api.store;

import java.util.Objects;

/**
 * One stored secret of a user for one authentication scheme: never the password, only what the
 * scheme needs. For Digest (RFC 7616) that is HA1 = H(username ":" realm ":" password) per
 * realm, username and algorithm; for NTLM it will be the NT hash.
 *
 * @param scheme    e.g. "Digest"
 * @param realm     the realm (for Digest, the user's domain)
 * @param username  the name the client authenticates with ("alice" or "alice@example.com")
 * @param algorithm e.g. "MD5", "SHA-256"
 * @param secret    lower-case hex of the derived secret
 */
public record Credential(String scheme, String realm, String username, String algorithm, String secret) {

    public Credential {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(secret, "secret");
    }
}
