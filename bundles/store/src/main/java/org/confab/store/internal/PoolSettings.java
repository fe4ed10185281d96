package org.confab.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Pool-wide settings (RTC.POOL_SETTINGS): shared by every server of a pool, cached in memory. */
final class PoolSettings {

    static final String SAME_DOMAIN_ALLOWED = "presence.same-domain-allowed";
    static final String MAX_CONTACTS = "contacts.max-per-user";

    private final Database db;
    private final Map<String, String> values = new ConcurrentHashMap<>();

    PoolSettings(Database db) {
        this.db = db;
    }

    void load() {
        db.inTransaction(c -> {
            values.clear();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT NAME, SETTING FROM RTC.POOL_SETTINGS")) {
                while (rs.next()) {
                    values.put(rs.getString(1), rs.getString(2));
                }
            }
            return null;
        });
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    synchronized void set(String name, String value) {
        db.inTransaction(c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE RTC.POOL_SETTINGS SET SETTING = ? WHERE NAME = ?")) {
                ps.setString(1, value);
                ps.setString(2, name);
                n = ps.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO RTC.POOL_SETTINGS (NAME, SETTING) VALUES (?, ?)")) {
                    ps.setString(1, name);
                    ps.setString(2, value);
                    ps.executeUpdate();
                }
            }
            return null;
        });
        values.put(name, value);
    }
}
