package org.confab.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.confab.api.store.Credential;
import org.confab.api.store.DuplicateException;
import org.confab.api.store.NewUser;
import org.confab.api.store.NotFoundException;
import org.confab.api.store.StoreException;
import org.confab.api.store.User;
import org.confab.api.store.UserStore.StoredCredential;

/**
 * Users and their credentials: tables RTC.USERS and RTC.CREDENTIALS, both also held in memory
 * because {@link #find} and {@link #credential} run for every REGISTER. Writes go to the
 * database first, then to memory, under one lock so memory follows the database's order.
 *
 * <p>The caches load in the background at start (125,000 users took 2 s): until they are
 * complete a lookup that misses reads its one row from the database, and writes and
 * whole-directory reads wait for the load under the same lock, so no write is checked against
 * a partial cache.
 */
final class Users {

    static final int MAX_DISPLAY_NAME = 256;
    static final int MAX_HOME_POOL = 253;

    /**
     * How the credential cache is keyed. Scheme and algorithm are tokens compared without case
     * (RFC 7235 §2.1, RFC 7616 §3.3); realm and username are compared exactly.
     */
    record CredentialKey(String scheme, String realm, String username, String algorithm) {

        static CredentialKey of(String scheme, String realm, String username, String algorithm) {
            return new CredentialKey(scheme.toLowerCase(Locale.ROOT), realm, username,
                    algorithm.toLowerCase(Locale.ROOT));
        }

        static CredentialKey of(Credential c) {
            return of(c.scheme(), c.realm(), c.username(), c.algorithm());
        }
    }

    private static final String USER_COLUMNS = "URI, DISPLAY_NAME, ENABLED, HOME_POOL, CREATED";
    private static final String USER_BY_URI = "SELECT " + USER_COLUMNS + " FROM RTC.USERS WHERE URI = ?";
    private static final String CREDENTIALS_BY_NAME = "SELECT USER_URI, SCHEME, REALM, USERNAME, ALGORITHM, SECRET"
            + " FROM RTC.CREDENTIALS WHERE USERNAME = ? AND REALM = ?";

    private final Database db;
    private final Domains domains;
    private final Locations locations;
    private final Clock clock;
    private final Object writeLock = new Object();
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<CredentialKey, StoredCredential> credentials = new ConcurrentHashMap<>();
    /** Both caches hold every row; until then lookups that miss read the database. */
    private volatile boolean loaded;
    /** The store is stopping: a load still running gives up instead of holding the stop. */
    private volatile boolean cancelled;

    Users(Database db, Domains domains, Locations locations, Clock clock) {
        this.db = db;
        this.domains = domains;
        this.locations = locations;
        this.clock = clock;
    }

    /**
     * Reads every user and credential into memory, on a connection of its own (the shared one
     * serves the lookups meanwhile). Runs once in the background at start; a write or a
     * whole-directory read that finds it not done (still running, or failed) runs it itself.
     */
    void load() {
        synchronized (writeLock) {
            if (loaded) {
                return;
            }
            users.clear();
            credentials.clear();
            db.onOwnConnection(c -> {
                try (Statement s = c.createStatement()) {
                    try (ResultSet rs = s.executeQuery("SELECT " + USER_COLUMNS + " FROM RTC.USERS")) {
                        while (rs.next()) {
                            checkNotCancelled();
                            User u = user(rs);
                            users.put(u.uri(), u);
                        }
                    }
                    // a user has four credentials whose scheme, realm and algorithm are few distinct
                    // values: one copy of each (and the user's own URI string) instead of one per row
                    // saved about 100 MB of heap with 125,000 users
                    Map<String, String> common = new HashMap<>();
                    try (ResultSet rs = s.executeQuery(
                            "SELECT USER_URI, SCHEME, REALM, USERNAME, ALGORITHM, SECRET FROM RTC.CREDENTIALS")) {
                        while (rs.next()) {
                            checkNotCancelled();
                            String uri = rs.getString(1);
                            User owner = users.get(uri);
                            Credential cr = new Credential(common.computeIfAbsent(rs.getString(2), v -> v),
                                    common.computeIfAbsent(rs.getString(3), v -> v), rs.getString(4),
                                    common.computeIfAbsent(rs.getString(5), v -> v), rs.getString(6));
                            credentials.put(CredentialKey.of(cr),
                                    new StoredCredential(owner == null ? uri : owner.uri(), cr));
                        }
                    }
                }
                return null;
            });
            loaded = true;
        }
    }

    boolean loaded() {
        return loaded;
    }

    /** Makes a running or later load give up (the store stops). */
    void cancelLoad() {
        cancelled = true;
    }

    private void checkNotCancelled() {
        if (cancelled) {
            throw new LoadCancelledException();
        }
    }

    /**
     * Compiles the lookups used while the caches load (Derby compiles a statement to bytecode the
     * first time, about 100 ms cold, then keeps the plan): done by the loader before it loads,
     * while the rest of the server starts, not by the first REGISTER.
     */
    void prepareLookups() {
        db.inTransaction(c -> {
            c.prepareStatement(USER_BY_URI).close();
            c.prepareStatement(CREDENTIALS_BY_NAME).close();
            return null;
        });
    }

    /** Waits for (or runs) the load: the caller holds or takes the write lock. */
    private void ensureLoaded() {
        if (!loaded) {
            load();
        }
    }

    private static Credential credential(ResultSet rs, int first) throws SQLException {
        return new Credential(rs.getString(first), rs.getString(first + 1), rs.getString(first + 2),
                rs.getString(first + 3), rs.getString(first + 4));
    }

    int size() {
        synchronized (writeLock) {
            ensureLoaded();
            return users.size();
        }
    }

    Optional<User> find(String uri) {
        Optional<String> key = Names.userUriOrEmpty(uri);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        User u = users.get(key.get());
        if (u != null || loaded) {
            return Optional.ofNullable(u);
        }
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(USER_BY_URI)) {
                ps.setString(1, key.get());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(user(rs)) : Optional.<User>empty();
                }
            }
        });
    }

    User create(String uri, String displayName, String homePool) {
        String canonical = Names.userUri(uri);
        String domain = Names.domainOf(canonical);
        if (!domains.isServedCanonical(domain)) {
            throw new StoreException("Domain " + domain + " is not served");
        }
        String name = checkedDisplayName(displayName);
        String pool = checkedHomePool(homePool);
        User user = new User(canonical, name, true, pool, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        synchronized (writeLock) {
            ensureLoaded();
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO RTC.USERS (URI, DOMAIN_NAME, "
                        + "DISPLAY_NAME, ENABLED, HOME_POOL, CREATED) VALUES (?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, canonical);
                    ps.setString(2, domain);
                    ps.setString(3, user.displayName());
                    ps.setBoolean(4, true);
                    ps.setString(5, pool);
                    ps.setTimestamp(6, Timestamp.from(user.created()));
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (Sql.is(e, Sql.UNIQUE_VIOLATION)) {
                        throw new DuplicateException("User " + canonical + " exists already");
                    }
                    if (Sql.is(e, Sql.FOREIGN_KEY_VIOLATION)) {
                        throw new StoreException("Domain " + domain + " is not served");
                    }
                    throw e;
                }
                return null;
            });
            users.put(canonical, user);
        }
        return user;
    }

    /** A checked user of {@link #createAll} with its credentials. */
    private record NewRow(User user, List<Credential> credentials) {
    }

    /**
     * Creates the users and their credentials in one transaction (UserStore#createAll). The whole
     * list is checked before the transaction and memory changes only after its commit, so a refusal
     * or a failure leaves the database and both caches as they were.
     */
    int createAll(List<NewUser> list, boolean skipExisting) {
        if (list == null) {
            throw new StoreException("The list of users is required");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<NewRow> rows = new ArrayList<>(list.size());
        Set<String> listed = new HashSet<>();
        Map<CredentialKey, String> listedCredentials = new HashMap<>();
        for (NewUser nu : list) {
            if (nu == null) {
                throw new StoreException("A user in the list is null");
            }
            String canonical = Names.userUri(nu.uri());
            String domain = Names.domainOf(canonical);
            if (!domains.isServedCanonical(domain)) {
                throw new StoreException("Domain " + domain + " is not served");
            }
            if (!listed.add(canonical)) {
                throw new StoreException("User " + canonical + " is listed twice");
            }
            for (Credential cr : nu.credentials()) {
                checkCredential(cr, cr == null ? "" : cr.scheme());
                String owner = listedCredentials.putIfAbsent(CredentialKey.of(cr), canonical);
                if (owner != null) {
                    throw new StoreException("Credential " + describe(cr) + " is listed for " + owner
                            + (owner.equals(canonical) ? " twice" : " and for " + canonical));
                }
            }
            User user = new User(canonical, checkedDisplayName(nu.displayName()), true,
                    checkedHomePool(nu.homePool()), now);
            rows.add(new NewRow(user, nu.credentials()));
        }
        synchronized (writeLock) {
            ensureLoaded();
            List<NewRow> fresh = new ArrayList<>(rows.size());
            for (NewRow row : rows) {
                String uri = row.user().uri();
                if (users.containsKey(uri)) {
                    if (skipExisting) {
                        continue;
                    }
                    throw new DuplicateException("User " + uri + " exists already");
                }
                for (Credential cr : row.credentials()) {
                    // the user is new, so whoever owns an equal credential is someone else
                    StoredCredential other = credentials.get(CredentialKey.of(cr));
                    if (other != null) {
                        throw new DuplicateException("Credential " + describe(cr) + " belongs to " + other.userUri());
                    }
                }
                fresh.add(row);
            }
            if (fresh.isEmpty()) {
                return 0;
            }
            db.inTransaction(c -> {
                insertUsers(c, fresh);
                insertCredentials(c, fresh);
                return null;
            });
            // users before their credentials: a credential found always has its user
            for (NewRow row : fresh) {
                users.put(row.user().uri(), row.user());
            }
            for (NewRow row : fresh) {
                for (Credential cr : row.credentials()) {
                    credentials.put(CredentialKey.of(cr), new StoredCredential(row.user().uri(), cr));
                }
            }
            return fresh.size();
        }
    }

    private static void insertUsers(Connection c, List<NewRow> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO RTC.USERS (URI, DOMAIN_NAME, "
                + "DISPLAY_NAME, ENABLED, HOME_POOL, CREATED) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (NewRow row : rows) {
                User u = row.user();
                ps.setString(1, u.uri());
                ps.setString(2, u.domain());
                ps.setString(3, u.displayName());
                ps.setBoolean(4, true);
                ps.setString(5, u.homePool());
                ps.setTimestamp(6, Timestamp.from(u.created()));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            // the caches said otherwise: another server of the pool wrote the same back-end meanwhile
            if (Sql.is(e, Sql.UNIQUE_VIOLATION)) {
                throw new DuplicateException("A user of the list exists already in the database");
            }
            if (Sql.is(e, Sql.FOREIGN_KEY_VIOLATION)) {
                throw new StoreException("A domain of the list is no longer served");
            }
            throw e;
        }
    }

    private static void insertCredentials(Connection c, List<NewRow> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO RTC.CREDENTIALS "
                + "(USER_URI, SCHEME, REALM, USERNAME, ALGORITHM, SECRET) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (NewRow row : rows) {
                addCredentialRows(ps, row.user().uri(), row.credentials());
            }
            ps.executeBatch();
        } catch (SQLException e) {
            if (Sql.is(e, Sql.UNIQUE_VIOLATION)) {
                throw new DuplicateException("A credential of the list belongs to another user in the database");
            }
            throw e;
        }
    }

    void setEnabled(String uri, boolean enabled) {
        update(uri, "ENABLED = ?", ps -> ps.setBoolean(1, enabled));
    }

    void setDisplayName(String uri, String displayName) {
        String name = checkedDisplayName(displayName);
        update(uri, "DISPLAY_NAME = ?", ps -> ps.setString(1, name));
    }

    /** Deletes the user, its credentials and its bindings (RTC.BINDINGS rows and the location store's memory). */
    void delete(String uri) {
        String canonical = Names.userUri(uri);
        synchronized (writeLock) {
            ensureLoaded();
            db.inTransaction(c -> {
                execute(c, "DELETE FROM RTC.CREDENTIALS WHERE USER_URI = ?", canonical);
                execute(c, "DELETE FROM RTC.BINDINGS WHERE AOR = ?", canonical);
                if (execute(c, "DELETE FROM RTC.USERS WHERE URI = ?", canonical) == 0) {
                    throw new NotFoundException("No user " + canonical);
                }
                return null;
            });
            users.remove(canonical);
            credentials.values().removeIf(sc -> sc.userUri().equals(canonical));
        }
        // memory now, and a queued delete that also undoes any write-behind still pending for it
        locations.removeAll(canonical);
    }

    List<User> list(String filter) {
        String f = filter == null ? "" : filter.trim().toLowerCase(Locale.ROOT);
        synchronized (writeLock) {
            ensureLoaded();
        }
        List<User> out = new ArrayList<>();
        for (User u : users.values()) {
            if (f.isEmpty() || u.uri().toLowerCase(Locale.ROOT).contains(f)) {
                out.add(u);
            }
        }
        out.sort(Comparator.comparing(User::uri));
        return out;
    }

    void setCredentials(String uri, String scheme, List<Credential> list) {
        String canonical = Names.userUri(uri);
        if (scheme == null || scheme.isBlank()) {
            throw new StoreException("A credential scheme is required");
        }
        if (list == null) {
            throw new StoreException("The credential list is required (empty removes all of the scheme)");
        }
        Set<CredentialKey> keys = new HashSet<>();
        for (Credential cr : list) {
            checkCredential(cr, scheme);
            CredentialKey key = CredentialKey.of(cr);
            if (!keys.add(key)) {
                throw new StoreException("Credential " + describe(cr) + " is listed twice");
            }
        }
        synchronized (writeLock) {
            ensureLoaded();
            for (Credential cr : list) {
                StoredCredential other = credentials.get(CredentialKey.of(cr));
                if (other != null && !other.userUri().equals(canonical)) {
                    throw new DuplicateException("Credential " + describe(cr) + " belongs to " + other.userUri());
                }
            }
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT URI FROM RTC.USERS WHERE URI = ?")) {
                    ps.setString(1, canonical);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new NotFoundException("No user " + canonical);
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM RTC.CREDENTIALS WHERE USER_URI = ? AND UPPER(SCHEME) = ?")) {
                    ps.setString(1, canonical);
                    ps.setString(2, scheme.trim().toUpperCase(Locale.ROOT));
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO RTC.CREDENTIALS "
                        + "(USER_URI, SCHEME, REALM, USERNAME, ALGORITHM, SECRET) VALUES (?, ?, ?, ?, ?, ?)")) {
                    addCredentialRows(ps, canonical, list);
                    ps.executeBatch();
                } catch (SQLException e) {
                    if (Sql.is(e, Sql.UNIQUE_VIOLATION)) {
                        throw new DuplicateException("A credential of " + canonical + " belongs to another user");
                    }
                    throw e;
                }
                return null;
            });
            // new ones first, then the old ones that are gone: a reader never sees neither
            for (Credential cr : list) {
                credentials.put(CredentialKey.of(cr), new StoredCredential(canonical, cr));
            }
            credentials.entrySet().removeIf(e -> e.getValue().userUri().equals(canonical)
                    && e.getValue().credential().scheme().equalsIgnoreCase(scheme.trim())
                    && !keys.contains(e.getKey()));
        }
    }

    Optional<StoredCredential> credential(String scheme, String realm, String username, String algorithm) {
        if (scheme == null || realm == null || username == null || algorithm == null) {
            return Optional.empty();
        }
        CredentialKey key = CredentialKey.of(scheme, realm, username, algorithm);
        StoredCredential found = credentials.get(key);
        if (found != null || loaded) {
            return Optional.ofNullable(found);
        }
        // still loading: the one row, by the (USERNAME, REALM) index; scheme and algorithm match without case
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(CREDENTIALS_BY_NAME)) {
                ps.setString(1, username);
                ps.setString(2, realm);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Credential cr = credential(rs, 2);
                        if (CredentialKey.of(cr).equals(key)) {
                            return Optional.of(new StoredCredential(rs.getString(1), cr));
                        }
                    }
                }
            }
            return Optional.<StoredCredential>empty();
        });
    }

    /** Stored credentials of one user (for tests and administration). */
    List<Credential> credentialsOf(String canonicalUri) {
        synchronized (writeLock) {
            ensureLoaded();
        }
        List<Credential> out = new ArrayList<>();
        for (StoredCredential sc : credentials.values()) {
            if (sc.userUri().equals(canonicalUri)) {
                out.add(sc.credential());
            }
        }
        return out;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String uri, String assignment, Binder binder) {
        String canonical = Names.userUri(uri);
        synchronized (writeLock) {
            ensureLoaded();
            User fresh = db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE RTC.USERS SET " + assignment + " WHERE URI = ?")) {
                    binder.bind(ps);
                    ps.setString(2, canonical);
                    if (ps.executeUpdate() == 0) {
                        throw new NotFoundException("No user " + canonical);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT " + USER_COLUMNS + " FROM RTC.USERS WHERE URI = ?")) {
                    ps.setString(1, canonical);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return user(rs);
                    }
                }
            });
            users.put(canonical, fresh);
        }
    }

    private static int execute(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            return ps.executeUpdate();
        }
    }

    private static User user(ResultSet rs) throws SQLException {
        Timestamp created = rs.getTimestamp(5);
        return new User(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                created == null ? Instant.EPOCH : created.toInstant());
    }

    private static String checkedDisplayName(String displayName) {
        String name = displayName == null ? "" : displayName.trim();
        if (name.length() > MAX_DISPLAY_NAME) {
            throw new StoreException("Display name longer than " + MAX_DISPLAY_NAME + " characters");
        }
        return name;
    }

    private static String checkedHomePool(String homePool) {
        String pool = homePool == null || homePool.isBlank() ? null : homePool.trim();
        if (pool != null && pool.length() > MAX_HOME_POOL) {
            throw new StoreException("Home pool name longer than " + MAX_HOME_POOL + " characters");
        }
        return pool;
    }

    private static void checkCredential(Credential cr, String scheme) {
        if (cr == null) {
            throw new StoreException("A credential in the list is null");
        }
        if (!cr.scheme().equalsIgnoreCase(scheme.trim())) {
            throw new StoreException("Credential " + describe(cr) + " is not of scheme " + scheme);
        }
        checkField("scheme", cr.scheme(), 32);
        checkField("realm", cr.realm(), 253);
        checkField("username", cr.username(), 512);
        checkField("algorithm", cr.algorithm(), 32);
        checkField("secret", cr.secret(), 256);
    }

    private static void checkField(String what, String value, int max) {
        if (value.isBlank()) {
            throw new StoreException("Credential " + what + " must not be empty");
        }
        if (value.length() > max) {
            throw new StoreException("Credential " + what + " longer than " + max + " characters");
        }
    }

    private static String describe(Credential cr) {
        return cr.scheme() + " " + cr.realm() + "/" + cr.username() + "/" + cr.algorithm();
    }

    /** Adds one batch row per credential to an INSERT INTO RTC.CREDENTIALS (USER_URI, SCHEME, REALM, USERNAME, ALGORITHM, SECRET). */
    private static void addCredentialRows(PreparedStatement ps, String uri, List<Credential> credentials)
            throws SQLException {
        for (Credential cr : credentials) {
            ps.setString(1, uri);
            ps.setString(2, cr.scheme());
            ps.setString(3, cr.realm());
            ps.setString(4, cr.username());
            ps.setString(5, cr.algorithm());
            ps.setString(6, cr.secret());
            ps.addBatch();
        }
    }
}
