package org.confab.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.confab.api.auth.DigestSecrets;
import org.confab.api.store.Binding;
import org.confab.api.store.Credential;
import org.confab.api.store.DuplicateException;
import org.confab.api.store.NotFoundException;
import org.confab.api.store.StoreException;
import org.confab.api.store.User;
import org.confab.api.store.UserStore.StoredCredential;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class UserStoreTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private String url;
    private StoreTestSupport.MutableClock clock;
    private RtcStore store;

    @Before
    public void setUp() {
        url = StoreTestSupport.memoryUrl();
        clock = new StoreTestSupport.MutableClock(T0);
        store = StoreTestSupport.start(StoreTestSupport.settings(url), clock);
        store.add("example.com");
    }

    @After
    public void tearDown() {
        store.deactivate();
        StoreTestSupport.drop(url);
    }

    @Test
    public void createThenFindCanonically() {
        User u = store.create("sip:Alice@EXAMPLE.com", "Alice Liddell", "pool1.example.com");
        assertEquals("sip:Alice@example.com", u.uri());
        assertEquals("Alice Liddell", u.displayName());
        assertTrue(u.enabled());
        assertEquals("pool1.example.com", u.homePool());
        assertEquals(T0, u.created());
        assertEquals(u, store.find("sip:Alice@example.com").orElseThrow());
        assertEquals(u, store.find("SIP:Alice@Example.Com").orElseThrow());
        assertEquals("bare user@domain is taken as sip:", u, store.find("Alice@example.com").orElseThrow());
        assertFalse("the user part is case sensitive", store.find("sip:alice@example.com").isPresent());
        assertFalse(store.find("sips:Alice@example.com").isPresent());
        assertFalse(store.find(null).isPresent());
    }

    @Test
    public void bareUserAtDomainIsNormalisedToSip() {
        assertEquals("sip:bob@example.com", store.create("bob@Example.com", null, null).uri());
        assertEquals("", store.find("sip:bob@example.com").orElseThrow().displayName());
    }

    @Test
    public void duplicateIsRefused() {
        store.create("sip:alice@example.com", "Alice", null);
        try {
            store.create("alice@EXAMPLE.COM", "Other", null);
            fail("duplicate user created");
        } catch (DuplicateException e) {
            assertEquals("User sip:alice@example.com exists already", e.getMessage());
        }
        assertEquals("Alice", store.find("sip:alice@example.com").orElseThrow().displayName());
    }

    @Test
    public void unknownDomainIsRefused() {
        try {
            store.create("sip:alice@example.org", "Alice", null);
            fail("user of an unserved domain created");
        } catch (StoreException e) {
            assertEquals("Domain example.org is not served", e.getMessage());
        }
        assertEquals(List.of(), store.list((String) null));
    }

    @Test
    public void badUrisAreRefused() {
        for (String bad : new String[] {null, "", "   ", "sip:", "sip:@example.com", "sip:alice@",
                "sips:alice@example.com", "tel:+15551234", "sip:alice@exa mple.com", "sip:al ice@example.com",
                "sip:alice@example.com;transport=tcp", "sip:alice@example.com:5060", "alice"}) {
            try {
                store.create(bad, "x", null);
                fail("accepted " + bad);
            } catch (StoreException e) {
                assertFalse(e instanceof DuplicateException);
            }
        }
        assertEquals(List.of(), store.list(""));
        try {
            store.setEnabled("", true);
            fail();
        } catch (StoreException e) {
            assertEquals("A user URI is required", e.getMessage());
        }
    }

    @Test
    public void listFiltersCaseInsensitivelyAndSorts() {
        store.add("example.org");
        store.create("sip:carol@example.com", "", null);
        store.create("sip:alice@example.org", "", null);
        store.create("sip:Bob@example.com", "", null);
        assertEquals(List.of("sip:Bob@example.com", "sip:alice@example.org", "sip:carol@example.com"),
                uris(store.list((String) null)));
        assertEquals(List.of("sip:Bob@example.com", "sip:carol@example.com"), uris(store.list("EXAMPLE.COM")));
        assertEquals(List.of("sip:Bob@example.com"), uris(store.list("bob")));
        assertEquals(List.of(), uris(store.list("nobody")));
    }

    @Test
    public void enableDisableAndDisplayName() {
        store.create("sip:alice@example.com", "Alice", null);
        store.setEnabled("sip:alice@example.com", false);
        assertFalse(store.find("sip:alice@example.com").orElseThrow().enabled());
        store.setEnabled("alice@example.com", true);
        assertTrue(store.find("sip:alice@example.com").orElseThrow().enabled());
        store.setDisplayName("sip:alice@example.com", "Alice L.");
        User u = store.find("sip:alice@example.com").orElseThrow();
        assertEquals("Alice L.", u.displayName());
        assertEquals("other fields kept", T0, u.created());
        try {
            store.setEnabled("sip:nobody@example.com", false);
            fail();
        } catch (NotFoundException e) {
            assertEquals("No user sip:nobody@example.com", e.getMessage());
        }
        try {
            store.setDisplayName("sip:alice@example.com", "x".repeat(Users.MAX_DISPLAY_NAME + 1));
            fail();
        } catch (StoreException e) {
            assertTrue(e.getMessage().contains("Display name"));
        }
        assertEquals("Alice L.", store.find("sip:alice@example.com").orElseThrow().displayName());
    }

    @Test
    public void changesSurviveRestart() {
        store.create("sip:alice@example.com", "Alice", "pool1");
        store.setEnabled("sip:alice@example.com", false);
        store.setCredentials("sip:alice@example.com", DigestSecrets.SCHEME,
                DigestSecrets.credentials("sip:alice@example.com", "example.com", "secret"));
        store.deactivate();
        store = StoreTestSupport.start(StoreTestSupport.settings(url), clock);
        User u = store.find("sip:alice@example.com").orElseThrow();
        assertFalse(u.enabled());
        assertEquals("pool1", u.homePool());
        assertEquals(T0, u.created());
        assertEquals(DigestSecrets.ha1("MD5", "alice", "example.com", "secret"),
                store.credential("Digest", "example.com", "alice", "MD5").orElseThrow().credential().secret());
    }

    @Test
    public void credentialsSetAndLookedUpByWhatTheClientSent() {
        store.create("sip:alice@example.com", "Alice", null);
        store.setCredentials("sip:alice@example.com", DigestSecrets.SCHEME,
                DigestSecrets.credentials("sip:alice@example.com", "example.com", "wonderland"));
        StoredCredential sc = store.credential("Digest", "example.com", "alice", "SHA-256").orElseThrow();
        assertEquals("sip:alice@example.com", sc.userUri());
        assertEquals(DigestSecrets.ha1("SHA-256", "alice", "example.com", "wonderland"), sc.credential().secret());
        assertTrue("username user@domain too",
                store.credential("Digest", "example.com", "alice@example.com", "MD5").isPresent());
        assertTrue("scheme and algorithm are case-insensitive tokens",
                store.credential("digest", "example.com", "alice", "sha-256").isPresent());
        assertFalse(store.credential("Digest", "example.org", "alice", "MD5").isPresent());
        assertFalse(store.credential("Digest", "example.com", "Alice", "MD5").isPresent());
        assertFalse(store.credential("NTLM", "example.com", "alice", "MD5").isPresent());
        assertFalse(store.credential(null, "example.com", "alice", "MD5").isPresent());
        assertEquals(4, store.users().credentialsOf("sip:alice@example.com").size());
    }

    @Test
    public void setCredentialsReplacesThoseOfTheScheme() throws Exception {
        store.create("sip:alice@example.com", "Alice", null);
        store.setCredentials("sip:alice@example.com", "Digest",
                DigestSecrets.credentials("sip:alice@example.com", "example.com", "old"));
        store.setCredentials("sip:alice@example.com", "NTLM",
                List.of(new Credential("NTLM", "EXAMPLE", "alice", "NT", "0011")));
        store.setCredentials("sip:alice@example.com", "Digest",
                List.of(new Credential("Digest", "example.com", "alice", "SHA-256", "feed")));
        assertEquals("feed", store.credential("Digest", "example.com", "alice", "SHA-256")
                .orElseThrow().credential().secret());
        assertFalse("old Digest ones are gone", store.credential("Digest", "example.com", "alice", "MD5").isPresent());
        assertFalse(store.credential("Digest", "example.com", "alice@example.com", "SHA-256").isPresent());
        assertTrue("other schemes are kept", store.credential("NTLM", "EXAMPLE", "alice", "NT").isPresent());
        assertEquals(2, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.CREDENTIALS"));
        store.setCredentials("sip:alice@example.com", "Digest", List.of());
        assertEquals(1, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.CREDENTIALS"));
    }

    @Test
    public void credentialOfAnotherUserOrBadListIsRefusedAndNothingChanges() throws Exception {
        store.create("sip:alice@example.com", "Alice", null);
        store.create("sip:bob@example.com", "Bob", null);
        Credential alices = new Credential("Digest", "example.com", "alice", "MD5", "aaaa");
        store.setCredentials("sip:alice@example.com", "Digest", List.of(alices));
        try {
            store.setCredentials("sip:bob@example.com", "Digest",
                    List.of(new Credential("Digest", "example.com", "alice", "md5", "bbbb")));
            fail("bob took alice's credential");
        } catch (DuplicateException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("sip:alice@example.com"));
        }
        for (List<Credential> bad : List.of(
                List.of(new Credential("NTLM", "example.com", "alice", "MD5", "x")),
                List.of(alices, alices),
                List.of(new Credential("Digest", "example.com", "alice", "MD5", "")))) {
            try {
                store.setCredentials("sip:alice@example.com", "Digest", bad);
                fail("accepted " + bad);
            } catch (StoreException e) {
                assertFalse(e instanceof NotFoundException);
            }
        }
        try {
            store.setCredentials("sip:nobody@example.com", "Digest", List.of());
            fail();
        } catch (NotFoundException e) {
            assertEquals("No user sip:nobody@example.com", e.getMessage());
        }
        assertEquals("aaaa", store.credential("Digest", "example.com", "alice", "MD5").orElseThrow().credential().secret());
        assertEquals(1, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.CREDENTIALS"));
    }

    @Test
    public void deleteRemovesCredentialsAndBindings() throws Exception {
        store.create("sip:alice@example.com", "Alice", null);
        store.create("sip:bob@example.com", "Bob", null);
        store.setCredentials("sip:alice@example.com", "Digest",
                DigestSecrets.credentials("sip:alice@example.com", "example.com", "pw"));
        store.put(new Binding("sip:alice@example.com", "sip:alice@192.0.2.1:5060", "f1", "TCP", "192.0.2.1:5060",
                T0.plusSeconds(3600), null, 0, "c1", 1, "UA", 1000));
        store.put(new Binding("sip:bob@example.com", "sip:bob@192.0.2.2:5060", "f2", "TCP", "192.0.2.2:5060",
                T0.plusSeconds(3600), null, 0, "c2", 1, "UA", 1000));
        store.flush();
        assertEquals(2, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.BINDINGS"));

        store.delete("alice@example.com");
        assertFalse(store.find("sip:alice@example.com").isPresent());
        assertFalse(store.credential("Digest", "example.com", "alice", "MD5").isPresent());
        assertEquals(List.of(), store.bindings("sip:alice@example.com"));
        store.flush();
        assertEquals(0, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.CREDENTIALS"));
        assertEquals(1, StoreTestSupport.count(url,
                "SELECT COUNT(*) FROM RTC.BINDINGS WHERE AOR = 'sip:bob@example.com'"));
        assertEquals(1, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.BINDINGS"));
        assertEquals(1, store.bindings("sip:bob@example.com").size());
        try {
            store.delete("sip:alice@example.com");
            fail();
        } catch (NotFoundException e) {
            assertEquals("No user sip:alice@example.com", e.getMessage());
        }
    }

    private static List<String> uris(List<User> users) {
        return users.stream().map(User::uri).collect(Collectors.toList());
    }
}
