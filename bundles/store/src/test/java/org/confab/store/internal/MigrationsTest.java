package org.confab.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.confab.api.store.StoreException;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class MigrationsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void freshDatabaseGetsEveryMigrationOnce() throws Exception {
        String url = StoreTestSupport.directoryUrl(tmp.getRoot().toPath());
        try (Connection c = StoreTestSupport.open(url)) {
            c.setAutoCommit(false);
            assertEquals(0, Migrations.currentVersion(c));
            assertEquals(Migrations.ALL.size(), Migrations.migrate(c));
            assertEquals(Migrations.latest(), Migrations.currentVersion(c));
            for (String table : List.of("SCHEMA_VERSION", "DOMAINS", "USERS", "CREDENTIALS", "BINDINGS")) {
                assertTrue(table, tableExists(c, table));
            }
            assertEquals("running again applies nothing", 0, Migrations.migrate(c));
            assertEquals(Migrations.ALL.size(), count(c, "SELECT COUNT(*) FROM RTC.SCHEMA_VERSION"));
        } finally {
            shutdown(url);
        }
    }

    @Test
    public void olderDatabaseIsBroughtForwardKeepingItsRows() throws Exception {
        String url = StoreTestSupport.directoryUrl(tmp.getRoot().toPath());
        try (Connection c = StoreTestSupport.open(url)) {
            c.setAutoCommit(false);
            assertEquals(1, Migrations.migrate(c, 1));
            assertEquals(1, Migrations.currentVersion(c));
            assertFalse("v1 has no bindings table yet", tableExists(c, "BINDINGS"));
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO RTC.DOMAINS (NAME, CREATED) VALUES ('example.com', CURRENT_TIMESTAMP)");
                s.executeUpdate("INSERT INTO RTC.USERS (URI, DOMAIN_NAME, DISPLAY_NAME, ENABLED, HOME_POOL, CREATED)"
                        + " VALUES ('sip:alice@example.com', 'example.com', 'Alice', TRUE, 'pool1', CURRENT_TIMESTAMP)");
                s.executeUpdate("INSERT INTO RTC.CREDENTIALS (USER_URI, SCHEME, REALM, USERNAME, ALGORITHM, SECRET)"
                        + " VALUES ('sip:alice@example.com', 'Digest', 'example.com', 'alice', 'MD5', 'abc123')");
            }
            c.commit();
        }
        shutdown(url);

        // a new server version starts on the old database
        try (Connection c = StoreTestSupport.open(url)) {
            c.setAutoCommit(false);
            assertEquals(Migrations.latest() - 1, Migrations.migrate(c));
            assertEquals(Migrations.latest(), Migrations.currentVersion(c));
            assertTrue(tableExists(c, "BINDINGS"));
            assertEquals(1, count(c, "SELECT COUNT(*) FROM RTC.USERS WHERE URI = 'sip:alice@example.com'"
                    + " AND DISPLAY_NAME = 'Alice' AND HOME_POOL = 'pool1'"));
            assertEquals(1, count(c, "SELECT COUNT(*) FROM RTC.CREDENTIALS WHERE SECRET = 'abc123'"));
            assertEquals(1, count(c, "SELECT COUNT(*) FROM RTC.DOMAINS"));
            assertEquals(0, Migrations.migrate(c));
            assertEquals(Migrations.latest(), Migrations.currentVersion(c));
        } finally {
            shutdown(url);
        }

        // and the store serves the old rows
        RtcStore store = StoreTestSupport.start(StoreTestSupport.settings(url), Clock.systemUTC());
        try {
            assertTrue(store.isServed("EXAMPLE.com"));
            assertEquals("Alice", store.find("sip:alice@example.com").orElseThrow().displayName());
            assertEquals("abc123", store.credential("digest", "example.com", "alice", "md5")
                    .orElseThrow().credential().secret());
        } finally {
            store.deactivate();
        }
    }

    @Test
    public void databaseNewerThanTheCodeIsRefused() throws Exception {
        String url = StoreTestSupport.memoryUrl();
        try (Connection c = StoreTestSupport.open(url)) {
            c.setAutoCommit(false);
            Migrations.migrate(c);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO RTC.SCHEMA_VERSION (VERSION, DESCRIPTION, APPLIED)"
                        + " VALUES (99, 'from the future', CURRENT_TIMESTAMP)");
            }
            c.commit();
            try {
                Migrations.migrate(c);
                fail("a schema newer than the code must be refused");
            } catch (StoreException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("version 99"));
            }
        } finally {
            StoreTestSupport.drop(url);
        }
    }

    @Test
    public void migrationResourcesSplitIntoStatements() {
        List<String> v1 = Migrations.statements(Migrations.ALL.get(0).resource());
        assertEquals(3, v1.size());
        assertTrue(v1.get(0).startsWith("CREATE TABLE RTC.DOMAINS"));
        for (String sql : v1) {
            assertFalse(sql, sql.contains("--"));
            assertFalse(sql, sql.endsWith(";"));
        }
        List<String> v2 = Migrations.statements(Migrations.ALL.get(1).resource());
        assertEquals(2, v2.size());
        int previous = 0;
        for (Migrations.Migration m : Migrations.ALL) {
            assertEquals("versions are consecutive", previous + 1, m.version());
            previous = m.version();
        }
    }

    @Test
    public void missingResourceIsAClearError() {
        try {
            Migrations.statements("migrations/V999__nothing.sql");
            fail();
        } catch (StoreException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("V999__nothing.sql"));
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(null, "RTC", table, null)) {
            return rs.next();
        } finally {
            c.commit();
        }
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        } finally {
            c.commit();
        }
    }

    private static void shutdown(String url) {
        try {
            StoreTestSupport.open(Database.embeddedBase(url) + ";shutdown=true");
            fail("shutdown answers with an exception");
        } catch (SQLException e) {
            assertEquals(Database.SQLSTATE_DATABASE_SHUTDOWN, e.getSQLState());
        }
    }
}
