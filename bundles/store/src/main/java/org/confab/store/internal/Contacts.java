package org.confab.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.confab.api.presence.Contact;
import org.confab.api.presence.ContactStore;
import org.confab.api.store.StoreException;

/**
 * Contact lists and groups (RTC.CONTACTS, RTC.CONTACT_GROUPS), in memory for the resource-list
 * and sign-in paths; writes go to the database first. The per-user maximum is a pool setting.
 */
final class Contacts {

    static final int MAX_GROUP = 128;
    static final int MAX_DISPLAY_NAME = 256;

    private final Database db;
    private final Users users;
    private final PoolSettings settings;
    private final Map<String, Map<String, Contact>> contacts = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> groups = new ConcurrentHashMap<>();

    Contacts(Database db, Users users, PoolSettings settings) {
        this.db = db;
        this.users = users;
        this.settings = settings;
    }

    void load() {
        db.inTransaction(c -> {
            contacts.clear();
            groups.clear();
            try (Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT OWNER, URI, DISPLAY_NAME, GROUP_NAME FROM RTC.CONTACTS")) {
                    while (rs.next()) {
                        Contact ct = new Contact(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
                        contacts.computeIfAbsent(ct.owner(), k -> new ConcurrentHashMap<>()).put(ct.uri(), ct);
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT OWNER, NAME FROM RTC.CONTACT_GROUPS")) {
                    while (rs.next()) {
                        groupsOf(rs.getString(1)).add(rs.getString(2));
                    }
                }
            }
            return null;
        });
    }

    List<Contact> contacts(String owner) {
        Map<String, Contact> m = Names.userUriOrEmpty(owner).map(contacts::get).orElse(null);
        List<Contact> out = m == null ? new ArrayList<>() : new ArrayList<>(m.values());
        out.sort(Comparator.comparing(Contact::group).thenComparing(Contact::uri));
        return out;
    }

    synchronized Contact put(String owner, String uri, String displayName, String group) {
        String o = existingOwner(owner);
        String u = Names.userUri(uri);
        if (u.equals(o)) {
            throw new StoreException("A user cannot be a contact of itself");
        }
        String name = bounded("Display name", displayName, MAX_DISPLAY_NAME);
        String g = bounded("Group name", group, MAX_GROUP);
        Map<String, Contact> mine = contacts.computeIfAbsent(o, k -> new ConcurrentHashMap<>());
        boolean exists = mine.containsKey(u);
        int max = maxContactsPerUser();
        if (!exists && mine.size() >= max) {
            throw new StoreException("User " + o + " has " + mine.size() + " contacts, the most this pool allows"
                    + " (contacts.max-per-user = " + max + "): remove one first");
        }
        Contact contact = new Contact(o, u, name, g);
        db.inTransaction(c -> {
            String sql = exists ? "UPDATE RTC.CONTACTS SET DISPLAY_NAME = ?, GROUP_NAME = ? WHERE OWNER = ? AND URI = ?"
                    : "INSERT INTO RTC.CONTACTS (DISPLAY_NAME, GROUP_NAME, OWNER, URI) VALUES (?, ?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, name);
                ps.setString(2, g);
                ps.setString(3, o);
                ps.setString(4, u);
                ps.executeUpdate();
            }
            if (!g.isEmpty() && !groupsOf(o).contains(g)) {
                insertGroup(c, o, g);
            }
            return null;
        });
        mine.put(u, contact);
        if (!g.isEmpty()) {
            groupsOf(o).add(g);
        }
        return contact;
    }

    synchronized boolean remove(String owner, String uri) {
        String o = Names.userUri(owner);
        String u = Names.userUri(uri);
        boolean removed = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM RTC.CONTACTS WHERE OWNER = ? AND URI = ?")) {
                ps.setString(1, o);
                ps.setString(2, u);
                return ps.executeUpdate() > 0;
            }
        });
        Map<String, Contact> mine = contacts.get(o);
        if (mine != null) {
            mine.remove(u);
        }
        return removed;
    }

    List<String> groups(String owner) {
        return Names.userUriOrEmpty(owner).map(o -> List.copyOf(new TreeSet<>(groupsOf(o)))).orElse(List.of());
    }

    synchronized void addGroup(String owner, String group) {
        String o = existingOwner(owner);
        String g = bounded("Group name", group, MAX_GROUP);
        if (g.isEmpty()) {
            throw new StoreException("A group name is required");
        }
        if (groupsOf(o).contains(g)) {
            return;
        }
        db.inTransaction(c -> {
            insertGroup(c, o, g);
            return null;
        });
        groupsOf(o).add(g);
    }

    synchronized boolean removeGroup(String owner, String group) {
        String o = Names.userUri(owner);
        String g = group == null ? "" : group.trim();
        boolean removed = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE RTC.CONTACTS SET GROUP_NAME = '' WHERE OWNER = ? AND GROUP_NAME = ?")) {
                ps.setString(1, o);
                ps.setString(2, g);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM RTC.CONTACT_GROUPS WHERE OWNER = ? AND NAME = ?")) {
                ps.setString(1, o);
                ps.setString(2, g);
                return ps.executeUpdate() > 0;
            }
        });
        Map<String, Contact> mine = contacts.get(o);
        if (mine != null) {
            mine.replaceAll((k, v) -> v.group().equals(g) ? new Contact(v.owner(), v.uri(), v.displayName(), "") : v);
        }
        groupsOf(o).remove(g);
        return removed;
    }

    int maxContactsPerUser() {
        try {
            return Integer.parseInt(settings.get(PoolSettings.MAX_CONTACTS, Integer.toString(ContactStore.DEFAULT_MAX_CONTACTS)));
        } catch (NumberFormatException e) {
            return ContactStore.DEFAULT_MAX_CONTACTS;
        }
    }

    void setMaxContactsPerUser(int max) {
        if (max < 1 || max > 100_000) {
            throw new StoreException("The maximum number of contacts per user must be between 1 and 100000, not " + max);
        }
        settings.set(PoolSettings.MAX_CONTACTS, Integer.toString(max));
    }

    /** Drops a deleted user's list from memory (the database cascade removed the rows). */
    void forget(String canonicalOwner) {
        contacts.remove(canonicalOwner);
        groups.remove(canonicalOwner);
    }

    private Set<String> groupsOf(String owner) {
        return groups.computeIfAbsent(owner, k -> ConcurrentHashMap.newKeySet());
    }

    private static void insertGroup(java.sql.Connection c, String owner, String group) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO RTC.CONTACT_GROUPS (OWNER, NAME) VALUES (?, ?)")) {
            ps.setString(1, owner);
            ps.setString(2, group);
            ps.executeUpdate();
        }
    }

    private String existingOwner(String owner) {
        String o = Names.userUri(owner);
        if (users.find(o).isEmpty()) {
            throw new StoreException("Unknown user " + o);
        }
        return o;
    }

    private static String bounded(String what, String value, int max) {
        String v = value == null ? "" : value.trim();
        if (v.length() > max) {
            throw new StoreException(what + " longer than " + max + " characters");
        }
        return v;
    }
}
