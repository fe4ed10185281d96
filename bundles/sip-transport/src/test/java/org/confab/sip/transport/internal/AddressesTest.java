package org.confab.sip.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.SplittableRandom;

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

    @Test
    public void textOfAnAddressIsExactlyItsHostAddress() throws Exception {
        Inet4Address a = (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 15});
        assertTrue(Addresses.isTextOf("192.0.2.15", a));
        for (String other : new String[] {"192.0.2.015", "192.000.2.15", "192.0.2.16", "192.0.2", "192.0.2.15.1",
            "[192.0.2.15]", "192.0.2.15 ", "", ".", "1920.2.15", "192..2.15", "x92.0.2.15", "192.0.2.1500"}) {
            assertFalse(other, Addresses.isTextOf(other, a));
        }
        // the same answer as comparing with getHostAddress(), which sameAddress did before
        SplittableRandom r = new SplittableRandom(7);
        String[] octet = {"0", "00", "01", "1", "9", "10", "010", "99", "100", "199", "200", "255", "256", "2x"};
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[4];
            for (int j = 0; j < 4; j++) {
                b[j] = (byte) (r.nextBoolean() ? r.nextInt(256) : new int[] {0, 1, 9, 10, 99, 100, 199, 200, 255}[r.nextInt(9)]);
            }
            Inet4Address addr = (Inet4Address) InetAddress.getByAddress(b);
            String text = r.nextBoolean() ? addr.getHostAddress()
                    : octet[r.nextInt(octet.length)] + "." + octet[r.nextInt(octet.length)] + "."
                    + octet[r.nextInt(octet.length)] + "." + octet[r.nextInt(octet.length)];
            assertEquals(text, text.equals(addr.getHostAddress()), Addresses.isTextOf(text, addr));
            boolean literal = Addresses.isIpLiteral(text);
            assertEquals(text, literal && text.equals(addr.getHostAddress()), Addresses.sameAddress(text, addr));
        }
    }

    @Test
    public void sameAddressForBothFamilies() throws Exception {
        InetAddress v4 = InetAddress.getByName("192.0.2.15");
        InetAddress v6 = InetAddress.getByName("2001:db8::15");
        assertTrue(Addresses.sameAddress("192.0.2.15", v4));
        assertTrue(Addresses.sameAddress("[192.0.2.15]", v4));
        assertFalse(Addresses.sameAddress("192.0.2.015", v4));
        assertFalse(Addresses.sameAddress("192.0.2.15", v6));
        assertTrue(Addresses.sameAddress("[2001:DB8:0::15]", v6));
        assertFalse(Addresses.sameAddress("2001:db8::15", v4));
        assertFalse(Addresses.sameAddress("host.example.com", v4));
    }
}
