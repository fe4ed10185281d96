package org.confab.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.confab.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned migrations of schema RTC, applied at start. RTC.SCHEMA_VERSION holds one row per
 * applied version; each migration runs in its own transaction that first claims its version
 * row, so a second server starting against the same back-end waits, then skips it.
 */
final class Migrations {

    /** One step of the schema: an ordered SQL resource beside this class. */
    record Migration(int version, String description, String resource) {
    }

    /** Every migration, in order. Append only: a released step never changes. */
    static final List<Migration> ALL = List.of(
            new Migration(1, "domains, users, credentials", "migrations/V1__directory.sql"),
            new Migration(2, "location bindings", "migrations/V2__bindings.sql"),
            new Migration(3, "contact lists, allow/block lists, pool settings", "migrations/V3__presence.sql"),
            new Migration(4, "credential lookup index", "migrations/V4__credential_lookup.sql"));

    static final String SCHEMA = "RTC";
    static final String VERSION_TABLE = "SCHEMA_VERSION";

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private static final String SQLSTATE_DUPLICATE_KEY = "23505";

    private Migrations() {
    }

    /** The newest schema version this code knows. */
    static int latest() {
        return ALL.get(ALL.size() - 1).version();
    }

    /** Brings the schema to the latest version; returns how many migrations ran. */
    static int migrate(Connection c) {
        return migrate(c, latest());
    }

    /** Brings the schema to {@code target}; returns how many migrations ran (0 when already there). */
    static int migrate(Connection c, int target) {
        try {
            ensureVersionTable(c);
            int current = currentVersion(c);
            if (current > latest()) {
                throw new StoreException("The RTC schema is at version " + current
                        + ", newer than this server knows (" + latest() + "): upgrade the server");
            }
            int applied = 0;
            for (Migration m : ALL) {
                if (m.version() > current && m.version() <= target && apply(c, m)) {
                    applied++;
                }
            }
            LOG.info("RTC schema at version {} ({} migration(s) applied now)", currentVersion(c), applied);
            c.commit();
            return applied;
        } catch (SQLException e) {
            Database.rollbackQuietly(c);
            throw new StoreException("Cannot read the RTC schema version: " + e.getMessage(), e);
        }
    }

    /** The highest applied version; 0 for a database without RTC.SCHEMA_VERSION. */
    static int currentVersion(Connection c) throws SQLException {
        if (!tableExists(c, SCHEMA, VERSION_TABLE)) {
            return 0;
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(VERSION) FROM RTC.SCHEMA_VERSION")) {
            int v = rs.next() ? rs.getInt(1) : 0;
            c.commit();
            return v;
        }
    }

    /** The statements of a migration resource: "--" comment lines dropped, split at ';'. */
    static List<String> statements(String resource) {
        String text;
        try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new StoreException("Migration resource " + resource + " is missing from the bundle");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("Cannot read migration resource " + resource, e);
        }
        StringBuilder sql = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.trim().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String stmt : sql.toString().split(";")) {
            if (!stmt.isBlank()) {
                out.add(stmt.trim());
            }
        }
        return out;
    }

    private static boolean apply(Connection c, Migration m) {
        try {
            try (PreparedStatement claim = c.prepareStatement(
                    "INSERT INTO RTC.SCHEMA_VERSION (VERSION, DESCRIPTION, APPLIED) VALUES (?, ?, ?)")) {
                claim.setInt(1, m.version());
                claim.setString(2, m.description());
                claim.setTimestamp(3, Timestamp.from(Instant.now()));
                claim.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                for (String sql : statements(m.resource())) {
                    s.execute(sql);
                }
            }
            c.commit();
            LOG.info("Applied RTC schema migration {} ({})", m.version(), m.description());
            return true;
        } catch (SQLException e) {
            Database.rollbackQuietly(c);
            if (SQLSTATE_DUPLICATE_KEY.equals(e.getSQLState())) {
                LOG.info("RTC schema migration {} was applied by another server", m.version());
                return false;
            }
            throw new StoreException("RTC schema migration " + m.version() + " (" + m.description()
                    + ") failed: " + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
        } catch (RuntimeException e) {
            Database.rollbackQuietly(c);
            throw e;
        }
    }

    private static void ensureVersionTable(Connection c) throws SQLException {
        if (tableExists(c, SCHEMA, VERSION_TABLE)) {
            return;
        }
        try (Statement s = c.createStatement()) {
            if (!schemaExists(c, SCHEMA)) {
                s.execute("CREATE SCHEMA RTC");
            }
            s.execute("CREATE TABLE RTC.SCHEMA_VERSION (VERSION INTEGER NOT NULL, DESCRIPTION VARCHAR(200) NOT NULL,"
                    + " APPLIED TIMESTAMP NOT NULL, CONSTRAINT SCHEMA_VERSION_PK PRIMARY KEY (VERSION))");
            c.commit();
        } catch (SQLException e) {
            Database.rollbackQuietly(c);
            // another server created it between our look and our CREATE
            if (!tableExists(c, SCHEMA, VERSION_TABLE)) {
                throw e;
            }
        }
    }

    /** Metadata lookups try the upper-case (Derby, SQL standard) and lower-case (PostgreSQL) spelling. */
    private static boolean tableExists(Connection c, String schema, String table) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        for (String[] names : new String[][] {{schema, table}, {schema.toLowerCase(Locale.ROOT), table.toLowerCase(Locale.ROOT)}}) {
            try (ResultSet rs = md.getTables(null, names[0], names[1], new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean schemaExists(Connection c, String schema) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getSchemas()) {
            while (rs.next()) {
                if (schema.equalsIgnoreCase(rs.getString("TABLE_SCHEM"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
