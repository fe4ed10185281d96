package org.confab.api.presence;

import java.util.List;

/**
 * The presence core: composed presence of users, publication by any dialect, and introspection.
 * Provided by the presence bundle. Publishing here notifies every watcher, whatever dialect it
 * subscribed with.
 */
public interface PresenceService {

    /** The user's composed presence (offline when no endpoint publishes). */
    Presence presence(String uri);

    /** The publications of the user's endpoints, most available first. */
    List<Publication> publications(String uri);

    /**
     * Publishes or refreshes an endpoint's state for the user, valid for {@code expiresSeconds};
     * returns the publication (its entity tag is {@code state.endpointId()}).
     */
    Publication publish(String uri, EndpointState state, int expiresSeconds);

    /** Withdraws an endpoint's publication; true if it existed. */
    boolean withdraw(String uri, String endpointId);

    /** The subscriptions to this user's presence (and its watcher information), with their state. */
    List<WatcherInfo> watchers(String uri);

    /** The subscriptions this user holds to others. */
    List<WatcherInfo> subscriptions(String uri);

    /** What the watcher may see of the user, and why, in one line. */
    Authorization authorize(String watcher, String uri);

    /** What the watcher is told about the user: the presence, or offline when not active. */
    Presence presenceFor(String watcher, String uri);
}
