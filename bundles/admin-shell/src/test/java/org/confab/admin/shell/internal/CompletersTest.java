package org.confab.admin.shell.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

public class CompletersTest {

    private final Fixture fx = new Fixture();

    {
        fx.domains.add("example.org");
        fx.domains.add("example.com");
        fx.users.put("sip:alice@example.com", "", true, "fe1");
        fx.users.put("sip:albert@example.org", "", false, "fe1");
        fx.users.put("sip:bob@example.com", "", true, "fe1");
    }

    @Test
    public void domainsAreOffered() {
        DomainCompleter c = new DomainCompleter();
        c.domains = fx.domains;
        assertEquals(List.of("example.com", "example.org"), c.candidates());
    }

    @Test
    public void usersMatchingWhatWasTypedAreOffered() {
        UserCompleter c = new UserCompleter();
        c.users = fx.users;
        assertEquals(List.of("sip:albert@example.org", "sip:alice@example.com", "sip:bob@example.com"), c.candidates(null));
        assertEquals(List.of("sip:albert@example.org", "sip:alice@example.com"), c.candidates("sip:al"));
        assertEquals(List.of("sip:albert@example.org"), c.candidates("example.org"));
    }
}
