package org.confab.api.presence;

import java.util.List;

/**
 * Per-user contact lists with groups (RTC database), capped by a pool-level maximum number of
 * contacts per user. Reads are served from memory.
 */
public interface ContactStore {

    /** Pool default for {@link #maxContactsPerUser()}. */
    int DEFAULT_MAX_CONTACTS = 250;

    /** The contacts of a user, sorted by group then URI. */
    List<Contact> contacts(String owner);

    /**
     * Adds a contact or updates its display name and group. {@link org.confab.api.store.StoreException}
     * with a message for the operator when the owner does not exist, the URI is not
     * {@code sip:user@domain}, or the user already has {@link #maxContactsPerUser()} contacts.
     */
    Contact put(String owner, String uri, String displayName, String group);

    /** Removes a contact; true if it was on the list. */
    boolean remove(String owner, String uri);

    /** The groups of a user's list (those holding contacts and empty ones), sorted. */
    List<String> groups(String owner);

    /** Adds an empty group (no-op when it exists). */
    void addGroup(String owner, String group);

    /** Removes a group; its contacts stay, ungrouped. True if it existed. */
    boolean removeGroup(String owner, String group);

    /** Pool setting: most contacts one user may hold. */
    int maxContactsPerUser();

    /** Changes the pool setting; existing lists above it keep their contacts but cannot grow. */
    void setMaxContactsPerUser(int max);
}
