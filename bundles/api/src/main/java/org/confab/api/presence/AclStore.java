package org.confab.api.presence;

import java.util.List;

/**
 * Per-user allow and block lists (RTC database) and the pool's watcher policy. Reads are served
 * from memory; changes reach the database before they return, then listeners are told.
 */
public interface AclStore {

    /** The entries of a user's list, sorted by subject. */
    List<AclEntry> entries(String owner);

    /**
     * Adds or replaces the entry of this owner and subject. The owner must be an existing user; the
     * subject must be a {@code sip:user@domain}, a domain name or {@value AclEntry#EVERYONE}
     * ({@link org.confab.api.store.StoreException} otherwise).
     */
    AclEntry put(String owner, String subject, AclRule rule);

    /** Removes the entry of this owner and subject; true if there was one. */
    boolean remove(String owner, String subject);

    /** Pool setting: watchers of the owner's own domain are allowed unless listed (default true). */
    boolean sameDomainAllowed();

    /** Changes the pool setting {@link #sameDomainAllowed()}. */
    void setSameDomainAllowed(boolean allowed);

    void addListener(AclListener listener);

    void removeListener(AclListener listener);
}
