package org.confab.store.internal;

import java.nio.file.Path;
import org.confab.api.store.StoreException;

/**
 * The checked form of {@link StoreConfig}: what the store runs with.
 *
 * @param jdbcUrl             where the RTC database is (never empty)
 * @param loginTimeoutSeconds how long a database server may take to accept a connection
 * @param flushIntervalMillis group commit period of the location store
 * @param maxBindings         most bindings held at once
 */
record Settings(String jdbcUrl, int loginTimeoutSeconds, long flushIntervalMillis, int maxBindings) {

    /** The embedded database directory below Karaf's data directory. */
    static final String EMBEDDED_DIR = "confab/rtc";

    Settings {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new StoreException("jdbc.url must not be empty");
        }
        if (loginTimeoutSeconds < 1) {
            throw new StoreException("login.timeout.seconds must be at least 1, not " + loginTimeoutSeconds);
        }
        if (flushIntervalMillis < 1) {
            throw new StoreException("location.flush.interval.ms must be at least 1, not " + flushIntervalMillis);
        }
        if (maxBindings < 1) {
            throw new StoreException("max.bindings.total must be at least 1, not " + maxBindings);
        }
    }

    static Settings from(StoreConfig config) {
        String url = config.jdbc_url() == null ? "" : config.jdbc_url().trim();
        return new Settings(url.isEmpty() ? defaultUrl() : url, config.login_timeout_seconds(),
                config.location_flush_interval_ms(), config.max_bindings_total());
    }

    /** Embedded Derby under {@code karaf.data} (./data outside Karaf), created on first use. */
    static String defaultUrl() {
        String data = System.getProperty("karaf.data", "data");
        Path dir = Path.of(data).resolve(EMBEDDED_DIR).toAbsolutePath().normalize();
        return "jdbc:derby:" + dir.toString().replace('\\', '/') + ";create=true";
    }
}
