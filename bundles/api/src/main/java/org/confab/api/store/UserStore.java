package org.confab.api.store;

import java.util.List;
import java.util.Optional;

/** Users and their credentials (RTC database). URIs are canonical: {@code sip:user@domain}. */
public interface UserStore {

    /** The user, if it exists (enabled or not). Served from a cache: cheap on the hot path. */
    Optional<User> find(String uri);

    /**
     * Creates a user; its domain must be served ({@link StoreException} otherwise) and the URI
     * must be new ({@link DuplicateException}).
     */
    User create(String uri, String displayName, String homePool);

    /** Enables or disables an existing user ({@link NotFoundException} if none). */
    void setEnabled(String uri, boolean enabled);

    /** Changes the display name of an existing user. */
    void setDisplayName(String uri, String displayName);

    /** Removes a user with its credentials and bindings; {@link NotFoundException} if none. */
    void delete(String uri);

    /** Users whose URI contains the filter (case-insensitive; null or empty for all), sorted by URI. */
    List<User> list(String filter);

    /** Replaces all credentials of the user of one scheme by these, atomically. */
    void setCredentials(String uri, String scheme, List<Credential> credentials);

    /**
     * Looks up the credential by what the client sent: scheme, realm, username and algorithm.
     * Returns the owning user's URI with the credential.
     */
    Optional<StoredCredential> credential(String scheme, String realm, String username, String algorithm);

    /** A credential with the URI of the user who owns it. */
    record StoredCredential(String userUri, Credential credential) {
    }
}
