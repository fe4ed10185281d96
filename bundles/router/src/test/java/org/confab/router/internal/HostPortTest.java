package org.confab.router.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class HostPortTest {

    @Test
    public void parsesIpv4WithPort() {
        assertEquals(new HostPort("192.0.2.1", 5070), HostPort.parse("192.0.2.1:5070", 5060));
    }

    @Test
    public void parsesBracketedIpv6() {
        assertEquals(new HostPort("::1", 5061), HostPort.parse("[::1]:5061", 5060));
        assertEquals(new HostPort("2001:db8::1", 5060), HostPort.parse("[2001:DB8::1]", 5060));
    }

    @Test
    public void aBareIpv6AddressHasNoPort() {
        assertEquals(new HostPort("2001:db8::1", 5060), HostPort.parse("2001:db8::1", 5060));
    }

    @Test
    public void theDefaultPortFillsIn() {
        assertEquals(new HostPort("example.com", 5061), HostPort.parse("Example.COM", 5061));
    }

    @Test
    public void badInputIsRefusedClearly() {
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("", 5060));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host:port", 5060));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host:70000", 5060));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("[::1", 5060));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse(":5060", 5060));
    }

    @Test
    public void defaultPortsFollowRfc3261() {
        assertEquals(5061, HostPort.defaultPort("TLS"));
        assertEquals(5060, HostPort.defaultPort("TCP"));
        assertEquals(5060, HostPort.defaultPort("UDP"));
    }
}
