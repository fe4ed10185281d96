package org.confab.api.store;

import java.util.ArrayList;
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

    /**
     * Creates these users with their credentials, all or none: on any refusal or failure nothing of
     * the list is stored (a bulk import calls this once per batch of about a thousand users, so that a
     * failure loses only the batch it hit). Refused ({@link StoreException}, nothing stored) when a
     * domain is not served, an entry is invalid as for {@link #create} and {@link #setCredentials},
     * a URI is listed twice or a credential belongs to another user. A user that exists already is
     * refused with {@link DuplicateException}, or left as it is when {@code skipExisting}.
     *
     * <p>The default creates the users one at a time and deletes those it created when one fails, so
     * that implementations written before this method (other roles' test fakes) keep working; the RTC
     * store overrides it with one database transaction.
     *
     * @return how many users were created (the rest existed and were skipped)
     */
    default int createAll(List<NewUser> users, boolean skipExisting) {
        List<String> created = new ArrayList<>();
        try {
            for (NewUser u : users) {
                if (find(u.uri()).isPresent()) {
                    if (skipExisting) {
                        continue;
                    }
                    throw new DuplicateException("User " + u.uri() + " exists already");
                }
                String uri = create(u.uri(), u.displayName(), u.homePool()).uri();
                created.add(uri);
                for (String scheme : u.credentials().stream().map(Credential::scheme).distinct().toList()) {
                    setCredentials(uri, scheme, u.credentials().stream()
                            .filter(c -> c.scheme().equals(scheme)).toList());
                }
            }
        } catch (RuntimeException e) {
            for (String uri : created) {
                try {
                    delete(uri);
                } catch (RuntimeException second) {
                    e.addSuppressed(second);
                }
            }
            throw e;
        }
        return created.size();
    }

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
