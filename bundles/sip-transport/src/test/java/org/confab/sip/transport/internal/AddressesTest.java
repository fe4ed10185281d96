package org.confab.sip.transport.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** IP literal recognition on the request path (Via sent-by, received, response routing). */
public class AddressesTest {

    @Test
    public void dottedQuadsAreLiteralsWithinTheirRanges() {
        for (String ok : new String[] {"127.0.0.1", "0.0.0.0", "255.255.255.255", "192.0.2.15", "[10.1.2.3]"}) {
            assertTrue(ok, Addresses.isIpLiteral(ok));
        }
        for (String bad : new String[] {"256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.", ".1.2.3", "1.2.3.0004",
                "a.b.c.d", "example.com", "", "1.2.3.4 "}) {
            assertFalse(bad, Addresses.isIpLiteral(bad));
        }
    }

    @Test
    public void ipv6IsRecognisedWithOrWithoutBrackets() {
        for (String ok : new String[] {"::1", "[2001:db8::9:1]", "2001:db8::9:255", "fe80::1%2", "::ffff:192.0.2.1"}) {
            assertTrue(ok, Addresses.isIpLiteral(ok));
        }
        assertFalse(Addresses.isIpLiteral("[2001:db8::g]"));
        assertFalse(Addresses.isIpLiteral("host:5060x"));
    }
}
