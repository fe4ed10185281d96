package org.confab.sip.message;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Arrays;

import org.junit.Test;

/** NameAddr, Via and CSeq values, and the lazily parsed typed accessors. */
public class HeaderValueTest {

    @Test
    public void nameAddrForms() throws Exception {
        NameAddr a = NameAddr.parse("\"Alice \\\"A\\\" Liddell\" <sip:alice@example.com;transport=tcp>;tag=abc;+sip.instance=\"<urn:uuid:1>\"");
        assertEquals("Alice \"A\" Liddell", a.displayName());
        assertEquals("tcp", ((SipUri) a.uri()).transport());
        assertEquals("abc", a.tag());
        assertEquals("\"<urn:uuid:1>\"", a.parameter("+sip.instance"));
        NameAddr t = NameAddr.parse("Bob Smith <sip:bob@example.com>");
        assertEquals("Bob Smith", t.displayName());
        NameAddr plain = NameAddr.parse("<sip:carol@example.com>");
        assertNull(plain.displayName());
        assertTrue(plain.parameters().isEmpty());
        NameAddr spec = NameAddr.parse("sip:dave@example.com;tag=xyz");
        assertEquals("xyz", spec.tag());
        assertEquals("sip:dave@example.com", spec.uri().toString());
    }

    @Test
    public void nameAddrToString() throws Exception {
        NameAddr spec = NameAddr.parse("sip:dave@example.com;tag=xyz");
        assertEquals("sip:dave@example.com;tag=xyz", spec.toString());
        assertEquals("<sip:dave@example.com>;tag=xyz;expires=0", spec.withParameter("expires", "0").toString());
        assertEquals("\"Q \\\"x\\\"\" <sip:q@example.com>;tag=t9",
                new NameAddr("Q \"x\"", Uri.parse("sip:q@example.com")).withTag("t9").toString());
        NameAddr again = NameAddr.parse(new NameAddr("Q \"x\"", Uri.parse("sip:q@example.com")).withTag("t9").toString());
        assertEquals("Q \"x\"", again.displayName());
    }

    @Test
    public void malformedNameAddrs() {
        String[][] cases = {
            {"", "Bad address: empty"},
            {"\"open <sip:a@b>", "Bad address: unterminated quoted string in display name: \"open <sip:a@b>"},
            {"\"name\" sip:a@b", "Bad address: '<' expected after display name: \"name\" sip:a@b"},
            {"<sip:a@b", "Bad address: missing '>': <sip:a@b"},
            {"<sip:a@b>;tag", null},
            {"<sip:a@b> junk", "Bad address parameters: unexpected 'j' where ';' was expected"},
            {"<sip:a@b>;tag=\"x", "Bad address parameters: unterminated quoted string in parameter tag"},
        };
        for (String[] c : cases) {
            try {
                NameAddr n = NameAddr.parse(c[0]);
                if (c[1] != null) {
                    fail("parsed " + c[0]);
                }
                assertEquals("", n.tag());
            } catch (SipParseException e) {
                assertEquals(c[1], e.getMessage());
            }
        }
    }

    @Test
    public void viaForms() throws Exception {
        Via v = Via.parse("SIP / 2.0 / tcp [2001:db8::1]:5061;branch=z9hG4bKx;received=192.0.2.1;rport=4000;maddr=224.2.0.1;ttl=16");
        assertEquals("SIP/2.0", v.protocol());
        assertEquals("TCP", v.transport());
        assertEquals("[2001:db8::1]", v.host());
        assertEquals(5061, v.port());
        assertTrue(v.hasMagicCookie());
        assertEquals("192.0.2.1", v.received());
        assertEquals(4000, v.rport());
        assertEquals("224.2.0.1", v.parameter("maddr"));
        assertEquals("16", v.parameter("TTL"));
        Via bare = Via.parse("SIP/2.0/UDP host.example.com;rport;branch=z9hG4bK1");
        assertTrue(bare.hasRport());
        assertEquals(-1, bare.rport());
        assertEquals(-1, bare.port());
        Via stamped = bare.withParameter("received", "192.0.2.9").withParameter("rport", "5062");
        assertEquals("SIP/2.0/UDP host.example.com;rport=5062;branch=z9hG4bK1;received=192.0.2.9", stamped.toString());
        assertEquals("SIP/2.0/WSS ws.example.com;branch=z9hG4bKw", new Via("wss", "ws.example.com", -1, "z9hG4bKw").toString());
        assertFalse(new Via("UDP", "h", 5060, null).hasMagicCookie());
    }

    @Test
    public void malformedVias() {
        String[][] cases = {
            {"SIP/2.0/UDP", "Bad Via: missing sent-by host in 'SIP/2.0/UDP'"},
            {"SIP/2.0/UDP host;ttl=300", "Bad Via: bad ttl '300'"},
            {"SIP/2.0/UDP host;rport=x", "Bad Via: bad rport 'x'"},
            {"SIP/2.0/UDP host;received", "Bad Via: received without a value"},
            {"SIP/2.0/UDP host:abc", "Bad Via: bad port in 'SIP/2.0/UDP host:abc'"},
            {"/2.0/UDP host", "Bad Via: protocol name missing in '/2.0/UDP host'"},
        };
        for (String[] c : cases) {
            try {
                Via.parse(c[0]);
                fail("parsed " + c[0]);
            } catch (SipParseException e) {
                assertEquals(c[1], e.getMessage());
            }
        }
    }

    @Test
    public void cseqValues() throws Exception {
        CSeq c = CSeq.parse(" 4294967295   REGISTER ");
        assertEquals(4294967295L, c.number());
        assertEquals("REGISTER", c.method());
        assertEquals("4294967295 REGISTER", c.toString());
        assertEquals(new CSeq(1, "ACK"), CSeq.parse("1 ACK"));
        try {
            CSeq.parse("4294967296 REGISTER");
            fail();
        } catch (SipParseException e) {
            assertEquals("Bad CSeq: sequence number larger than 2^32-1: 4294967296", e.getMessage());
        }
        try {
            CSeq.parse("1");
            fail();
        } catch (SipParseException e) {
            assertEquals("Bad CSeq: method missing", e.getMessage());
        }
        // the number and method are read by index; messages and odd methods as before
        assertEquals("register", CSeq.parse("7 register").method());
        assertEquals("FOO.BAR", CSeq.parse("7\tFOO.BAR").method());
        assertEquals(0, CSeq.parse("000 INVITE").number());
        String[][] bad = {
            {"x1 INVITE", "Bad CSeq: sequence number is not a number: 'x1'"},
            {"", "Bad CSeq: sequence number is not a number: ''"},
            {"1 IN<VITE", "Bad CSeq: method is not a token: 'IN<VITE'"},
            {"1 INVITE ACK", "Bad CSeq: method is not a token: 'INVITE ACK'"},
            {"99999999999999999999 INVITE", "Bad CSeq: sequence number larger than 2^32-1: 99999999999999999999"},
        };
        for (String[] b : bad) {
            try {
                CSeq.parse(b[0]);
                fail(b[0]);
            } catch (SipParseException e) {
                assertEquals(b[1], e.getMessage());
            }
        }
    }

    @Test
    public void wildcardContactAndExpires() throws Exception {
        SipRequest r = Messages.request(Messages.options("Contact: *\nExpires: 0\n"));
        assertTrue(r.isWildcardContact());
        assertTrue(r.contacts().isEmpty());
        assertEquals(0, r.expires());
        SipRequest none = Messages.request(Messages.options(""));
        assertEquals(-1, none.expires());
        assertFalse(none.isWildcardContact());
        SipRequest huge = Messages.request(Messages.options("Expires: 99999999999999999999\n"));
        assertEquals(Integer.MAX_VALUE, huge.expires());
    }

    @Test
    public void lazilyParsedHeadersReportErrorsOnAccess() throws Exception {
        // parse() does not look at Contact or Route: they are parsed when asked for
        SipRequest r = Messages.request(Messages.options("Contact: <sip:a@b\nRoute: <sip:broken\n"));
        assertEquals("<sip:broken", r.header("Route"));
        try {
            r.contacts();
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("Bad Contact: Bad address: missing '>': <sip:a@b", e.getMessage());
        }
        r.setHeader("Contact", "<sip:a@b>;expires=30");
        assertEquals("30", r.contacts().get(0).parameter("expires"));
    }

    @Test
    public void typedCachesFollowChanges() throws Exception {
        SipRequest r = Messages.request(Messages.options(""));
        assertEquals("9fxced76sl", r.from().tag());
        r.setHeader("To", r.to().withTag("totag").toString());
        assertEquals("totag", r.to().tag());
        r.setHeader("f", "<sip:x@example.com>;tag=new");
        assertEquals("new", r.from().tag());
        r.removeHeader("Max-Forwards");
        assertEquals(-1, r.maxForwards());
        r.setHeader("CSeq", "63105 OPTIONS");
        assertEquals(63105, r.cseq().number());
    }

    @Test
    public void quotedCommasAndAngleBracketsDoNotSplit() throws Exception {
        SipRequest r = Messages.request(Messages.options(
                "X-List: \"a, b\" <sip:x@y;p=1,2>, plain, \"esc \\\" ,\"\nWWW-Authenticate: Digest realm=\"r\", nonce=\"n\"\n"));
        assertEquals(Arrays.asList("\"a, b\" <sip:x@y;p=1,2>", "plain", "\"esc \\\" ,\""), r.headerValues("x-list"));
        assertEquals(Arrays.asList("Digest realm=\"r\", nonce=\"n\""), r.headerValues("WWW-Authenticate"));
    }
}
