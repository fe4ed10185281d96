package org.confab.admin.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.confab.api.auth.DigestSecrets;
import org.confab.api.store.Credential;
import org.confab.api.store.StoreException;
import org.confab.api.store.User;
import org.junit.Test;

public class UserEnableCommandTest {

    private final Fixture fx = new Fixture();

    {
        fx.domains.add("example.com");
    }

    @Test
    public void createsUserWithDefaultsAndNoPassword() throws Exception {
        fx.userEnable("alice@Example.com").execute();
        User u = fx.users.find("sip:alice@example.com").orElseThrow();
        assertTrue(u.enabled());
        assertEquals("", u.displayName());
        assertEquals(ServerName.local(), u.homePool());
        assertTrue(fx.users.credentials.isEmpty());
        assertTrue(fx.output(), fx.output().contains("User sip:alice@example.com enabled, homed on " + ServerName.local()
                + "; no password yet: the user cannot sign in until confab:user-password sets one."));
    }

    @Test
    public void defaultHomePoolIsTheConfiguredServerName() throws Exception {
        String old = System.getProperty(ServerName.PROPERTY);
        System.setProperty(ServerName.PROPERTY, "FE1.Example.com");
        try {
            fx.userEnable("sip:alice@example.com").execute();
        } finally {
            if (old == null) {
                System.clearProperty(ServerName.PROPERTY);
            } else {
                System.setProperty(ServerName.PROPERTY, old);
            }
        }
        assertEquals("fe1.example.com", fx.users.find("sip:alice@example.com").orElseThrow().homePool());
    }

    @Test
    public void createsUserWithNamePoolAndDigestCredentials() throws Exception {
        UserEnableCommand c = fx.userEnable("sip:alice@example.com");
        c.displayName = "Alice Smith";
        c.homePool = "Pool1.Example.com";
        c.password = "Spring-Tide-42";
        c.execute();
        User u = fx.users.find("sip:alice@example.com").orElseThrow();
        assertEquals("Alice Smith", u.displayName());
        assertEquals("pool1.example.com", u.homePool());
        List<Credential> creds = fx.users.credentials.get("sip:alice@example.com Digest");
        assertEquals(DigestSecrets.credentials("sip:alice@example.com", "example.com", "Spring-Tide-42"), creds);
        // the registrar finds it the way a client authenticates (RFC 7616 §3.4.2)
        String ha1 = DigestSecrets.ha1("SHA-256", "alice", "example.com", "Spring-Tide-42");
        assertEquals(ha1, fx.users.credential("Digest", "example.com", "alice", "SHA-256").orElseThrow().credential().secret());
        assertTrue(fx.output().contains("User sip:alice@example.com enabled, homed on pool1.example.com."));
    }

    @Test
    public void reenablesDisabledUserReplacingNameAndPassword() throws Exception {
        fx.users.put("sip:alice@example.com", "Old Name", false, "pool1.example.com");
        UserEnableCommand c = fx.userEnable("alice@example.com");
        c.displayName = "Alice Smith";
        c.password = "Spring-Tide-42";
        c.homePool = "POOL1.example.com";
        c.execute();
        User u = fx.users.find("sip:alice@example.com").orElseThrow();
        assertTrue(u.enabled());
        assertEquals("Alice Smith", u.displayName());
        assertEquals("pool1.example.com", u.homePool());
        assertEquals(4, fx.users.credentials.get("sip:alice@example.com Digest").size());
        assertTrue(fx.output().contains("User sip:alice@example.com re-enabled with a new password."));
    }

    @Test
    public void reenableWithoutOptionsKeepsTheRest() throws Exception {
        fx.users.put("sip:alice@example.com", "Alice", false, "pool1.example.com");
        fx.userEnable("alice@example.com").execute();
        User u = fx.users.find("sip:alice@example.com").orElseThrow();
        assertTrue(u.enabled());
        assertEquals("Alice", u.displayName());
        assertTrue(fx.output().contains("User sip:alice@example.com re-enabled."));
    }

    @Test
    public void refusesEnabledUser() {
        fx.users.put("sip:alice@example.com", "Alice", true, "fe1");
        UserEnableCommand c = fx.userEnable("sip:alice@EXAMPLE.com");
        c.password = "Spring-Tide-42";
        fx.assertRefused("User sip:alice@example.com already exists and is enabled", c);
    }

    @Test
    public void refusesMovingADisabledUser() {
        fx.users.put("sip:alice@example.com", "Alice", false, "pool1.example.com");
        UserEnableCommand c = fx.userEnable("alice@example.com");
        c.homePool = "pool2.example.com";
        c.displayName = "New";
        fx.assertRefused("User sip:alice@example.com is homed on pool1.example.com: --home-pool does not move an existing user", c);
    }

    @Test
    public void refusesBadInput() {
        fx.assertRefused("Invalid SIP URI 'sip:al ice@example.com': must not contain spaces",
                fx.userEnable("sip:al ice@example.com"));
        fx.assertRefused("Invalid SIP URI 'sip:@example.com': the user part is missing", fx.userEnable("sip:@example.com"));
        fx.assertRefused("Domain example.org is not served (add it with confab:domain-add)",
                fx.userEnable("alice@example.org"));
        UserEnableCommand badPool = fx.userEnable("alice@example.com");
        badPool.homePool = "pool 1";
        fx.assertRefused("Invalid home pool 'pool 1': it may contain only ASCII letters, digits, hyphens and dots", badPool);
        UserEnableCommand badName = fx.userEnable("alice@example.com");
        badName.displayName = "Alice\r\nSmith";
        fx.assertRefused("Invalid display name 'Alice??Smith': it must not contain control characters", badName);
    }

    @Test
    public void refusesWeakPasswordsForNewAndDisabledUsers() {
        UserEnableCommand empty = fx.userEnable("alice@example.com");
        empty.password = "";
        fx.assertRefused("The password is empty", empty);
        UserEnableCommand named = fx.userEnable("alice@example.com");
        named.password = "Alice-2024";
        fx.assertRefused("The password must not contain the user name", named);
        fx.users.put("sip:bob@example.com", "", false, "fe1");
        UserEnableCommand weak = fx.userEnable("bob@example.com");
        weak.password = "short1A";
        fx.assertRefused("The password is too short: at least 8 characters are required", weak);
        assertFalse(fx.users.find("sip:bob@example.com").orElseThrow().enabled());
    }

    @Test
    public void failedCredentialWriteRemovesTheNewUser() {
        fx.users.failSetCredentials = new StoreException("Database unavailable");
        UserEnableCommand c = fx.userEnable("alice@example.com");
        c.password = "Spring-Tide-42";
        fx.assertRefused("Database unavailable", c);
        assertTrue(fx.users.find("sip:alice@example.com").isEmpty());
    }
}
