package org.confab.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.confab.api.auth.DigestSecrets;
import org.confab.api.store.Credential;
import org.confab.api.store.DuplicateException;
import org.confab.api.store.NewUser;
import org.confab.api.store.StoreException;
import org.confab.api.store.User;
import org.confab.api.store.UserStore.StoredCredential;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** UserStore#createAll, the bulk import's write: one transaction per call, caches in step with it. */
public class CreateAllTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private String url;
    private StoreTestSupport.MutableClock clock;
    private RtcStore store;

    @Before
    public void setUp() {
        url = StoreTestSupport.memoryUrl();
        clock = new StoreTestSupport.MutableClock(T0);
        store = StoreTestSupport.start(StoreTestSupport.settings(url), clock);
        store.add("example.com");
    }

    @After
    public void tearDown() {
        if (store != null) {
            store.deactivate();
        }
        StoreTestSupport.drop(url);
    }

    @Test
    public void importsBatchesThatServeLookupsAtOnceAndSurviveRestart() throws Exception {
        for (int batch = 0; batch < 3; batch++) {
            assertEquals(1000, store.createAll(users(batch * 1000, 1000), false));
        }
        assertEquals(3000, store.list("").size());
        // the registrar's lookups work right after the import, without a reload
        for (int i : new int[] {0, 999, 1000, 2999}) {
            String uri = "sip:user" + i + "@example.com";
            User u = store.find(uri).orElseThrow();
            assertTrue(u.enabled());
            assertEquals("User " + i, u.displayName());
            assertEquals("pool1.example.com", u.homePool());
            assertEquals(T0, u.created());
            StoredCredential sc = store.credential("Digest", "example.com", "user" + i, "SHA-256").orElseThrow();
            assertEquals(uri, sc.userUri());
            assertEquals(DigestSecrets.ha1("SHA-256", "user" + i, "example.com", password(i)), sc.credential().secret());
            assertTrue(store.credential("digest", "example.com", "user" + i + "@example.com", "md5").isPresent());
        }
        assertEquals(3000, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.USERS"));
        assertEquals(12000, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.CREDENTIALS"));

        store.deactivate();
        store = StoreTestSupport.start(StoreTestSupport.settings(url), clock);
        assertEquals(3000, store.list("").size());
        assertEquals(DigestSecrets.ha1("MD5", "user2999", "example.com", password(2999)),
                store.credential("Digest", "example.com", "user2999", "MD5").orElseThrow().credential().secret());
    }

    @Test
    public void urisAreCanonicalAndOtherUsersAreUntouched() {
        store.create("sip:carol@example.com", "Carol", null);
        List<NewUser> list = List.of(new NewUser("Alice@EXAMPLE.com", "  Alice  ", " ", null),
                new NewUser("sip:bob@example.com", null, null, List.of()));
        assertEquals(2, store.createAll(list, false));
        assertEquals("Alice", store.find("sip:Alice@example.com").orElseThrow().displayName());
        assertEquals(null, store.find("sip:Alice@example.com").orElseThrow().homePool());
        assertEquals("", store.find("sip:bob@example.com").orElseThrow().displayName());
        assertEquals("Carol", store.find("sip:carol@example.com").orElseThrow().displayName());
        assertEquals(0, store.createAll(List.of(), false));
    }

    @Test
    public void anExistingUserRefusesTheWholeList() throws Exception {
        store.create("sip:user5@example.com", "Old", null);
        try {
            store.createAll(users(0, 10), false);
            fail("existing user overwritten");
        } catch (DuplicateException e) {
            assertEquals("User sip:user5@example.com exists already", e.getMessage());
        }
        assertNothingOfTheListStored();
        assertEquals("Old", store.find("sip:user5@example.com").orElseThrow().displayName());
    }

    @Test
    public void skipExistingLeavesThemAsTheyAre() throws Exception {
        store.create("sip:user5@example.com", "Old", "fe1.example.com");
        store.setEnabled("sip:user5@example.com", false);
        store.setCredentials("sip:user5@example.com", "Digest",
                DigestSecrets.credentials("sip:user5@example.com", "example.com", "Old-Secret-1"));
        assertEquals(9, store.createAll(users(0, 10), true));
        User kept = store.find("sip:user5@example.com").orElseThrow();
        assertEquals("Old", kept.displayName());
        assertFalse(kept.enabled());
        assertEquals(DigestSecrets.ha1("MD5", "user5", "example.com", "Old-Secret-1"),
                store.credential("Digest", "example.com", "user5", "MD5").orElseThrow().credential().secret());
        assertEquals(10, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.USERS"));
        assertEquals(40, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.CREDENTIALS"));
        assertEquals("all there: nothing to do", 0, store.createAll(users(0, 10), true));
    }

    @Test
    public void badEntriesRefuseTheWholeListBeforeAnyWrite() throws Exception {
        store.create("sip:carol@example.com", "Carol", null);
        store.setCredentials("sip:carol@example.com", "Digest",
                List.of(new Credential("Digest", "example.com", "carol", "MD5", "cccc")));
        expectRefusal("Domain example.org is not served", with(new NewUser("sip:x@example.org", "", null, null)));
        expectRefusal("Bad user URI \"sip:al ice@example.com\": ' ' is not allowed in the user part",
                with(new NewUser("sip:al ice@example.com", "", null, null)));
        expectRefusal("User sip:user1@example.com is listed twice", with(new NewUser("user1@Example.COM", "", null, null)));
        expectRefusal("Display name longer than 256 characters",
                with(new NewUser("sip:x@example.com", "x".repeat(257), null, null)));
        expectRefusal("Credential secret must not be empty",
                with(new NewUser("sip:x@example.com", "", null, List.of(new Credential("Digest", "example.com", "x", "MD5", "")))));
        expectRefusal("Credential Digest example.com/user1/MD5 is listed for sip:user1@example.com and for sip:x@example.com",
                with(new NewUser("sip:x@example.com", "", null, List.of(new Credential("Digest", "example.com", "user1", "MD5", "ab")))));
        try {
            store.createAll(with(new NewUser("sip:x@example.com", "", null,
                    List.of(new Credential("Digest", "example.com", "carol", "md5", "ab")))), false);
            fail("took carol's credential");
        } catch (DuplicateException e) {
            assertEquals("Credential Digest example.com/carol/md5 belongs to sip:carol@example.com", e.getMessage());
        }
        assertNothingOfTheListStored();
        assertEquals(1, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.USERS"));
        assertEquals("cccc", store.credential("Digest", "example.com", "carol", "MD5").orElseThrow().credential().secret());
    }

    @Test
    public void aBatchThatFailsInTheDatabaseLeavesNothingOfItselfAndKeepsEarlierBatches() throws Exception {
        assertEquals(1000, store.createAll(users(0, 1000), false));
        try (Connection other = StoreTestSupport.open(url); Statement s = other.createStatement()) {
            // users go in, then the credentials wait for this lock until Derby gives up (1 s)
            s.execute("CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY('derby.locks.waitTimeout', '1')");
            other.setAutoCommit(false);
            s.execute("LOCK TABLE RTC.CREDENTIALS IN EXCLUSIVE MODE");
            try {
                store.createAll(users(1000, 1000), false);
                fail("wrote through a lock");
            } catch (StoreException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("RTC database error"));
            } finally {
                other.rollback();
            }
        }
        assertEquals(1000, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.USERS"));
        assertEquals(4000, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.CREDENTIALS"));
        assertEquals("the cache follows the rollback", 1000, store.list("").size());
        assertFalse(store.find("sip:user1000@example.com").isPresent());
        assertFalse(store.credential("Digest", "example.com", "user1000", "MD5").isPresent());
        assertEquals("the failed batch can be sent again", 1000, store.createAll(users(1000, 1000), false));
    }

    @Test
    public void theDatabaseDyingMidwayKeepsCommittedBatchesAndARerunWithSkipFinishes() throws Exception {
        assertEquals(1000, store.createAll(users(0, 1000), false));
        assertEquals(1000, store.createAll(users(1000, 1000), false));
        shutDownUnderTheStore();
        try {
            store.createAll(users(2000, 1000), false);
            fail("wrote to a stopped database");
        } catch (StoreException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("RTC database error"));
        }
        assertEquals(2000, store.list("").size());
        assertFalse(store.find("sip:user2000@example.com").isPresent());

        // a restart shows what reached the database: the two committed batches, nothing of the third
        store.deactivate();
        store = StoreTestSupport.start(StoreTestSupport.settings(url), clock);
        assertEquals(2000, store.list("").size());
        assertEquals(8000, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.CREDENTIALS"));
        int created = 0;
        for (int batch = 0; batch < 4; batch++) {
            created += store.createAll(users(batch * 1000, 1000), true);
        }
        assertEquals(2000, created);
        assertEquals(4000, store.list("").size());
        assertTrue(store.credential("Digest", "example.com", "user3999", "SHA-256").isPresent());
    }

    /**
     * The import rate on an on-disk database, printed: {@code -Dconfab.import.users=125000} for the
     * size of the brief's largest deployment (the default keeps the build quick). Not a timed test.
     */
    @Test
    public void printsTheImportRate() {
        int total = Integer.getInteger("confab.import.users", 5_000);
        String diskUrl = StoreTestSupport.directoryUrl(tmp.getRoot().toPath());
        RtcStore disk = StoreTestSupport.start(StoreTestSupport.settings(diskUrl), clock);
        try {
            disk.add("example.com");
            long hashing = 0;
            long t0 = System.nanoTime();
            for (int first = 0; first < total; first += 1000) {
                long h = System.nanoTime();
                List<NewUser> batch = users(first, Math.min(1000, total - first));
                hashing += System.nanoTime() - h;
                disk.createAll(batch, false);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(total, disk.list("").size());
            System.out.printf(Locale.ROOT, "createAll: %,d users (4 credentials each) in %.1f s = %,.0f users/s"
                    + " (of which %.1f s deriving Digest secrets; derby.system.durability=%s)%n", total, seconds,
                    total / seconds, hashing / 1e9, System.getProperty("derby.system.durability", "default"));
        } finally {
            disk.deactivate();
        }
    }

    private void expectRefusal(String message, List<NewUser> list) {
        try {
            store.createAll(list, false);
            fail("accepted: " + message);
        } catch (StoreException e) {
            assertEquals(message, e.getMessage());
        }
    }

    private void assertNothingOfTheListStored() throws SQLException {
        for (int i = 0; i < 10; i++) {
            if (i != 5) {
                assertFalse(store.find("sip:user" + i + "@example.com").isPresent());
                assertFalse(store.credential("Digest", "example.com", "user" + i, "MD5").isPresent());
            }
        }
        assertFalse(store.find("sip:x@example.com").isPresent());
        assertEquals(0, StoreTestSupport.count(url,
                "SELECT COUNT(*) FROM RTC.USERS WHERE URI LIKE 'sip:user%' AND URI <> 'sip:user5@example.com'"));
    }

    /** Ten good users plus the given one, which comes last. */
    private static List<NewUser> with(NewUser last) {
        List<NewUser> list = new ArrayList<>(users(0, 10));
        list.add(last);
        return list;
    }

    private static List<NewUser> users(int first, int count) {
        List<NewUser> out = new ArrayList<>(count);
        for (int i = first; i < first + count; i++) {
            String uri = "sip:user" + i + "@example.com";
            out.add(new NewUser(uri, "User " + i, "pool1.example.com",
                    DigestSecrets.credentials(uri, "example.com", password(i))));
        }
        return out;
    }

    private static String password(int i) {
        return "Pass-word-" + i;
    }

    /** Stops the embedded database behind the store's back, as a crash of the database would. */
    private void shutDownUnderTheStore() {
        try {
            StoreTestSupport.open(Database.embeddedBase(url) + ";shutdown=true");
            fail("shutdown answers with an exception");
        } catch (SQLException e) {
            assertEquals(Database.SQLSTATE_DATABASE_SHUTDOWN, e.getSQLState());
        }
    }
}
