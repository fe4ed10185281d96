package org.confab.admin.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.confab.api.auth.DigestSecrets;
import org.junit.Test;

public class UserPasswordCommandTest {

    private final Fixture fx = new Fixture();

    {
        fx.domains.add("example.com");
        fx.users.put("sip:alice@example.com", "Alice", true, "fe1");
    }

    @Test
    public void setsDigestCredentialsForTheUsersDomain() throws Exception {
        fx.userPassword("alice@example.com", "Spring-Tide-42").execute();
        assertEquals(DigestSecrets.credentials("sip:alice@example.com", "example.com", "Spring-Tide-42"),
                fx.users.credentials.get("sip:alice@example.com Digest"));
        assertTrue(fx.output().contains("Password of sip:alice@example.com set (Digest, realm example.com)."));
    }

    @Test
    public void passwordMayComeAsOptionAndReplacesTheOldOne() throws Exception {
        fx.userPassword("alice@example.com", "Spring-Tide-42").execute();
        UserPasswordCommand c = fx.userPassword("sip:alice@example.com", null);
        c.passwordOption = "Autumn-Leaf-17";
        c.execute();
        assertEquals(DigestSecrets.credentials("sip:alice@example.com", "example.com", "Autumn-Leaf-17"),
                fx.users.credentials.get("sip:alice@example.com Digest"));
    }

    @Test
    public void disabledUsersMayGetAPassword() throws Exception {
        fx.users.put("sip:bob@example.com", "Bob", false, "fe1");
        fx.userPassword("bob@example.com", "Autumn-Leaf-17").execute();
        assertEquals(4, fx.users.credentials.get("sip:bob@example.com Digest").size());
    }

    @Test
    public void refusesBadInputChangingNothing() throws Exception {
        fx.userPassword("alice@example.com", "Spring-Tide-42").execute();
        fx.assertRefused("Unknown user sip:carol@example.com", fx.userPassword("carol@example.com", "Spring-Tide-42"));
        fx.assertRefused("Invalid SIP URI 'alice@exa$mple.com': the domain may contain only ASCII letters, digits, hyphens and dots",
                fx.userPassword("alice@exa$mple.com", "Spring-Tide-42"));
        fx.assertRefused("The password is empty", fx.userPassword("alice@example.com", ""));
        fx.assertRefused("The password is too short: at least 8 characters are required",
                fx.userPassword("alice@example.com", "Sp-T-42"));
        fx.assertRefused("The password must not contain the user name", fx.userPassword("alice@example.com", "MyAlice-42"));
        fx.assertRefused("The password must mix at least 3 of: lower-case letters, upper-case letters, digits, other characters",
                fx.userPassword("alice@example.com", "springtide"));
        fx.assertRefused("No password given: pass it as the second argument or with --password",
                fx.userPassword("alice@example.com", null));
        UserPasswordCommand both = fx.userPassword("alice@example.com", "Spring-Tide-42");
        both.passwordOption = "Autumn-Leaf-17";
        fx.assertRefused("Give the password once: as the second argument or with --password, not both", both);
    }
}
