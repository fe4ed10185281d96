package org.confab.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.confab.api.store.DuplicateException;
import org.confab.api.store.NotFoundException;
import org.confab.api.store.StoreException;

/**
 * Served domains: the table RTC.DOMAINS with a copy in memory for {@link #isServed} on the hot
 * path. Writes go to the database first (it decides duplicates and conflicts), then to memory.
 */
final class Domains {

    private final Database db;
    private final Clock clock;
    private final Set<String> served = ConcurrentHashMap.newKeySet();

    Domains(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    void load() {
        List<String> names = db.inTransaction(c -> {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT NAME FROM RTC.DOMAINS")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        served.clear();
        served.addAll(names);
    }

    List<String> list() {
        List<String> out = new ArrayList<>(served);
        out.sort(null);
        return out;
    }

    boolean isServed(String domain) {
        return Names.domainOrEmpty(domain).map(served::contains).orElse(false);
    }

    /** True when the canonical domain is served (no parsing). */
    boolean isServedCanonical(String canonicalDomain) {
        return served.contains(canonicalDomain);
    }

    int size() {
        return served.size();
    }

    void add(String domain) {
        String name = Names.domain(domain);
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO RTC.DOMAINS (NAME, CREATED) VALUES (?, ?)")) {
                ps.setString(1, name);
                ps.setTimestamp(2, Timestamp.from(clock.instant()));
                ps.executeUpdate();
            } catch (SQLException e) {
                if (Sql.is(e, Sql.UNIQUE_VIOLATION)) {
                    throw new DuplicateException("Domain " + name + " is served already");
                }
                throw e;
            }
            return null;
        });
        served.add(name);
    }

    void remove(String domain) {
        String name = Names.domain(domain);
        try {
            db.inTransaction(c -> {
                int users;
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM RTC.USERS WHERE DOMAIN_NAME = ?")) {
                    ps.setString(1, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        users = rs.getInt(1);
                    }
                }
                if (users > 0) {
                    throw new StoreException("Domain " + name + " still has " + users
                            + " user(s): delete or move them first");
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM RTC.DOMAINS WHERE NAME = ?")) {
                    ps.setString(1, name);
                    if (ps.executeUpdate() == 0) {
                        throw new NotFoundException("Domain " + name + " is not served");
                    }
                } catch (SQLException e) {
                    if (Sql.is(e, Sql.FOREIGN_KEY_VIOLATION)) {
                        throw new StoreException("Domain " + name + " still has users: delete or move them first");
                    }
                    throw e;
                }
                return null;
            });
        } catch (NotFoundException e) {
            served.remove(name);
            throw e;
        }
        served.remove(name);
    }
}
