package org.confab.admin.shell.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.confab.api.store.Credential;
import org.confab.api.store.DomainStore;
import org.confab.api.store.DuplicateException;
import org.confab.api.store.NewUser;
import org.confab.api.store.NotFoundException;
import org.confab.api.store.StoreException;
import org.confab.api.store.User;
import org.confab.api.store.UserStore;

/** In-memory UserStore following the interface contract; can be told to fail credential writes. */
final class FakeUserStore implements UserStore {

    private final DomainStore domains;
    final TreeMap<String, User> users = new TreeMap<>();
    /** Key: uri + " " + scheme. */
    final TreeMap<String, List<Credential>> credentials = new TreeMap<>();
    StoreException failSetCredentials;
    /** Sizes of the lists given to createAll, in order. */
    final List<Integer> createAllBatches = new ArrayList<>();
    /** createAll fails with this at the call of this number (1 = first), before changing anything. */
    int failCreateAllAtCall;
    StoreException failCreateAll;

    FakeUserStore(DomainStore domains) {
        this.domains = domains;
    }

    /** Adds a user directly (test setup). */
    User put(String uri, String displayName, boolean enabled, String homePool) {
        User u = new User(uri, displayName, enabled, homePool, Instant.parse("2024-01-01T00:00:00Z"));
        users.put(uri, u);
        return u;
    }

    @Override
    public Optional<User> find(String uri) {
        return Optional.ofNullable(users.get(uri));
    }

    @Override
    public User create(String uri, String displayName, String homePool) {
        String domain = uri.substring(uri.indexOf('@') + 1);
        if (!domains.isServed(domain)) {
            throw new StoreException("Domain " + domain + " is not served");
        }
        if (users.containsKey(uri)) {
            throw new DuplicateException("User " + uri + " exists");
        }
        User u = new User(uri, displayName, true, homePool, Instant.now());
        users.put(uri, u);
        return u;
    }

    /** The interface's default (one user at a time, undone on failure), counted and made to fail on demand. */
    @Override
    public int createAll(List<NewUser> list, boolean skipExisting) {
        createAllBatches.add(list.size());
        if (failCreateAll != null && createAllBatches.size() == failCreateAllAtCall) {
            throw failCreateAll;
        }
        return UserStore.super.createAll(list, skipExisting);
    }

    @Override
    public void setEnabled(String uri, boolean enabled) {
        User u = existing(uri);
        users.put(uri, new User(uri, u.displayName(), enabled, u.homePool(), u.created()));
    }

    @Override
    public void setDisplayName(String uri, String displayName) {
        User u = existing(uri);
        users.put(uri, new User(uri, displayName, u.enabled(), u.homePool(), u.created()));
    }

    @Override
    public void delete(String uri) {
        existing(uri);
        users.remove(uri);
        credentials.keySet().removeIf(k -> k.startsWith(uri + " "));
    }

    @Override
    public List<User> list(String filter) {
        String f = filter == null ? "" : filter.toLowerCase(Locale.ROOT);
        List<User> out = new ArrayList<>();
        for (User u : users.values()) {
            if (u.uri().toLowerCase(Locale.ROOT).contains(f)) {
                out.add(u);
            }
        }
        return out;
    }

    @Override
    public void setCredentials(String uri, String scheme, List<Credential> list) {
        existing(uri);
        if (failSetCredentials != null) {
            throw failSetCredentials;
        }
        credentials.put(uri + " " + scheme, List.copyOf(list));
    }

    @Override
    public Optional<StoredCredential> credential(String scheme, String realm, String username, String algorithm) {
        for (Map.Entry<String, List<Credential>> e : credentials.entrySet()) {
            for (Credential c : e.getValue()) {
                if (c.scheme().equals(scheme) && c.realm().equals(realm) && c.username().equals(username)
                        && c.algorithm().equals(algorithm)) {
                    return Optional.of(new StoredCredential(e.getKey().substring(0, e.getKey().indexOf(' ')), c));
                }
            }
        }
        return Optional.empty();
    }

    private User existing(String uri) {
        User u = users.get(uri);
        if (u == null) {
            throw new NotFoundException("No user " + uri);
        }
        return u;
    }

    String snapshot() {
        return users + " " + credentials;
    }
}
