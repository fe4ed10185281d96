package org.confab.api.store;

import java.util.List;
import java.util.Objects;

/**
 * A user to create with {@link UserStore#createAll}: what {@link UserStore#create} takes, plus the
 * credentials {@link UserStore#setCredentials} would store for it.
 *
 * @param uri         {@code sip:user@domain} (or {@code user@domain}); the domain must be served
 * @param displayName shown to other users; null or empty for none
 * @param homePool    the server or pool that homes the user; null for none
 * @param credentials the user's secrets, of any schemes (e.g. {@code DigestSecrets.credentials}); may be empty
 */
public record NewUser(String uri, String displayName, String homePool, List<Credential> credentials) {

    public NewUser {
        Objects.requireNonNull(uri, "uri");
        credentials = credentials == null ? List.of() : List.copyOf(credentials);
    }
}
