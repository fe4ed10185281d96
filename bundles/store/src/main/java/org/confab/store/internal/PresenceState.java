package org.confab.store.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.confab.api.presence.PresenceStateStore;
import org.confab.api.presence.Publication;
import org.confab.api.presence.Subscription;
import org.osgi.service.component.annotations.Component;

/**
 * Live publications and subscription dialogs of the presence role, kept here (memory only) so
 * that they outlive an update of the presence bundle. A component of its own, immediate, needing
 * no database: it lives as long as the store bundle is active, so a re-activation of the store
 * for a new JDBC URL keeps them too.
 */
@Component(name = "org.confab.store.presence-state", service = PresenceStateStore.class, immediate = true)
public final class PresenceState implements PresenceStateStore {

    private final Map<String, Publication> publications = new ConcurrentHashMap<>();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    // live views, weakly consistent (ConcurrentHashMap): no copy of every entry per call
    private final Collection<Publication> publicationsView = Collections.unmodifiableCollection(publications.values());
    private final Collection<Subscription> subscriptionsView = Collections.unmodifiableCollection(subscriptions.values());

    @Override
    public Collection<Publication> publications() {
        return publicationsView;
    }

    @Override
    public Optional<Publication> publication(String etag) {
        return Optional.ofNullable(publications.get(etag));
    }

    @Override
    public void putPublication(Publication publication) {
        publications.put(publication.etag(), publication);
    }

    @Override
    public boolean removePublication(String etag) {
        return publications.remove(etag) != null;
    }

    @Override
    public Collection<Subscription> subscriptions() {
        return subscriptionsView;
    }

    @Override
    public Optional<Subscription> subscription(String id) {
        return Optional.ofNullable(subscriptions.get(id));
    }

    @Override
    public void putSubscription(Subscription subscription) {
        subscriptions.put(subscription.id(), subscription);
    }

    @Override
    public boolean removeSubscription(String id) {
        return subscriptions.remove(id) != null;
    }
}
