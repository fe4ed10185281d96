package org.confab.sip.message;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;

/** SIP URI parsing, building and RFC 3261 §19.1.4 comparison. */
public class SipUriTest {

    private static SipUri u(String s) throws SipParseException {
        return SipUri.parseSip(s);
    }

    private static void assertEquivalent(String a, String b) throws SipParseException {
        assertEquals(a + " == " + b, u(a), u(b));
        assertEquals(b + " == " + a, u(b), u(a));
        assertEquals(u(a).hashCode(), u(b).hashCode());
    }

    private static void assertNotEquivalent(String a, String b) throws SipParseException {
        assertNotEquals(a + " != " + b, u(a), u(b));
        assertNotEquals(b + " != " + a, u(b), u(a));
    }

    @Test
    public void equivalentUrisFromRfc3261() throws Exception {
        // RFC 3261 §19.1.4
        assertEquivalent("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp");
        assertEquivalent("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5");
        assertEquivalent("sip:carol@chicago.com", "sip:carol@chicago.com;security=on");
        assertEquivalent("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on");
        assertEquivalent("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com");
        assertEquivalent("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                "sip:alice@atlanta.com?priority=urgent&subject=project%20x");
    }

    @Test
    public void nonEquivalentUrisFromRfc3261() throws Exception {
        // RFC 3261 §19.1.4
        assertNotEquivalent("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP");
        assertNotEquivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060");
        assertNotEquivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp");
        assertNotEquivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp");
        assertNotEquivalent("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting");
        assertNotEquivalent("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4");
        // intransitive: both equal to sip:carol@chicago.com, not to each other
        assertNotEquivalent("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off");
        assertNotEquivalent("sip:alice@atlanta.com", "sips:alice@atlanta.com");
        assertNotEquivalent("sip:alice@atlanta.com;user=phone", "sip:alice@atlanta.com");
        assertNotEquivalent("sip:alice@atlanta.com;maddr=192.0.2.1", "sip:alice@atlanta.com");
        assertNotEquivalent("sip:alice:secret@atlanta.com", "sip:alice@atlanta.com");
    }

    @Test
    public void parsesAllParts() throws Exception {
        SipUri x = u("sips:alice:pw@Atlanta.Example.COM:5061;transport=TLS;lr;maddr=239.255.255.1?subject=hi&priority=urgent");
        assertEquals("sips", x.scheme());
        assertTrue(x.isSecure());
        assertEquals("alice", x.user());
        assertEquals("pw", x.password());
        assertEquals("Atlanta.Example.COM", x.host());
        assertEquals(5061, x.port());
        assertEquals("tls", x.transport());
        assertEquals("", x.parameter("LR"));
        assertEquals("239.255.255.1", x.parameter("maddr"));
        assertEquals("hi", x.headers().get("subject"));
        assertEquals("[transport, lr, maddr]", x.parameters().keySet().toString());
        assertEquals("sip:alice@atlanta.example.com", x.aor());
        assertEquals("sips:alice:pw@Atlanta.Example.COM:5061;transport=TLS;lr;maddr=239.255.255.1?subject=hi&priority=urgent",
                x.toString());
    }

    @Test
    public void ipv6AndNoUser() throws Exception {
        SipUri x = u("sip:[2001:db8::10]:5070;lr");
        assertNull(x.user());
        assertEquals("[2001:db8::10]", x.host());
        assertEquals(5070, x.port());
        assertEquals("sip:[2001:db8::10]", x.aor());
        assertEquivalent("sip:[2001:DB8::10]", "sip:[2001:db8::10]");
    }

    @Test
    public void withMethodsBuildNewUris() throws Exception {
        SipUri x = u("sip:alice@atlanta.com;transport=tcp?subject=x");
        assertEquals("sip:alice@atlanta.com;transport=tcp", x.withoutHeaders().toString());
        assertEquals("sip:alice@atlanta.com;transport=tcp;lr?subject=x", x.withParameter("lr", null).toString());
        assertEquals("sip:alice@atlanta.com?subject=x", x.withoutParameter("Transport").toString());
        assertEquals("sip:a%20b@atlanta.com;transport=tcp?subject=x", x.withUser("a b").toString());
        assertEquals("a b", x.withUser("a b").user());
        assertEquals("sip:alice@192.0.2.1:5070;transport=tcp?subject=x", x.withHostPort("192.0.2.1", 5070).toString());
        assertEquals("sip:atlanta.com;transport=tcp?subject=x", x.withUser(null).toString());
        assertEquals("sip:alice@atlanta.com;transport=tcp?subject=x", x.toString());
        assertEquals("sip:bob@example.com:5060", new SipUri("sip", "bob", "example.com", 5060).toString());
        assertEquals(u("sip:bob@example.com:5060"), new SipUri("SIP", "bob", "example.com", 5060));
    }

    @Test
    public void aorNormalisesEscapesAndScheme() throws Exception {
        assertEquals("sip:alice@atlanta.com", u("sips:%61lice@ATLANTA.com:5061;transport=tls").aor());
        assertEquals(u("sip:%61lice@atlanta.com").aor(), u("sip:alice@atlanta.com").aor());
    }

    @Test
    public void telAndAbsoluteUris() throws Exception {
        Uri t = Uri.parse("tel:+1-201-555-0123;phone-context=example.com");
        assertTrue(t instanceof TelUri);
        assertEquals("+1-201-555-0123", ((TelUri) t).number());
        assertEquals("example.com", ((TelUri) t).parameters().get("phone-context"));
        assertEquals(Uri.parse("tel:+12015550123;phone-context=example.com"), t);
        Uri a = Uri.parse("urn:service:sos");
        assertTrue(a instanceof AbsoluteUri);
        assertEquals("urn", a.scheme());
        assertEquals("urn:service:sos", a.toString());
        assertTrue(Uri.parse("SIP:bob@example.com") instanceof SipUri);
    }

    @Test
    public void malformedUris() {
        String[][] cases = {
            {"sip:", "Bad URI: missing host in 'sip:'"},
            {"sip:bob@", "Bad URI: missing host in 'sip:bob@'"},
            {"sip:@example.com", "Bad URI: empty user part in 'sip:@example.com'"},
            {"sip:bob@exa mple.com", "Bad URI: illegal character ' ' in host 'exa mple.com' in 'sip:bob@exa mple.com'"},
            {"sip:bob@example.com:70000", "Bad URI: bad port '70000' in 'sip:bob@example.com:70000'"},
            {"sip:bob@[2001:db8::1", "Bad URI: unterminated IPv6 reference in 'sip:bob@[2001:db8::1'"},
            {"sip:bob@example.com;=x", "Bad URI: malformed parameter '=x' in 'sip:bob@example.com;=x'"},
            {"sip:bob@example.com?noequals", "Bad URI: malformed header 'noequals' in 'sip:bob@example.com?noequals'"},
            {"sip:b<ob@example.com", "Bad URI: illegal character '<' in user part of 'sip:b<ob@example.com'"},
            {"sip:bob@-example.com", "Bad URI: bad host '-example.com' in 'sip:bob@-example.com'"},
        };
        for (String[] c : cases) {
            try {
                Uri.parse(c[0]);
                fail("parsed " + c[0]);
            } catch (SipParseException e) {
                assertEquals(c[1], e.getMessage());
            }
        }
        try {
            Uri.parse("no scheme here");
            fail();
        } catch (SipParseException e) {
            assertEquals("Bad URI: no scheme in 'no scheme here'", e.getMessage());
        }
    }
}
