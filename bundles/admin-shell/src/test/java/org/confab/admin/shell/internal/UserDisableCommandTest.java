package org.confab.admin.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import org.confab.api.store.Binding;
import org.junit.Test;

public class UserDisableCommandTest {

    private final Fixture fx = new Fixture();

    {
        fx.domains.add("example.com");
    }

    @Test
    public void disablesUserAndRemovesItsEndpointsOnly() throws Exception {
        fx.users.put("sip:alice@example.com", "Alice", true, "fe1");
        fx.users.put("sip:bob@example.com", "Bob", true, "fe1");
        Instant later = fx.locations.now.plusSeconds(600);
        fx.locations.put(binding("sip:alice@example.com", "sip:alice@10.0.0.1:5060", later));
        fx.locations.put(binding("sip:alice@example.com", "sip:alice@10.0.0.2:5060", later));
        fx.locations.put(binding("sip:bob@example.com", "sip:bob@10.0.0.3:5060", later));
        fx.userDisable("alice@example.com").execute();
        assertFalse(fx.users.find("sip:alice@example.com").orElseThrow().enabled());
        assertEquals(0, fx.locations.bindings("sip:alice@example.com").size());
        assertEquals(1, fx.locations.bindings("sip:bob@example.com").size());
        assertTrue(fx.output().contains("User sip:alice@example.com disabled; 2 registered endpoints removed."));
    }

    @Test
    public void disablesWithoutLocationService() throws Exception {
        fx.users.put("sip:alice@example.com", "Alice", true, "fe1");
        UserDisableCommand c = fx.userDisable("sip:alice@example.com");
        c.locations = null;
        c.execute();
        assertFalse(fx.users.find("sip:alice@example.com").orElseThrow().enabled());
        assertTrue(fx.output().contains("User sip:alice@example.com disabled."));
    }

    @Test
    public void refusesUnknownDisabledAndBadUsers() {
        fx.users.put("sip:bob@example.com", "Bob", false, "fe1");
        fx.assertRefused("Unknown user sip:alice@example.com", fx.userDisable("alice@example.com"));
        fx.assertRefused("User sip:bob@example.com is already disabled", fx.userDisable("bob@example.com"));
        fx.assertRefused("Invalid SIP URI 'bob': must be sip:user@domain", fx.userDisable("bob"));
    }

    static Binding binding(String aor, String contact, Instant expires) {
        return new Binding(aor, contact, null, "UDP", "10.0.0.1:5060", expires, null, 0, "c1", 1, "", 1000);
    }
}
