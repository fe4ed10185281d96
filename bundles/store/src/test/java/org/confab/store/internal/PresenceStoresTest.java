package org.confab.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.confab.api.presence.AclEntry;
import org.confab.api.presence.AclRule;
import org.confab.api.presence.AclStore;
import org.confab.api.presence.Availability;
import org.confab.api.presence.Contact;
import org.confab.api.presence.ContactStore;
import org.confab.api.presence.EndpointState;
import org.confab.api.presence.Publication;
import org.confab.api.store.StoreException;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class PresenceStoresTest {

    private String url;
    private RtcStore store;

    @Before
    public void setUp() {
        url = StoreTestSupport.memoryUrl();
        store = StoreTestSupport.start(StoreTestSupport.settings(url), Clock.systemUTC());
        store.add("example.com");
        store.create("sip:alice@example.com", "Alice", null);
        store.create("sip:bob@example.com", "Bob", null);
    }

    @After
    public void tearDown() {
        store.deactivate();
        StoreTestSupport.drop(url);
    }

    private RtcStore restart() {
        store.deactivate();
        store = StoreTestSupport.start(StoreTestSupport.settings(url), Clock.systemUTC());
        return store;
    }

    @Test
    public void aclEntriesPersistAndTellListeners() {
        AclStore acl = store.aclStore();
        List<String> told = new ArrayList<>();
        acl.addListener(told::add);
        acl.put("alice@example.com", "sip:bob@example.com", AclRule.BLOCK);
        acl.put("sip:alice@example.com", "Evil.Example", AclRule.BLOCK);
        acl.put("sip:alice@example.com", "*", AclRule.ALLOW);
        acl.put("sip:alice@example.com", "sip:bob@example.com", AclRule.ALLOW); // replaces
        assertEquals(List.of("sip:alice@example.com", "sip:alice@example.com", "sip:alice@example.com",
                "sip:alice@example.com"), told);
        List<AclEntry> expected = List.of(new AclEntry("sip:alice@example.com", "*", AclRule.ALLOW),
                new AclEntry("sip:alice@example.com", "evil.example", AclRule.BLOCK),
                new AclEntry("sip:alice@example.com", "sip:bob@example.com", AclRule.ALLOW));
        assertEquals(expected, acl.entries("sip:alice@example.com"));
        assertEquals(expected, restart().aclStore().entries("sip:alice@example.com"));
        assertTrue(store.aclStore().remove("sip:alice@example.com", "*"));
        assertFalse(store.aclStore().remove("sip:alice@example.com", "*"));
        assertEquals(2, store.aclStore().entries("sip:alice@example.com").size());
    }

    @Test
    public void aclRefusesBadInputAndChangesNothing() {
        AclStore acl = store.aclStore();
        assertRefused("Unknown user sip:carol@example.com", () -> acl.put("sip:carol@example.com", "*", AclRule.BLOCK));
        assertRefused("Bad domain name \"bad_domain\": '_' is not allowed in a domain name",
                () -> acl.put("sip:alice@example.com", "bad_domain", AclRule.BLOCK));
        assertRefused("A subject is required: sip:user@domain, a domain, or * for everyone",
                () -> acl.put("sip:alice@example.com", " ", AclRule.BLOCK));
        assertTrue(acl.entries("sip:alice@example.com").isEmpty());
    }

    @Test
    public void sameDomainPolicyIsAPoolSettingOnByDefault() {
        assertTrue(store.aclStore().sameDomainAllowed());
        store.aclStore().setSameDomainAllowed(false);
        assertFalse(restart().aclStore().sameDomainAllowed());
    }

    @Test
    public void contactsWithGroupsPersist() {
        ContactStore cs = store.contactStore();
        cs.put("sip:alice@example.com", "bob@example.com", "Bobby", "Work");
        cs.put("sip:alice@example.com", "sip:carol@example.com", "", "");
        cs.addGroup("sip:alice@example.com", "Family");
        assertEquals(List.of("Family", "Work"), cs.groups("sip:alice@example.com"));
        List<Contact> expected = List.of(new Contact("sip:alice@example.com", "sip:carol@example.com", "", ""),
                new Contact("sip:alice@example.com", "sip:bob@example.com", "Bobby", "Work"));
        assertEquals(expected, cs.contacts("sip:alice@example.com"));
        ContactStore again = restart().contactStore();
        assertEquals(expected, again.contacts("sip:alice@example.com"));
        assertEquals(List.of("Family", "Work"), again.groups("sip:alice@example.com"));
        assertTrue(again.removeGroup("sip:alice@example.com", "Work"));
        assertEquals("", again.contacts("sip:alice@example.com").get(1).group());
        assertTrue(again.remove("sip:alice@example.com", "sip:carol@example.com"));
        assertEquals(1, again.contacts("sip:alice@example.com").size());
    }

    @Test
    public void maxContactsPerUserIsEnforcedWithAClearError() {
        ContactStore cs = store.contactStore();
        assertEquals(250, cs.maxContactsPerUser());
        cs.setMaxContactsPerUser(2);
        cs.put("sip:alice@example.com", "sip:c1@example.com", "", "");
        cs.put("sip:alice@example.com", "sip:c2@example.com", "", "");
        cs.put("sip:alice@example.com", "sip:c2@example.com", "Two", ""); // an update is not a new contact
        assertRefused("User sip:alice@example.com has 2 contacts, the most this pool allows"
                + " (contacts.max-per-user = 2): remove one first",
                () -> cs.put("sip:alice@example.com", "sip:c3@example.com", "", ""));
        assertEquals(2, restart().contactStore().contacts("sip:alice@example.com").size());
        assertEquals(2, store.contactStore().maxContactsPerUser());
        assertRefused("The maximum number of contacts per user must be between 1 and 100000, not 0",
                () -> store.contactStore().setMaxContactsPerUser(0));
    }

    @Test
    public void deletingAUserDropsItsLists() throws Exception {
        store.contactStore().put("sip:alice@example.com", "sip:bob@example.com", "", "G");
        store.aclStore().put("sip:alice@example.com", "*", AclRule.BLOCK);
        store.delete("sip:alice@example.com");
        assertTrue(store.contactStore().contacts("sip:alice@example.com").isEmpty());
        assertTrue(store.aclStore().entries("sip:alice@example.com").isEmpty());
        assertEquals(0, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.CONTACTS"));
        assertEquals(0, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.ACL"));
    }

    private static void assertRefused(String message, Runnable r) {
        try {
            r.run();
            fail("expected a refusal: " + message);
        } catch (StoreException e) {
            assertEquals(message, e.getMessage());
        }
    }
}
