package org.confab.admin.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.confab.api.store.Binding;
import org.junit.Test;

public class EndpointsCommandTest {

    private final Fixture fx = new Fixture();

    {
        fx.domains.add("example.com");
        fx.users.put("sip:alice@example.com", "Alice", true, "fe1");
        fx.users.put("sip:bob@example.com", "Bob", true, "fe1");
        fx.locations.put(new Binding("sip:alice@example.com", "sip:alice@10.0.0.1:50000;transport=tcp", "tcp-7", "TCP",
                "10.0.0.1:50000", fx.locations.now.plusSeconds(3600), "<urn:uuid:1>", 1, "c1", 5, "Communicator 2.0", 1000));
        fx.locations.put(new Binding("sip:bob@example.com", "sip:bob@10.0.0.2:5060", "udp-3", "UDP",
                "10.0.0.2:5060", fx.locations.now.plusSeconds(90), null, 0, "c2", 1, "baresip", 1000));
        fx.locations.put(new Binding("sip:bob@example.com", "sip:bob@[2001:db8::1]:5061;transport=tls", null, "TLS",
                "[2001:db8::1]:5061", fx.locations.now.plusSeconds(30), null, 0, "c3", 1, null, 500));
        fx.flows.open("tcp-7", "TCP");
    }

    private EndpointsCommand endpoints(String user) {
        EndpointsCommand c = fx.endpoints(user);
        c.clock = Clock.fixed(fx.locations.now.plusSeconds(10), ZoneOffset.UTC);
        return c;
    }

    @Test
    public void listsAllEndpointsWithFlowStateAndSecondsLeft() throws Exception {
        endpoints(null).execute();
        String out = fx.output();
        assertEquals(List.of("User", "Contact", "Transport", "Source", "Flow", "Expires (s)", "User agent"),
                Fixture.header(out));
        assertEquals(List.of(
                List.of("sip:alice@example.com", "sip:alice@10.0.0.1:50000;transport=tcp", "TCP", "10.0.0.1:50000",
                        "tcp-7 (open)", "3590", "Communicator 2.0"),
                List.of("sip:bob@example.com", "sip:bob@10.0.0.2:5060", "UDP", "10.0.0.2:5060",
                        "udp-3 (closed)", "80", "baresip"),
                List.of("sip:bob@example.com", "sip:bob@[2001:db8::1]:5061;transport=tls", "TLS", "[2001:db8::1]:5061",
                        "-", "20", "")), Fixture.rows(out));
    }

    @Test
    public void listsOneUserAndShowsBareFlowIdsWithoutTransport() throws Exception {
        EndpointsCommand c = endpoints("bob@example.com");
        c.flows = null;
        c.execute();
        List<List<String>> rows = Fixture.rows(fx.output());
        assertEquals(2, rows.size());
        assertEquals("udp-3", rows.get(0).get(4));
        assertEquals("sip:bob@example.com", rows.get(1).get(0));
    }

    @Test
    public void saysWhenUserHasNoEndpoints() throws Exception {
        fx.users.put("sip:carol@example.com", "", true, "fe1");
        endpoints("carol@example.com").execute();
        assertTrue(fx.output(), fx.output().contains("No registered endpoints for sip:carol@example.com"));
    }

    @Test
    public void refusesUnknownOrBadUserAndMissingLocationService() {
        fx.assertRefused("Unknown user sip:dave@example.com", endpoints("dave@example.com"));
        fx.assertRefused("Invalid SIP URI 'dave@': the domain is missing", endpoints("dave@"));
        EndpointsCommand c = endpoints(null);
        c.locations = null;
        fx.assertRefused("No location service is running on this server (it is part of the store role)", c);
    }
}
