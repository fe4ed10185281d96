package org.confab.admin.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class UserListCommandTest {

    private final Fixture fx = new Fixture();

    {
        fx.domains.add("example.com");
        fx.domains.add("example.org");
        fx.users.put("sip:alice@example.com", "Alice Smith", true, "pool1.example.com");
        fx.users.put("sip:bob@example.org", "", false, "fe1.example.org");
        fx.locations.put(UserDisableCommandTest.binding("sip:alice@example.com", "sip:alice@10.0.0.1:5060",
                fx.locations.now.plusSeconds(60)));
    }

    @Test
    public void listsAllUsersWithEndpointCounts() throws Exception {
        fx.userList(null).execute();
        String out = fx.output();
        assertEquals(List.of("SIP URI", "Display name", "Enabled", "Home pool", "Endpoints"), Fixture.header(out));
        assertEquals(List.of(
                List.of("sip:alice@example.com", "Alice Smith", "yes", "pool1.example.com", "1"),
                List.of("sip:bob@example.org", "", "no", "fe1.example.org", "0")), Fixture.rows(out));
    }

    @Test
    public void filtersAndDropsEndpointsColumnWithoutLocationService() throws Exception {
        UserListCommand c = fx.userList("EXAMPLE.ORG");
        c.locations = null;
        c.execute();
        String out = fx.output();
        assertEquals(List.of("SIP URI", "Display name", "Enabled", "Home pool"), Fixture.header(out));
        assertEquals(List.of(List.of("sip:bob@example.org", "", "no", "fe1.example.org")), Fixture.rows(out));
    }

    @Test
    public void saysWhenNothingMatches() throws Exception {
        fx.userList("carol").execute();
        assertTrue(fx.output(), fx.output().contains("No user matches 'carol'"));
    }
}
