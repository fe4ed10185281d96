package org.confab.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.confab.api.store.StoreException;
import org.junit.Test;

public class DatabaseTest {

    @Test
    public void unreachableServerFailsActivationNamingTheUrl() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        // nothing listens on that port now: the connection is refused at once
        String url = "jdbc:derby://127.0.0.1:" + port + "/rtc;user=app;password=s3cret";
        long start = System.nanoTime();
        try {
            StoreTestSupport.start(new Settings(url, 5, 200, 1000), Clock.systemUTC());
            fail("activated without a database");
        } catch (StoreException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("jdbc:derby://127.0.0.1:" + port + "/rtc"));
            assertFalse("the password stays out of messages", e.getMessage().contains("s3cret"));
        }
        assertTrue("failed fast", System.nanoTime() - start < 5_000_000_000L);
    }

    @Test
    public void silentServerFailsWithinTheLoginTimeout() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = silent.accept();
                        synchronized (accepted) {
                            accepted.add(s);
                        }
                    }
                } catch (IOException e) {
                    // closed by the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "jdbc:derby://127.0.0.1:" + silent.getLocalPort() + "/rtc";
            long start = System.nanoTime();
            try {
                StoreTestSupport.start(new Settings(url, 1, 200, 1000), Clock.systemUTC());
                fail("activated against a server that never answers");
            } catch (StoreException e) {
                assertTrue(e.getMessage(), e.getMessage().contains(url));
                assertTrue(e.getMessage(), e.getMessage().contains("did not answer within 1 s"));
            }
            long took = (System.nanoTime() - start) / 1_000_000;
            assertTrue("took " + took + " ms", took >= 900 && took < 5000);
        } finally {
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    @Test
    public void unsupportedUrlIsAClearError() {
        try {
            new Database("jdbc:nosuchdb://localhost/rtc", 1);
            fail();
        } catch (StoreException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("No JDBC driver for jdbc:nosuchdb://localhost/rtc"));
        }
    }

    @Test
    public void shutdownStopsOnlyThatDatabase() throws Exception {
        String one = StoreTestSupport.memoryUrl();
        String two = StoreTestSupport.memoryUrl();
        try (Connection other = StoreTestSupport.open(two)) {
            Database db = new Database(one, 5);
            assertTrue(db.embedded());
            try (Connection c = db.connect()) {
                assertFalse(c.getAutoCommit());
            }
            db.close();
            assertTrue("the other database keeps working", other.isValid(1));
            try (var s = other.createStatement(); var rs = s.executeQuery("VALUES 1")) {
                assertTrue(rs.next());
            }
            // the stopped one boots again on the next connection
            try (Connection again = StoreTestSupport.open(one)) {
                assertNotNull(again);
            }
        } finally {
            StoreTestSupport.drop(one);
            StoreTestSupport.drop(two);
        }
    }

    @Test
    public void failedSqlIsReportedAndTheConnectionStaysUsable() {
        String url = StoreTestSupport.memoryUrl();
        Database db = new Database(url, 5);
        try {
            try {
                db.inTransaction(c -> c.createStatement().executeUpdate("DELETE FROM NO_SUCH_TABLE"));
                fail();
            } catch (StoreException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("NO_SUCH_TABLE"));
                assertTrue(e.getCause() instanceof SQLException);
            }
            assertEquals(Integer.valueOf(1), db.inTransaction(c -> {
                try (var s = c.createStatement(); var rs = s.executeQuery("VALUES 1")) {
                    rs.next();
                    return rs.getInt(1);
                }
            }));
        } finally {
            db.close();
            StoreTestSupport.drop(url);
        }
    }

    @Test
    public void urlHelpers() {
        assertEquals("jdbc:derby://h:1527/rtc;user=a;password=***",
                Database.masked("jdbc:derby://h:1527/rtc;user=a;password=x"));
        assertEquals("jdbc:derby:/var/data/rtc", Database.embeddedBase("jdbc:derby:/var/data/rtc;create=true"));
        assertEquals("jdbc:derby:memory:x", Database.embeddedBase("jdbc:derby:memory:x"));
    }

    @Test
    public void defaultUrlIsUnderKarafData() {
        String old = System.getProperty("karaf.data");
        try {
            System.setProperty("karaf.data", "/opt/confab/data");
            assertEquals("jdbc:derby:/opt/confab/data/confab/rtc;create=true", Settings.defaultUrl());
        } finally {
            if (old == null) {
                System.clearProperty("karaf.data");
            } else {
                System.setProperty("karaf.data", old);
            }
        }
        assertTrue(Settings.defaultUrl(), Settings.defaultUrl().endsWith("/data/confab/rtc;create=true"));
    }

    @Test
    public void activationReadsTheTypedConfiguration() {
        String url = StoreTestSupport.memoryUrl();
        StoreConfig config = (StoreConfig) Proxy.newProxyInstance(StoreConfig.class.getClassLoader(),
                new Class<?>[] {StoreConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "jdbc_url" -> " " + url + " ";
                    case "location_flush_interval_ms" -> 75L;
                    default -> method.getDefaultValue();
                });
        Settings s = Settings.from(config);
        assertEquals(url, s.jdbcUrl());
        assertEquals(10, s.loginTimeoutSeconds());
        assertEquals(75, s.flushIntervalMillis());
        assertEquals(250_000, s.maxBindings());
        RtcStore store = new RtcStore();
        store.activate(config);
        try {
            assertEquals(75, store.durabilityWindowMillis());
            store.add("example.com");
            assertTrue(store.isServed("example.com"));
        } finally {
            store.deactivate();
            StoreTestSupport.drop(url);
        }
        try {
            store.list();
            fail("a deactivated store answered");
        } catch (StoreException e) {
            assertEquals("The RTC store is not active", e.getMessage());
        }
    }

    @Test
    public void badSettingsAreRefused() {
        for (Runnable r : List.<Runnable>of(
                () -> new Settings("", 5, 200, 10),
                () -> new Settings("jdbc:derby:memory:x", 0, 200, 10),
                () -> new Settings("jdbc:derby:memory:x", 5, 0, 10),
                () -> new Settings("jdbc:derby:memory:x", 5, 200, 0))) {
            try {
                r.run();
                fail();
            } catch (StoreException e) {
                assertFalse(e.getMessage().isEmpty());
            }
        }
    }
}
