package org.confab.store.internal;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.confab.api.store.Binding;
import org.confab.api.store.Credential;
import org.confab.api.store.DomainStore;
import org.confab.api.store.LocationStore;
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
 */
@Component(name = RtcStore.PID, configurationPid = RtcStore.PID, immediate = true,
        service = {DomainStore.class, UserStore.class, LocationStore.class})
@Designate(ocd = StoreConfig.class)
public class RtcStore implements DomainStore, UserStore, LocationStore {

    static final String PID = "org.confab.store";

    private static final Logger LOG = LoggerFactory.getLogger(RtcStore.class);

    /** Time source: tests replace it before activation. */
    Clock clock = Clock.systemUTC();

    private volatile Parts parts;

    /** What an active store runs on. */
    private record Parts(Database db, Domains domains, Users users, Locations locations) {
    }

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
            users.load();
            parts = new Parts(db, domains, users, locations);
            LOG.info("RTC store ready at {}: {} domain(s), {} user(s), {} binding(s); bindings reach disk within {} ms",
                    shown, domains.size(), users.size(), locations.size(), settings.flushIntervalMillis());
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

    /** Flushes pending bindings, closes connections and shuts the embedded database down. */
    @Deactivate
    void deactivate() {
        Parts p = parts;
        parts = null;
        if (p == null) {
            return;
        }
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
    public void setEnabled(String uri, boolean enabled) {
        parts().users().setEnabled(uri, enabled);
    }

    @Override
    public void setDisplayName(String uri, String displayName) {
        parts().users().setDisplayName(uri, displayName);
    }

    @Override
    public void delete(String uri) {
        parts().users().delete(uri);
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
