package org.confab.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;
import org.confab.api.auth.DigestSecrets;
import org.confab.api.store.Binding;
import org.confab.api.store.DuplicateException;
import org.confab.api.store.NewUser;
import org.confab.api.store.StoreException;
import org.confab.api.store.UserStore.StoredCredential;
import org.junit.After;
import org.junit.Test;

/**
 * The caches load in the background at start: until they have, lookups read the database, writes
 * wait for (or run) the load, and an AOR a request touched keeps what memory says. Each test
 * writes a database through one store, then looks at it through parts that have not loaded.
 */
public class BackgroundLoadTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final String ALICE = "sip:alice@example.com";
    private static final String BOB = "sip:bob@example.com";
    private static final String CAROL = "sip:carol@example.com";

    private final StoreTestSupport.MutableClock clock = new StoreTestSupport.MutableClock(T0);
    private final String url = StoreTestSupport.memoryUrl();
    private Database db;
    private Locations locations;

    /** Alice and Bob with their Digest credentials and one binding each, on disk. */
    private void seed() {
        RtcStore store = StoreTestSupport.start(StoreTestSupport.settings(url), clock);
        try {
            store.add("example.com");
            store.createAll(List.of(
                    new NewUser(ALICE, "Alice", null, DigestSecrets.credentials(ALICE, "example.com", "pw-a")),
                    new NewUser(BOB, "Bob", null, DigestSecrets.credentials(BOB, "example.com", "pw-b"))), false);
            store.put(LocationStoreTest.binding(ALICE, "sip:alice@192.0.2.1:5060", 3600, null, 0, 1000));
            store.put(LocationStoreTest.binding(BOB, "sip:bob@192.0.2.2:5060", 3600, null, 0, 1000));
        } finally {
            store.deactivate();
        }
        db = new Database(url, 5);
    }

    /** Parts over the seeded database, as a start makes them, before their load has run. */
    private Users unloadedUsers() {
        Domains domains = new Domains(db, clock);
        domains.load();
        locations = new Locations(db, 50, 250_000, clock);
        locations.start();
        return new Users(db, domains, locations, clock);
    }

    @After
    public void tearDown() {
        if (locations != null) {
            locations.stop();
        }
        if (db != null) {
            db.close();
        }
        StoreTestSupport.drop(url);
    }

    @Test
    public void beforeTheLoadLookupsReadTheDatabase() {
        seed();
        Users users = unloadedUsers();

        assertFalse(users.loaded());
        assertEquals("Alice", users.find(ALICE).orElseThrow().displayName());
        assertTrue(users.find(CAROL).isEmpty());
        // scheme and algorithm match without case, as they do once loaded
        StoredCredential c = users.credential("DIGEST", "example.com", "alice", "md5").orElseThrow();
        assertEquals(ALICE, c.userUri());
        assertEquals(DigestSecrets.ha1("MD5", "alice", "example.com", "pw-a"), c.credential().secret());
        assertTrue(users.credential("Digest", "example.com", "alice", "SHA-512").isEmpty());
        assertTrue(users.credential("Digest", "other.example", "alice", "MD5").isEmpty());
        assertFalse("a lookup does not load everything", users.loaded());
        assertEquals(List.of("sip:bob@192.0.2.2:5060"), locations.bindings(BOB).stream().map(Binding::contact).toList());
    }

    @Test
    public void aWriteBeforeTheLoadRunsItAndIsCheckedAgainstEveryUser() {
        seed();
        Users users = unloadedUsers();

        assertThrows(DuplicateException.class, () -> users.create(BOB, "Bob again", null));
        assertTrue(users.loaded());
        assertEquals(2, users.size());
        assertEquals(4, users.credentialsOf(ALICE).size());
        // a credential that is Bob's cannot be given to Alice, though Alice's lookups never read it
        assertThrows(DuplicateException.class, () -> users.setCredentials(ALICE, "Digest",
                DigestSecrets.credentials(BOB, "example.com", "pw-b").subList(0, 1)));
    }

    @Test
    public void anAorTouchedBeforeTheLoadKeepsWhatMemorySays() {
        seed();
        unloadedUsers();

        // Alice registers a second device and Bob unregisters, both before the load reaches them
        locations.put(LocationStoreTest.binding(ALICE, "sip:alice@192.0.2.9:5060", 3600, null, 0, 1000));
        assertEquals(1, locations.removeAll(BOB));
        locations.load();

        assertEquals(List.of("sip:alice@192.0.2.1:5060", "sip:alice@192.0.2.9:5060"),
                locations.bindings(ALICE).stream().map(Binding::contact).sorted().toList());
        assertTrue("an unregistered AOR is not brought back by the load", locations.bindings(BOB).isEmpty());
        assertEquals(2, locations.size());
    }

    @Test
    public void theLoadBringsInEveryAorNobodyTouched() throws Exception {
        seed();
        unloadedUsers();

        locations.load();

        assertTrue(locations.loaded());
        assertEquals(2, locations.size());
        assertEquals(1, locations.bindings(ALICE).size());
        // loading twice adds nothing
        locations.load();
        assertEquals(2, locations.all().size());
    }

    @Test
    public void aCancelledLoadGivesUpAndLookupsStillWork() {
        seed();
        Users users = unloadedUsers();

        users.cancelLoad();
        locations.cancelLoad();

        StoreException e = assertThrows(StoreException.class, users::load);
        assertTrue(e.getMessage(), e.getMessage().contains("stopping"));
        assertThrows(LoadCancelledException.class, locations::load);
        assertFalse(users.loaded());
        assertTrue(users.find(ALICE).isPresent());
        assertEquals(1, locations.bindings(ALICE).size());
    }

    @Test
    public void aStartedStoreServesAtOnceAndLoadsInTheBackground() {
        seed();
        db.close();
        db = null;
        RtcStore store = StoreTestSupport.start(StoreTestSupport.settings(url), clock);
        try {
            // served whether or not the load has finished
            assertEquals(ALICE, store.credential("Digest", "example.com", "alice", "MD5").orElseThrow().userUri());
            assertEquals(1, store.bindings(BOB).size());
            store.awaitLoaded();
            assertTrue(store.users().loaded());
            assertTrue(store.locations().loaded());
            assertEquals(2, store.size());
        } finally {
            store.deactivate();
        }
    }
}
