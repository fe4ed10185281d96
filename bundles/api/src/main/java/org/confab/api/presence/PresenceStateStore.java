package org.confab.api.presence;

import java.util.Collection;
import java.util.Optional;

/**
 * The live state of the presence role (publications and subscription dialogs), kept by the store
 * bundle in memory so that it survives an update or restart of the presence bundle: a new
 * instance reads it back and carries on without any client re-subscribing. Every call is a
 * memory operation; nothing here touches the database, so NOTIFYs never cause database writes.
 */
public interface PresenceStateStore {

    /**
     * All live publications: a read-only view that later changes show through, not a copy (the
     * once-a-second sweep walks it; copying 400,000 entries a second was a tenth of the CPU of a
     * SUBSCRIBE load). Iterating it while the state changes is safe and sees each entry at most once.
     */
    Collection<Publication> publications();

    /** The publication with this entity tag. */
    Optional<Publication> publication(String etag);

    /** Adds or replaces the publication of its entity tag. */
    void putPublication(Publication publication);

    /** Removes a publication; true if it existed. */
    boolean removePublication(String etag);

    /** All live subscriptions: a read-only live view, as {@link #publications()}. */
    Collection<Subscription> subscriptions();

    /** The subscription with this id. */
    Optional<Subscription> subscription(String id);

    /** Adds or replaces the subscription of its id. */
    void putSubscription(Subscription subscription);

    /** Removes a subscription; true if it existed. */
    boolean removeSubscription(String id);
}
