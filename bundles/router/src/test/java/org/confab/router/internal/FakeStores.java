package org.confab.router.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.confab.api.store.Binding;
import org.confab.api.store.Credential;
import org.confab.api.store.DomainStore;
import org.confab.api.store.LocationStore;
import org.confab.api.store.StoreException;
import org.confab.api.store.User;
import org.confab.api.store.UserStore;

/** In-memory stand-ins for the store services; only what the router reads is implemented. */
final class FakeStores {

    private FakeStores() {
    }

    /** Served domains. */
    static final class Domains implements DomainStore {

        final Set<String> served = new TreeSet<>();

        @Override
        public List<String> list() {
            return List.copyOf(served);
        }

        @Override
        public boolean isServed(String domain) {
            return served.contains(domain.toLowerCase(Locale.ROOT));
        }

        @Override
        public void add(String domain) {
            served.add(domain);
        }

        @Override
        public void remove(String domain) {
            served.remove(domain);
        }
    }

    /** Users by URI; {@link #failure} makes every lookup fail as a database outage would. */
    static final class Users implements UserStore {

        final Map<String, User> users = new HashMap<>();
        RuntimeException failure;

        void add(String uri, boolean enabled) {
            users.put(uri, new User(uri, "", enabled, "pool1", Instant.now()));
        }

        @Override
        public Optional<User> find(String uri) {
            if (failure != null) {
                throw failure;
            }
            return Optional.ofNullable(users.get(uri));
        }

        @Override
        public User create(String uri, String displayName, String homePool) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setEnabled(String uri, boolean enabled) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setDisplayName(String uri, String displayName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(String uri) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<User> list(String filter) {
            return List.copyOf(users.values());
        }

        @Override
        public void setCredentials(String uri, String scheme, List<Credential> credentials) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<StoredCredential> credential(String scheme, String realm, String username, String algorithm) {
            throw new StoreException("not in this fake");
        }
    }

    /** Bindings by AOR, in insertion order. */
    static final class Locations implements LocationStore {

        final Map<String, List<Binding>> bindings = new HashMap<>();

        /** Adds an unexpired binding reached over a flow. */
        Binding add(String aor, String contact, String flowId, String transport, String source) {
            Binding b = new Binding(aor, contact, flowId, transport, source, Instant.now().plusSeconds(3600),
                    null, 0, "reg-" + contact, 1, "", 1000);
            put(b);
            return b;
        }

        @Override
        public List<Binding> bindings(String aor) {
            return List.copyOf(bindings.getOrDefault(aor, List.of()));
        }

        @Override
        public void put(Binding binding) {
            bindings.computeIfAbsent(binding.aor(), k -> new ArrayList<>()).add(binding);
        }

        @Override
        public boolean remove(String aor, String contact) {
            return bindings.getOrDefault(aor, new ArrayList<>()).removeIf(b -> b.contact().equals(contact));
        }

        @Override
        public int removeAll(String aor) {
            List<Binding> removed = bindings.remove(aor);
            return removed == null ? 0 : removed.size();
        }

        @Override
        public int expire(Instant now) {
            return 0;
        }

        @Override
        public List<Binding> all() {
            List<Binding> all = new ArrayList<>();
            bindings.values().forEach(all::addAll);
            return all;
        }

        @Override
        public int size() {
            return all().size();
        }

        @Override
        public long durabilityWindowMillis() {
            return 0;
        }

        @Override
        public void flush() {
        }
    }
}
