package org.confab.admin.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.confab.api.presence.AclEntry;
import org.confab.api.presence.AclListener;
import org.confab.api.presence.AclRule;
import org.confab.api.presence.AclStore;
import org.confab.api.presence.Authorization;
import org.confab.api.presence.Availability;
import org.confab.api.presence.Contact;
import org.confab.api.presence.ContactStore;
import org.confab.api.presence.EndpointState;
import org.confab.api.presence.Presence;
import org.confab.api.presence.PresenceService;
import org.confab.api.presence.Publication;
import org.confab.api.presence.WatcherInfo;
import org.confab.api.presence.WatcherState;
import org.confab.api.store.StoreException;
import org.junit.Test;

public class PresenceCommandsTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final Map<String, Contact> contacts = new TreeMap<>();
    private final Map<String, AclEntry> acl = new TreeMap<>();
    private int maxContacts = 2;

    private final ContactStore contactStore = new ContactStore() {
        @Override
        public List<Contact> contacts(String owner) {
            return new ArrayList<>(contacts.values());
        }

        @Override
        public Contact put(String owner, String uri, String displayName, String group) {
            if (contacts.size() >= maxContacts && !contacts.containsKey(uri)) {
                throw new StoreException("User " + owner + " has " + maxContacts + " contacts, the most this pool allows");
            }
            Contact c = new Contact(owner, uri, displayName, group);
            contacts.put(uri, c);
            return c;
        }

        @Override
        public boolean remove(String owner, String uri) {
            return contacts.remove(uri) != null;
        }

        @Override
        public List<String> groups(String owner) {
            return List.of();
        }

        @Override
        public void addGroup(String owner, String group) {
        }

        @Override
        public boolean removeGroup(String owner, String group) {
            return false;
        }

        @Override
        public int maxContactsPerUser() {
            return maxContacts;
        }

        @Override
        public void setMaxContactsPerUser(int max) {
            if (max < 1 || max > 100_000) {
                throw new StoreException("The maximum number of contacts per user must be between 1 and 100000, not " + max);
            }
            maxContacts = max;
        }
    };

    private final AclStore aclStore = new AclStore() {
        @Override
        public List<AclEntry> entries(String owner) {
            return new ArrayList<>(acl.values());
        }

        @Override
        public AclEntry put(String owner, String subject, AclRule rule) {
            if (subject.isEmpty() || subject.contains("_")) {
                throw new StoreException("Bad domain name \"" + subject + "\"");
            }
            AclEntry e = new AclEntry(owner, subject, rule);
            acl.put(subject, e);
            return e;
        }

        @Override
        public boolean remove(String owner, String subject) {
            return acl.remove(subject) != null;
        }

        @Override
        public boolean sameDomainAllowed() {
            return true;
        }

        @Override
        public void setSameDomainAllowed(boolean allowed) {
        }

        @Override
        public void addListener(AclListener listener) {
        }

        @Override
        public void removeListener(AclListener listener) {
        }
    };

    private final PresenceService presence = new PresenceService() {
        private final Instant t = Instant.parse("2025-03-01T10:00:00Z");

        @Override
        public Presence presence(String uri) {
            EndpointState e = new EndpointState("e1", Availability.BUSY, "meeting", "Board", t, "baresip");
            return Presence.compose(uri, List.of(e));
        }

        @Override
        public List<Publication> publications(String uri) {
            return List.of(new Publication("e1", uri, presence(uri).endpoints().get(0), t.plusSeconds(3600)));
        }

        @Override
        public Publication publish(String uri, EndpointState state, int expiresSeconds) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean withdraw(String uri, String endpointId) {
            return false;
        }

        @Override
        public List<WatcherInfo> watchers(String uri) {
            return List.of(new WatcherInfo("sip:bob@example.com", uri, "presence", WatcherState.PENDING, t.plusSeconds(600)));
        }

        @Override
        public List<WatcherInfo> subscriptions(String uri) {
            return List.of();
        }

        @Override
        public Authorization authorize(String watcher, String uri) {
            return new Authorization(WatcherState.BLOCKED, uri + " blocks domain evil.org: " + watcher + " sees offline");
        }

        @Override
        public Presence presenceFor(String watcher, String uri) {
            return Presence.offline(uri);
        }
    };

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private <T extends ConfabAction> T wire(T c) {
        c.out = out;
        return c;
    }

    @Test
    public void contactAddListRemoveAndTheLimit() throws Exception {
        ContactAddCommand add = wire(new ContactAddCommand());
        add.contacts = contactStore;
        add.user = "alice@example.com";
        add.contact = "bob@example.com";
        add.group = "Work";
        add.execute();
        assertTrue(output(), output().contains("Contact sip:bob@example.com is on the list of sip:alice@example.com in group Work"));
        add.contact = "sip:carol@example.com";
        add.group = null;
        add.execute();
        add.contact = "sip:dave@example.com";
        assertRefused("User sip:alice@example.com has 2 contacts, the most this pool allows", add);
        add.contact = "dave@";
        assertRefused("Invalid SIP URI 'dave@': the domain is missing", add);

        ContactListCommand list = wire(new ContactListCommand());
        list.contacts = contactStore;
        list.user = "sip:alice@example.com";
        list.execute();
        assertTrue(output(), output().contains("sip:carol@example.com") && output().contains("2 of at most 2 contacts"));

        ContactRemoveCommand rm = wire(new ContactRemoveCommand());
        rm.contacts = contactStore;
        rm.user = "sip:alice@example.com";
        rm.contact = "sip:bob@example.com";
        rm.execute();
        assertEquals(1, contacts.size());
        assertRefused("sip:bob@example.com is not on the contact list of sip:alice@example.com", rm);

        // the pool's limit: shown, refused out of range with nothing changed, then raised
        ContactLimitCommand limit = wire(new ContactLimitCommand());
        limit.contacts = contactStore;
        limit.execute();
        assertTrue(output(), output().endsWith("At most 2 contacts per user" + System.lineSeparator()));
        limit.max = 0;
        assertRefused("The maximum number of contacts per user must be between 1 and 100000, not 0", limit);
        assertEquals(2, contactStore.maxContactsPerUser());
        limit.max = 3;
        limit.execute();
        assertTrue(output(), output().endsWith("At most 3 contacts per user" + System.lineSeparator()));
        add.contact = "sip:dave@example.com";
        add.execute();
        add.contact = "sip:erin@example.com";
        add.execute();
        add.contact = "sip:frank@example.com";
        assertRefused("User sip:alice@example.com has 3 contacts, the most this pool allows", add);
    }

    @Test
    public void aclAllowBlockList() throws Exception {
        AclBlockCommand block = wire(new AclBlockCommand());
        block.acls = aclStore;
        block.user = "alice@example.com";
        block.subject = "evil.org";
        block.execute();
        AclAllowCommand allow = wire(new AclAllowCommand());
        allow.acls = aclStore;
        allow.user = "alice@example.com";
        allow.subject = "bob@example.com";
        allow.execute();
        assertTrue(output(), output().contains("sip:alice@example.com now blocks domain evil.org")
                && output().contains("sip:alice@example.com now allows user sip:bob@example.com"));
        block.subject = "bad_domain";
        assertRefused("Bad domain name \"bad_domain\"", block);
        AclListCommand list = wire(new AclListCommand());
        list.acls = aclStore;
        list.user = "alice@example.com";
        list.execute();
        assertTrue(output(), output().contains("domain evil.org") && output().contains("block")
                && output().contains("Unlisted watchers of the same domain: allowed (pool policy)"));
        assertEquals(2, acl.size());
    }

    @Test
    public void presenceAndWhy() throws Exception {
        PresenceCommand p = wire(new PresenceCommand());
        p.presence = presence;
        p.user = "alice@example.com";
        p.clock = java.time.Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), java.time.ZoneOffset.UTC);
        p.execute();
        String o = output();
        assertTrue(o, o.contains("sip:alice@example.com: busy (meeting), notes: Board"));
        assertTrue(o, o.contains("baresip") && o.contains("3600"));
        assertTrue(o, o.contains("sip:bob@example.com") && o.contains("pending") && o.contains("No subscriptions"));
        WhyCommand why = wire(new WhyCommand());
        why.presence = presence;
        why.watcher = "eve@evil.org";
        why.user = "alice@example.com";
        why.execute();
        assertTrue(output(), output().contains("sip:eve@evil.org -> sip:alice@example.com: blocked, sip:alice@example.com"
                + " blocks domain evil.org: sip:eve@evil.org sees offline"));
    }

    @Test
    public void commandsAreAnnotated() {
        for (Class<?> type : List.of(ContactAddCommand.class, ContactRemoveCommand.class, ContactListCommand.class,
                ContactLimitCommand.class, AclAllowCommand.class, AclBlockCommand.class, AclListCommand.class, PresenceCommand.class, WhyCommand.class)) {
            assertNotNull(type.getAnnotation(Service.class));
            Command c = type.getAnnotation(Command.class);
            assertEquals("confab", c.scope());
            assertTrue(c.name(), c.description().length() > 40);
        }
    }

    private void assertRefused(String message, ConfabAction c) {
        String before = output();
        try {
            c.execute();
            fail("expected refusal " + message);
        } catch (CommandException e) {
            assertEquals(message, e.getMessage());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertEquals(before, output());
    }
}
