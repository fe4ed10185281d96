package org.confab.sip.message;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/**
 * Every message of RFC 4475 (§3.1.1 valid, §3.1.2 invalid, §3.2-§3.4 semantics) and RFC 5118 §4 (IPv6),
 * parsed from the resources: the parser accepts what the RFCs call well-formed and rejects what they
 * call malformed, with the status the RFC asks for. Messages that are well-formed but refused by a
 * later layer (416, 420, 483) are accepted here; the proxy-rule tests in the router and transport
 * check those statuses.
 */
public class TortureSuiteTest {

    /** Accepted by the parser. */
    static final int OK = 0;

    /** name -> OK or the status of the SipParseException. */
    static final Map<String, Integer> RFC4475 = new LinkedHashMap<>();
    static final Map<String, Integer> RFC5118 = new LinkedHashMap<>();

    static {
        // §3.1.1 valid messages
        for (String n : new String[] {"wsinv", "intmeth", "esc01", "escnull", "esc02", "lwsdisp", "longreq", "dblreq",
                "semiuri", "transports", "mpart01", "unreason", "noreason"}) {
            RFC4475.put(n, OK);
        }
        // §3.1.2 invalid messages (400; 505 for the unknown version)
        for (String n : new String[] {"badinv01", "clerr", "ncl", "scalar02", "scalarlg", "quotbal", "ltgtruri",
                "lwsruri", "lwsstart", "trws", "escruri", "badaspec", "baddn", "mismatch01", "mismatch02",
                "bigcode"}) {
            RFC4475.put(n, 400);
        }
        RFC4475.put("badvers", 505);
        // §3.1.2.13 regbadct: Contact is parsed lazily (API.md); reading it fails, and the registrar answers 400
        RFC4475.put("regbadct", OK);
        // §3.1.2.12 baddate: "an element wishing to be robust could ignore the Date header field" - we do
        RFC4475.put("baddate", OK);
        // §3.2.1 badbranch: a branch of only the magic cookie is well-formed
        RFC4475.put("badbranch", OK);
        // §3.3 application-layer semantics
        RFC4475.put("insuf", 400);      // §3.3.1 missing To, From, Call-ID
        RFC4475.put("unksm", OK);       // §3.3.2 parses; 416 from the proxy
        RFC4475.put("novelsc", OK);     // §3.3.3 parses; 416 from the proxy
        RFC4475.put("unksm2", OK);      // §3.3.4
        RFC4475.put("bext01", OK);      // §3.3.5 parses; 420 from the proxy
        RFC4475.put("invut", OK);       // §3.3.6 parses; 415 is the UAS's business
        RFC4475.put("regaut01", OK);    // §3.3.7 parses; the registrar challenges
        RFC4475.put("multi01", 400);    // §3.3.8
        RFC4475.put("mcl01", 400);      // §3.3.9
        RFC4475.put("bcast", OK);       // §3.3.10 a response that parses; matches no transaction
        RFC4475.put("zeromf", OK);      // §3.3.11 parses; 483 from the proxy for a non-OPTIONS, 200/483 here
        RFC4475.put("cparam01", OK);    // §3.3.12
        RFC4475.put("cparam02", OK);    // §3.3.13
        RFC4475.put("regescrt", OK);    // §3.3.14
        RFC4475.put("sdp01", OK);       // §3.3.15
        RFC4475.put("inv2543", OK);     // §3.4.1 RFC 2543 syntax: no branch, no tag, no Max-Forwards

        RFC5118.put("ipv6-good", OK);                      // §4.1
        RFC5118.put("ipv6-bad", 400);                      // §4.2 unbracketed IPv6 in a SIP URI
        RFC5118.put("port-ambiguous", OK);                 // §4.3 [2001:db8::10:5070] is an address, no port
        RFC5118.put("port-unambiguous", OK);               // §4.3
        RFC5118.put("via-received-param-with-delim", OK);  // §4.5
        RFC5118.put("via-received-param-no-delim", OK);    // §4.5
        RFC5118.put("ipv6-in-sdp", OK);                    // §4.6
        RFC5118.put("mult-ip-in-header", OK);              // §4.7
        RFC5118.put("mult-ip-in-sdp", OK);                 // §4.8
        RFC5118.put("ipv4-mapped-ipv6", OK);               // §4.9
        RFC5118.put("ipv6-bug-abnf-3-colons", 400);        // §4.10 three colons: not an IPv6 address
        RFC5118.put("ipv6-correct-abnf-2-colons", OK);     // §4.10
    }

    static byte[] load(String dir, String name) {
        try (InputStream in = TortureSuiteTest.class.getResourceAsStream(dir + "/" + name + ".sip")) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + dir + "/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> check(String dir, Map<String, Integer> table) {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Integer> e : table.entrySet()) {
            byte[] data = load(dir, e.getKey());
            int expected = e.getValue();
            try {
                SipMessage m = SipParser.parse(data);
                if (expected != OK) {
                    wrong.add(e.getKey() + ": accepted, expected " + expected);
                } else if (m.isRequest()) {
                    // the fields routing uses are there
                    assertNotNull(e.getKey(), m.topVia());
                    assertNotNull(e.getKey(), m.cseq());
                    assertNotNull(e.getKey(), m.callId());
                    assertNotNull(e.getKey(), ((SipRequest) m).requestUri());
                }
            } catch (SipParseException ex) {
                if (expected != ex.status()) {
                    wrong.add(e.getKey() + ": rejected with " + ex.status() + " '" + ex.getMessage() + "', expected "
                            + (expected == OK ? "accept" : expected));
                }
            }
        }
        return wrong;
    }

    @Test
    public void rfc4475MessagesAreAcceptedOrRejectedAsTheRfcSays() {
        assertEquals(49, RFC4475.size());
        List<String> wrong = check("rfc4475", RFC4475);
        assertTrue(String.join("\n", wrong), wrong.isEmpty());
    }

    @Test
    public void rfc5118MessagesAreAcceptedOrRejectedAsTheRfcSays() {
        assertEquals(12, RFC5118.size());
        List<String> wrong = check("rfc5118", RFC5118);
        assertTrue(String.join("\n", wrong), wrong.isEmpty());
    }

    @Test
    public void regbadctContactIsRefusedWhenRead() throws Exception {
        SipMessage m = SipParser.parse(load("rfc4475", "regbadct"));
        try {
            m.contacts();
            fail("regbadct Contact accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("Bad Contact: Bad address: a URI containing '?' must be enclosed in '<>'"));
        }
        // §3.3.14 regescrt: the same URI inside <> is fine
        SipUri escaped = (SipUri) SipParser.parse(load("rfc4475", "regescrt")).contacts().get(0).uri();
        assertEquals("%3Csip:sip.example.com%3E", escaped.headers().get("Route"));
    }

    @Test
    public void dblreqParsesTheFirstRequestOnly() throws Exception {
        SipRequest r = (SipRequest) SipParser.parse(load("rfc4475", "dblreq"));
        assertEquals("REGISTER", r.method());
        assertEquals(0, r.body().length);
    }

    @Test
    public void ipv6PortsAreReadAsTheRfcSays() throws Exception {
        SipUri amb = (SipUri) ((SipRequest) SipParser.parse(load("rfc5118", "port-ambiguous"))).requestUri();
        assertEquals("[2001:db8::10:5070]", amb.host());
        assertEquals(-1, amb.port());
        SipUri unamb = (SipUri) ((SipRequest) SipParser.parse(load("rfc5118", "port-unambiguous"))).requestUri();
        assertEquals("[2001:db8::10]", unamb.host());
        assertEquals(5070, unamb.port());
        SipMessage noDelim = SipParser.parse(load("rfc5118", "via-received-param-no-delim"));
        assertEquals("2001:db8::9:255", noDelim.topVia().received());
        SipMessage mapped = SipParser.parse(load("rfc5118", "ipv4-mapped-ipv6"));
        assertEquals("[::ffff:192.0.2.10]", mapped.topVia().host());
        assertEquals(19823, mapped.topVia().port());
    }

    @Test
    public void rejectedRequestsStillCarryWhatA400Needs() {
        for (String n : new String[] {"badinv01", "clerr", "ncl", "scalar02", "quotbal", "mismatch01", "multi01", "mcl01"}) {
            try {
                SipParser.parse(load("rfc4475", n));
                fail(n + " accepted");
            } catch (SipParseException e) {
                assertNotNull(n + ": partial request", e.partialRequest());
                assertEquals(n, 400, e.partialRequest().createResponse(400).status());
            }
        }
    }
}
