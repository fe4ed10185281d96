package org.confab.store.internal;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.confab.api.presence.AclListener;
import org.confab.api.presence.AclStore;
import org.confab.api.presence.ContactStore;
import org.confab.api.store.Binding;
import org.confab.api.store.Credential;
import org.confab.api.store.DomainStore;
import org.confab.api.store.LocationStore;
import org.confab.api.store.NewUser;
import org.confab.api.store.StoreException;
import org.confab.api.store.User;
import org.confab.api.store.UserStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTC database as one component providing the three store services. One component because
 * they share one database lifecycle and must stay consistent with each other: deleting a user
 * drops its bindings from the location store's memory, and a new JDBC URL must move all three at
 * once. A configuration change re-activates the component (no {@code @Modified}): pending
 * bindings are flushed and everything is reloaded from the database.
 *
 * <p>The presence stores over the same database ({@link AclStore}, {@link ContactStore}) are
 * components of their own ({@link AclStoreComponent}, {@link ContactStoreComponent}) that
 * reference this one as a service of its own class (not exported, so only this bundle can use
 * it): their methods would clash with the location store's ({@code remove(String, String)}).
 * This component registers no service from its activation: it is created inside another
 * bundle's {@code getService} (the first role to use a store), and a service registered from
 * there fires events into other roles while the framework makes other threads wanting the store
 * wait for that call without a bound (the likely cause of a {@code bundle:update} of the store
 * that hung). SCR registers all four components' services up front.
 */
@Component(name = RtcStore.PID, configurationPid = RtcStore.PID, immediate = true,
        service = {DomainStore.class, UserStore.class, LocationStore.class, RtcStore.class})
@Designate(ocd = StoreConfig.class)
public class RtcStore implements DomainStore, UserStore, LocationStore {

    static final String PID = "org.confab.store";

    private static final Logger LOG = LoggerFactory.getLogger(RtcStore.class);

    /** Time source: tests replace it before activation. */
    Clock clock = Clock.systemUTC();

    private volatile Parts parts;

    /** Allow/block listeners (the presence role), told of changes by the ACL part. */
    private final List<AclListener> aclListeners = Acls.newListenerList();

    /** What an active store runs on. */
    private record Parts(Database db, Domains domains, Users users, Locations locations, Acls acls,
                         Contacts contacts, CompletableFuture<Void> caches) {
    }

    /** How long a stop waits for the caches' load to end before it closes the database under it. */
    private static final long LOAD_WAIT_SECONDS = 60;

    @Activate
    void activate(StoreConfig config) {
        start(Settings.from(config));
    }

    /** Opens the database, migrates the schema, loads the caches and starts the location writer. */
    void start(Settings settings) {
        String shown = Database.masked(settings.jdbcUrl());
        Database db = null;
        Locations locations = null;
        try {
            db = new Database(settings.jdbcUrl(), settings.loginTimeoutSeconds());
            LOG.info("Opening the RTC database at {}", shown);
            try (Connection c = db.connect()) {
                Migrations.migrate(c);
            }
            Domains domains = new Domains(db, clock);
            domains.load();
            locations = new Locations(db, settings.flushIntervalMillis(), settings.maxBindings(), clock);
            locations.start();
            Users users = new Users(db, domains, locations, clock);
            PoolSettings pool = new PoolSettings(db);
            pool.load();
            Acls acls = new Acls(db, users, pool, aclListeners);
            acls.load();
            Contacts contacts = new Contacts(db, users, pool);
            contacts.load();
            parts = new Parts(db, domains, users, locations, acls, contacts, loadCaches(shown, users, locations));
            LOG.info("RTC store ready at {}: {} domain(s); users and bindings load in the background; "
                    + "bindings reach disk within {} ms", shown, domains.size(), settings.flushIntervalMillis());
        } catch (Exception e) {
            String why = String.valueOf(e.getMessage());
            if (why.contains(shown)) {
                LOG.error("Cannot start the RTC store: {}", why);
            } else {
                LOG.error("Cannot start the RTC store at {}: {}", shown, why);
            }
            if (locations != null) {
                stopQuietly(locations);
            }
            if (db != null) {
                db.close();
            }
            if (e instanceof StoreException se) {
                throw se;
            }
            throw new StoreException("Cannot start the RTC store at " + shown + ": " + e.getMessage(), e);
        }
    }

    /**
     * Users, credentials and bindings load in the background, on a thread of their own, while the
     * server already answers (125,000 users and their bindings took 4 s of a start): a lookup
     * before then reads its row from the database. A failure is logged; the next write or
     * whole-list read tries the load again.
     */
    private static CompletableFuture<Void> loadCaches(String shown, Users users, Locations locations) {
        long t0 = System.nanoTime();
        // one thread, one load after the other: two took both cores from the rest of the start
        return CompletableFuture.runAsync(() -> {
            users.prepareLookups();
            locations.prepareLookups();
            locations.load();
            users.load();
        }, LOADER).whenComplete((v, e) -> {
            if (e == null) {
                LOG.info("RTC store at {} loaded in {} ms: {} user(s), {} binding(s)", shown,
                        (System.nanoTime() - t0) / 1_000_000, users.size(), locations.size());
            } else {
                Throwable why = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (why instanceof LoadCancelledException) {
                    LOG.info("RTC store at {} stopped before its caches had loaded", shown);
                    return;
                }
                LOG.error("Loading the RTC store's caches at {} failed (lookups read the database until a "
                        + "write or a listing loads them): {}", shown, why.getMessage());
            }
        });
    }

    private static final Executor LOADER = r -> {
        Thread t = new Thread(r, "confab-store-loader");
        t.setDaemon(true);
        t.start();
    };

    /** Waits for the caches' load (tests, and a stop: the database must not close under it). */
    void awaitLoaded() {
        awaitLoaded(parts());
    }

    private static void awaitLoaded(Parts p) {
        try {
            p.caches().get(LOAD_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // logged by the load itself
        } catch (TimeoutException e) {
            LOG.warn("The RTC store's caches were still loading after {} s", LOAD_WAIT_SECONDS);
        }
    }

    /** Flushes pending bindings, closes connections and shuts the embedded database down. */
    @Deactivate
    void deactivate() {
        Parts p = parts;
        parts = null;
        if (p == null) {
            return;
        }
        // a load still running gives up at its next row; the database must not close under it
        p.users().cancelLoad();
        p.locations().cancelLoad();
        awaitLoaded(p);
        try {
            p.locations().stop();
        } catch (RuntimeException e) {
            LOG.error("Bindings changed in the last {} ms could not be written: {}",
                    p.locations().durabilityWindowMillis(), e.getMessage());
        } finally {
            p.db().close();
        }
    }

    /** The location part (tests read its commit counter). */
    Locations locations() {
        return parts().locations();
    }

    Users users() {
        return parts().users();
    }

    /** The allow/block list service over this store (tests; SCR makes its own). */
    AclStore aclStore() {
        return new AclStoreComponent(this);
    }

    /** The contact list service over this store (tests; SCR makes its own). */
    ContactStore contactStore() {
        return new ContactStoreComponent(this);
    }

    /** The ACL part of the active database (the ACL service). */
    Acls acls() {
        return parts().acls();
    }

    /** The contact part of the active database (the contact service). */
    Contacts contacts() {
        return parts().contacts();
    }

    void addAclListener(AclListener listener) {
        aclListeners.add(listener);
    }

    void removeAclListener(AclListener listener) {
        aclListeners.remove(listener);
    }

    private Parts parts() {
        Parts p = parts;
        if (p == null) {
            throw new StoreException("The RTC store is not active");
        }
        return p;
    }

    private static void stopQuietly(Locations locations) {
        try {
            locations.stop();
        } catch (RuntimeException e) {
            LOG.debug("Stopping the location writer failed", e);
        }
    }

    // DomainStore

    @Override
    public List<String> list() {
        return parts().domains().list();
    }

    @Override
    public boolean isServed(String domain) {
        return parts().domains().isServed(domain);
    }

    @Override
    public void add(String domain) {
        parts().domains().add(domain);
    }

    @Override
    public void remove(String domain) {
        parts().domains().remove(domain);
    }

    // UserStore

    @Override
    public Optional<User> find(String uri) {
        return parts().users().find(uri);
    }

    @Override
    public User create(String uri, String displayName, String homePool) {
        return parts().users().create(uri, displayName, homePool);
    }

    @Override
    public int createAll(List<NewUser> users, boolean skipExisting) {
        return parts().users().createAll(users, skipExisting);
    }

    @Override
    public void setEnabled(String uri, boolean enabled) {
        parts().users().setEnabled(uri, enabled);
    }

    @Override
    public void setDisplayName(String uri, String displayName) {
        parts().users().setDisplayName(uri, displayName);
    }

    @Override
    public void delete(String uri) {
        Parts p = parts();
        p.users().delete(uri);
        // the database dropped the user's lists by ON DELETE CASCADE; memory follows
        String canonical = Names.userUri(uri);
        p.acls().forget(canonical);
        p.contacts().forget(canonical);
    }

    @Override
    public List<User> list(String filter) {
        return parts().users().list(filter);
    }

    @Override
    public void setCredentials(String uri, String scheme, List<Credential> credentials) {
        parts().users().setCredentials(uri, scheme, credentials);
    }

    @Override
    public Optional<StoredCredential> credential(String scheme, String realm, String username, String algorithm) {
        return parts().users().credential(scheme, realm, username, algorithm);
    }

    // LocationStore

    @Override
    public List<Binding> bindings(String aor) {
        return parts().locations().bindings(aor);
    }

    @Override
    public void put(Binding binding) {
        parts().locations().put(binding);
    }

    @Override
    public boolean remove(String aor, String contact) {
        return parts().locations().remove(aor, contact);
    }

    @Override
    public int removeAll(String aor) {
        return parts().locations().removeAll(aor);
    }

    @Override
    public int expire(Instant now) {
        return parts().locations().expire(now);
    }

    @Override
    public List<Binding> all() {
        return parts().locations().all();
    }

    @Override
    public int size() {
        return parts().locations().size();
    }

    @Override
    public long durabilityWindowMillis() {
        return parts().locations().durabilityWindowMillis();
    }

    @Override
    public void flush() {
        parts().locations().flush();
    }
}
