package org.confab.store.internal;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.derby.jdbc.EmbeddedDriver;
import org.confab.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTC database behind one JDBC URL: embedded Derby ({@code jdbc:derby:dir}) or a Derby
 * Network Server ({@code jdbc:derby://host:1527/rtc}); the rest of the store does not know which.
 *
 * <p>The driver is instantiated here, not found through {@link DriverManager}: in OSGi the
 * DriverManager only hands out drivers whose class the caller's class loader can see, and the
 * Derby engine bundle does not export its autoloaded driver's package.
 */
final class Database implements AutoCloseable {

    /** What a database answers to {@code ;shutdown=true} of that database alone. */
    static final String SQLSTATE_DATABASE_SHUTDOWN = "08006";

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final String EMBEDDED_PREFIX = "jdbc:derby:";
    private static final String NETWORK_PREFIX = "jdbc:derby://";

    /** Work done on a connection inside one transaction. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final String url;
    private final String shownUrl;
    private final boolean embedded;
    private final int loginTimeoutSeconds;
    private final Driver driver;
    private final ReentrantLock sharedLock = new ReentrantLock();
    private Connection shared;

    Database(String url, int loginTimeoutSeconds) {
        this.url = url;
        this.shownUrl = masked(url);
        this.loginTimeoutSeconds = loginTimeoutSeconds;
        this.embedded = url.startsWith(EMBEDDED_PREFIX) && !url.startsWith(NETWORK_PREFIX);
        this.driver = driverFor(url);
    }

    /** The URL, with any password masked: fit for logs and messages. */
    String shownUrl() {
        return shownUrl;
    }

    boolean embedded() {
        return embedded;
    }

    /**
     * Opens a new connection (auto-commit off). A database server gets {@code login.timeout.seconds}
     * to answer: an unreachable one fails activation instead of hanging it.
     */
    Connection connect() {
        Connection c = embedded ? connectEmbedded() : connectBounded();
        try {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw failure("Cannot open the RTC database at ", e);
        }
    }

    /**
     * Runs the work in one transaction on the shared connection (administrative writes: they
     * are rare and serialized). Commits on success, rolls back on any exception.
     */
    <T> T inTransaction(Work<T> work) {
        sharedLock.lock();
        try {
            if (shared == null) {
                shared = connect();
            }
            return transaction(shared, work, true);
        } finally {
            sharedLock.unlock();
        }
    }

    /** The work, then commit; rollback on any exception (and drop the shared connection if it broke). */
    private <T> T transaction(Connection c, Work<T> work, boolean isShared) {
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException e) {
            rollbackQuietly(c);
            if (isShared) {
                dropIfBroken(e);
            }
            throw failure("RTC database error at ", e);
        } catch (RuntimeException | Error e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    /** Closes the shared connection and shuts the embedded database down (that database only). */
    @Override
    public void close() {
        sharedLock.lock();
        try {
            closeQuietly(shared);
            shared = null;
        } finally {
            sharedLock.unlock();
        }
        if (embedded) {
            shutdownEmbedded();
        }
    }

    /** True for SQLStates of a lost connection (class 08), after which the connection is useless. */
    static boolean connectionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08");
    }

    /**
     * Runs the work in one transaction on a connection of its own, closed afterwards: a long read
     * (loading a cache at start) that must not hold the shared connection the lookups use meanwhile.
     */
    <T> T onOwnConnection(Work<T> work) {
        Connection c = connect();
        try {
            return transaction(c, work, false);
        } finally {
            closeQuietly(c);
        }
    }

    static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("Closing {} failed", c, e);
            }
        }
    }

    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("Rollback failed", e);
        }
    }

    /** The URL with the value of any {@code password=} attribute hidden. */
    static String masked(String url) {
        return url.replaceAll("(?i)(password=)[^;]*", "$1***");
    }

    /** The {@code jdbc:derby:name} part of an embedded URL, without attributes. */
    static String embeddedBase(String url) {
        int semi = url.indexOf(';');
        return semi < 0 ? url : url.substring(0, semi);
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException(what + shownUrl + ": " + e.getMessage()
                + " (SQLState " + e.getSQLState() + ")", e);
    }

    private void dropIfBroken(SQLException e) {
        if (connectionLost(e)) {
            LOG.warn("Lost the connection to {}; the next operation reconnects", shownUrl);
            closeQuietly(shared);
            shared = null;
        }
    }

    private Connection connectEmbedded() {
        try {
            Connection c = driver.connect(url, new Properties());
            if (c == null) {
                throw new StoreException("The Derby driver does not accept " + shownUrl);
            }
            return c;
        } catch (SQLException e) {
            throw failure("Cannot open the RTC database at ", e);
        }
    }

    private Connection connectBounded() {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "confab-store-connect");
            t.setDaemon(true);
            return t;
        });
        CompletableFuture<Connection> attempt = CompletableFuture.supplyAsync(() -> {
            try {
                return driver.connect(url, new Properties());
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, executor);
        executor.shutdown();
        try {
            Connection c = attempt.get(loginTimeoutSeconds, TimeUnit.SECONDS);
            if (c == null) {
                throw new StoreException("The JDBC driver does not accept " + shownUrl);
            }
            return c;
        } catch (TimeoutException e) {
            // a connection that arrives after we gave up is closed, not leaked
            attempt.thenAccept(Database::closeQuietly);
            throw new StoreException("The RTC database at " + shownUrl + " did not answer within "
                    + loginTimeoutSeconds + " s (login.timeout.seconds)", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw failure("Cannot open the RTC database at ", sql);
            }
            throw new StoreException("Cannot open the RTC database at " + shownUrl + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while connecting to " + shownUrl, e);
        }
    }

    private void shutdownEmbedded() {
        // ";shutdown=true" on the database name stops that database only, leaving the engine
        // (and other databases booted in it) running
        String shutdownUrl = embeddedBase(url) + ";shutdown=true";
        try {
            Connection c = driver.connect(shutdownUrl, new Properties());
            closeQuietly(c);
            LOG.warn("Shutting down {} returned a connection instead of SQLState {}", shownUrl,
                    SQLSTATE_DATABASE_SHUTDOWN);
        } catch (SQLException e) {
            if (SQLSTATE_DATABASE_SHUTDOWN.equals(e.getSQLState())) {
                LOG.info("RTC database {} shut down", shownUrl);
            } else {
                LOG.warn("Shutting down {} failed: {} (SQLState {})", shownUrl, e.getMessage(), e.getSQLState());
            }
        }
    }

    private Driver driverFor(String jdbcUrl) {
        if (jdbcUrl.startsWith(NETWORK_PREFIX)) {
            return networkDriver();
        }
        if (jdbcUrl.startsWith(EMBEDDED_PREFIX)) {
            return embeddedDriver();
        }
        try {
            return DriverManager.getDriver(jdbcUrl);
        } catch (SQLException e) {
            throw new StoreException("No JDBC driver for " + shownUrl
                    + ": jdbc:derby:<directory> and jdbc:derby://host:port/name are supported", e);
        }
    }

    /** Since Derby 10.15 the embedded driver class is in derbytools, which OSGi needs as a fragment of derby. */
    private Driver embeddedDriver() {
        try {
            return new EmbeddedDriver();
        } catch (LinkageError e) {
            throw new StoreException("Cannot open " + shownUrl + ": org.apache.derby.jdbc.EmbeddedDriver is missing;"
                    + " install derbytools 10.16 as a fragment of the derby bundle", e);
        }
    }

    /** The Derby client driver: in derbytools (org.apache.derby.jdbc) over derbyclient (org.apache.derby.client). */
    private Driver networkDriver() {
        ClassLoader loader = Database.class.getClassLoader();
        for (String name : new String[] {"org.apache.derby.jdbc.ClientDriver",
                "org.apache.derby.client.ClientAutoloadedDriver"}) {
            try {
                return (Driver) Class.forName(name, true, loader).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
                LOG.debug("Derby client driver {} not usable", name, e);
            }
        }
        throw new StoreException("Cannot open " + shownUrl + ": the Derby network client (derbyclient "
                + "and derbytools 10.16) is not installed");
    }
}
