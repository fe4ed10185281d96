package org.confab.store.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.derby.jdbc.EmbeddedDriver;

/** Real Derby for the tests: uniquely named in-memory databases or directories, and a settable clock. */
final class StoreTestSupport {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private StoreTestSupport() {
    }

    /** A URL of a new in-memory database. */
    static String memoryUrl() {
        return "jdbc:derby:memory:confab-test-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet()
                + ";create=true";
    }

    /** A URL of an on-disk database in the directory. */
    static String directoryUrl(Path dir) {
        return "jdbc:derby:" + dir.resolve("rtc").toAbsolutePath().toString().replace('\\', '/') + ";create=true";
    }

    static Settings settings(String url) {
        return new Settings(url, 5, 200, 250_000);
    }

    static Settings settings(String url, long flushMillis, int maxBindings) {
        return new Settings(url, 5, flushMillis, maxBindings);
    }

    static RtcStore start(Settings settings, Clock clock) {
        RtcStore store = new RtcStore();
        store.clock = clock;
        store.start(settings);
        return store;
    }

    /** Frees an in-memory database (its shutdown keeps it in memory until dropped). */
    static void drop(String memoryUrl) {
        String base = Database.embeddedBase(memoryUrl);
        try {
            new EmbeddedDriver().connect(base + ";drop=true", new Properties());
        } catch (SQLException e) {
            // 08006 is the expected answer to drop=true; anything else means it was not there
        }
    }

    /** A connection of the test's own, outside the store, to check what reached the disk. */
    static Connection open(String url) throws SQLException {
        return new EmbeddedDriver().connect(url, new Properties());
    }

    static int count(String url, String sql) throws SQLException {
        try (Connection c = open(url); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {

        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advanceSeconds(long seconds) {
            now.updateAndGet(t -> t.plusSeconds(seconds));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
