package org.confab.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.confab.api.presence.AclEntry;
import org.confab.api.presence.AclListener;
import org.confab.api.presence.AclRule;
import org.confab.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Allow/block lists (RTC.ACL), held in memory because every SUBSCRIBE and every NOTIFY decision
 * reads them. Writes go to the database first, then memory, then the listeners.
 */
final class Acls {

    private static final Logger LOG = LoggerFactory.getLogger(Acls.class);

    private final Database db;
    private final Users users;
    private final PoolSettings settings;
    private final List<AclListener> listeners;
    private final Map<String, Map<String, AclEntry>> byOwner = new ConcurrentHashMap<>();

    Acls(Database db, Users users, PoolSettings settings, List<AclListener> listeners) {
        this.db = db;
        this.users = users;
        this.settings = settings;
        this.listeners = listeners;
    }

    /** A listener list that survives re-activation of the store (listeners stay registered). */
    static List<AclListener> newListenerList() {
        return new CopyOnWriteArrayList<>();
    }

    void load() {
        db.inTransaction(c -> {
            byOwner.clear();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT OWNER, SUBJECT, RULE_KIND FROM RTC.ACL")) {
                while (rs.next()) {
                    AclEntry e = new AclEntry(rs.getString(1), rs.getString(2), AclRule.valueOf(rs.getString(3)));
                    byOwner.computeIfAbsent(e.owner(), k -> new ConcurrentHashMap<>()).put(e.subject(), e);
                }
            }
            return null;
        });
    }

    List<AclEntry> entries(String owner) {
        Map<String, AclEntry> m = Names.userUriOrEmpty(owner).map(byOwner::get).orElse(null);
        List<AclEntry> out = m == null ? new ArrayList<>() : new ArrayList<>(m.values());
        out.sort(Comparator.comparing(AclEntry::subject));
        return out;
    }

    AclEntry put(String owner, String subject, AclRule rule) {
        String o = existingOwner(owner);
        String s = subject(subject);
        if (rule == null) {
            throw new StoreException("A rule (allow or block) is required");
        }
        AclEntry entry = new AclEntry(o, s, rule);
        synchronized (this) {
            db.inTransaction(c -> {
                int n;
                try (PreparedStatement ps = c.prepareStatement("UPDATE RTC.ACL SET RULE_KIND = ? WHERE OWNER = ? AND SUBJECT = ?")) {
                    ps.setString(1, rule.name());
                    ps.setString(2, o);
                    ps.setString(3, s);
                    n = ps.executeUpdate();
                }
                if (n == 0) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO RTC.ACL (OWNER, SUBJECT, RULE_KIND) VALUES (?, ?, ?)")) {
                        ps.setString(1, o);
                        ps.setString(2, s);
                        ps.setString(3, rule.name());
                        ps.executeUpdate();
                    }
                }
                return null;
            });
            byOwner.computeIfAbsent(o, k -> new ConcurrentHashMap<>()).put(s, entry);
        }
        fire(o);
        return entry;
    }

    boolean remove(String owner, String subject) {
        String o = Names.userUri(owner);
        String s = subject(subject);
        boolean removed;
        synchronized (this) {
            removed = db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM RTC.ACL WHERE OWNER = ? AND SUBJECT = ?")) {
                    ps.setString(1, o);
                    ps.setString(2, s);
                    return ps.executeUpdate() > 0;
                }
            });
            Map<String, AclEntry> m = byOwner.get(o);
            if (m != null) {
                m.remove(s);
            }
        }
        if (removed) {
            fire(o);
        }
        return removed;
    }

    /** Drops a deleted user's entries from memory (the database cascade removed the rows). */
    void forget(String canonicalOwner) {
        byOwner.remove(canonicalOwner);
    }

    boolean sameDomainAllowed() {
        return Boolean.parseBoolean(settings.get(PoolSettings.SAME_DOMAIN_ALLOWED, "true"));
    }

    void setSameDomainAllowed(boolean allowed) {
        settings.set(PoolSettings.SAME_DOMAIN_ALLOWED, Boolean.toString(allowed));
        fire(AclEntry.EVERYONE); // listeners re-check every owner
    }

    private String existingOwner(String owner) {
        String o = Names.userUri(owner);
        if (users.find(o).isEmpty()) {
            throw new StoreException("Unknown user " + o);
        }
        return o;
    }

    /** A user URI, a domain or "*"; canonical. */
    static String subject(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new StoreException("A subject is required: sip:user@domain, a domain, or * for everyone");
        }
        String t = subject.trim();
        if (t.equals(AclEntry.EVERYONE)) {
            return t;
        }
        if (t.indexOf('@') >= 0) {
            return Names.userUri(t);
        }
        return Names.domain(t);
    }

    private void fire(String owner) {
        for (AclListener l : listeners) {
            try {
                l.aclChanged(owner);
            } catch (RuntimeException e) {
                LOG.warn("An allow/block list listener failed for {}", owner, e);
            }
        }
    }
}
