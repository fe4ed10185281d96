package org.confab.api.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A SIP-enabled user of the RTC database.
 *
 * @param uri         the address of record, canonical form {@code sip:user@domain} (lower-case domain)
 * @param displayName shown to other users; may be empty
 * @param enabled     a disabled user can neither sign in nor be reached
 * @param homePool    the server or pool that homes the user (the brief's Home Server / pool FQDN)
 * @param created     when the user was enabled for SIP first
 */
public record User(String uri, String displayName, boolean enabled, String homePool, Instant created) {

    public User {
        Objects.requireNonNull(uri, "uri");
        displayName = displayName == null ? "" : displayName;
    }

    /** The user part of the URI ("alice" for sip:alice@example.com). */
    public String userPart() {
        String s = uri.substring(uri.indexOf(':') + 1);
        int at = s.indexOf('@');
        return at < 0 ? s : s.substring(0, at);
    }

    /** The domain part of the URI. */
    public String domain() {
        return uri.substring(uri.indexOf('@') + 1);
    }
}
