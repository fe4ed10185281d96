package org.confab.sip.message;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.Test;

/** createResponse (RFC 3261 §8.2.6) and reason phrases. */
public class SipRequestTest {

    private static final String REGISTER = "REGISTER sip:example.com SIP/2.0\n"
            + "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1;received=192.0.2.2\n"
            + "v: SIP/2.0/UDP pc.example.com:5060;branch=z9hG4bKc1;rport=5060\n"
            + "Max-Forwards: 69\n"
            + "From: Bob <sip:bob@example.com>;tag=456248\n"
            + "To: Bob <sip:bob@example.com>\n"
            + "Call-ID: 843817637684230@998sdasdh09\n"
            + "CSeq: 1826 REGISTER\n"
            + "Contact: <sip:bob@192.0.2.4>\n"
            + "Timestamp: 54\n"
            + "Expires: 7200\n"
            + "Content-Length: 0\n\n";

    @Test
    public void createResponseCopiesTheRightHeaders() throws Exception {
        SipRequest req = Messages.request(REGISTER);
        SipResponse r = req.createResponse(200);
        assertEquals(200, r.status());
        assertEquals("OK", r.reason());
        assertFalse(r.isRequest());
        assertEquals(Arrays.asList("Via", "v", "From", "To", "Call-ID", "CSeq", "Timestamp", "Content-Length"), r.headerNames());
        assertEquals(2, r.vias().size());
        assertEquals("z9hG4bKp1", r.topVia().branch());
        assertEquals("z9hG4bKc1", r.vias().get(1).branch());
        assertEquals("456248", r.from().tag());
        assertEquals(null, r.to().tag());
        assertEquals(req.callId(), r.callId());
        assertEquals(req.cseq(), r.cseq());
        assertFalse(r.hasHeader("Contact"));
        assertFalse(r.hasHeader("Expires"));
        String wire = new String(r.toBytes(), StandardCharsets.UTF_8);
        assertTrue(wire, wire.startsWith("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1;received=192.0.2.2\r\n"
                + "v: SIP/2.0/UDP pc.example.com:5060;branch=z9hG4bKc1;rport=5060\r\nFrom: Bob <sip:bob@example.com>;tag=456248\r\n"));
        assertTrue(wire.endsWith("Content-Length: 0\r\n\r\n"));
        SipResponse again = (SipResponse) SipParser.parse(r.toBytes());
        assertEquals(1826, again.cseq().number());
    }

    @Test
    public void responseReusesTheRequestsParsedValuesUntilChanged() throws Exception {
        SipRequest req = Messages.request(REGISTER);
        // the transport's received stamp: the request's Vias change before the response is built
        Via stamped = req.topVia().withParameter("received", "192.0.2.77");
        req.removeFirstValue("Via");
        req.addHeaderFirst("Via", stamped.toString());
        SipResponse r = req.createResponse(200);
        assertSame(req.to(), r.to());
        assertSame(req.from(), r.from());
        assertSame(req.cseq(), r.cseq());
        assertEquals(req.vias(), r.vias());
        assertEquals("192.0.2.77", r.topVia().received());
        r.setHeader("To", r.to().withTag("srv1").toString());
        assertEquals("srv1", r.to().tag());
        assertEquals(null, req.to().tag());
        r.removeFirstValue("Via");
        assertEquals(1, r.vias().size());
        assertEquals(2, req.vias().size());
    }

    @Test
    public void createResponseWithReasonAndToTag() throws Exception {
        SipRequest req = Messages.request(REGISTER);
        SipResponse r = req.createResponse(423, "Too Short");
        r.setHeader("To", r.to().withTag("srv1").toString());
        r.addHeader("Min-Expires", "3600");
        SipResponse again = (SipResponse) SipParser.parse(r.toBytes());
        assertEquals("Too Short", again.reason());
        assertEquals("srv1", again.to().tag());
        assertEquals("3600", again.header("min-expires"));
        // the request is untouched
        assertEquals(null, req.to().tag());
    }

    @Test
    public void defaultReasons() {
        assertEquals("Trying", SipResponse.defaultReason(100));
        assertEquals("Accepted", SipResponse.defaultReason(202));
        assertEquals("No Notification", SipResponse.defaultReason(204));
        assertEquals("Interval Too Brief", SipResponse.defaultReason(423));
        assertEquals("Provide Referrer Identity", SipResponse.defaultReason(429));
        assertEquals("Bad Event", SipResponse.defaultReason(489));
        assertEquals("Call/Transaction Does Not Exist", SipResponse.defaultReason(481));
        assertEquals("Version Not Supported", SipResponse.defaultReason(505));
        assertEquals("Does Not Exist Anywhere", SipResponse.defaultReason(604));
        assertEquals("Client Error", SipResponse.defaultReason(499));
        int[] rfc3261 = {100, 180, 181, 182, 183, 200, 300, 301, 302, 305, 380, 400, 401, 402, 403, 404, 405, 406, 407, 408,
            410, 413, 414, 415, 416, 420, 421, 480, 481, 482, 483, 484, 485, 486, 487, 488, 491, 493, 500, 501, 502, 503,
            504, 505, 513, 600, 603, 604, 606};
        for (int code : rfc3261) {
            String generic = SipResponse.defaultReason(code - code % 100 + 99);
            assertFalse("specific phrase for " + code, SipResponse.defaultReason(code).equals(generic) && code != 200);
        }
    }

    @Test(expected = IllegalArgumentException.class)
    public void statusOutOfRange() {
        new SipResponse(99, null);
    }

    @Test
    public void ackAndCancelCseqMethods() throws Exception {
        String ack = Messages.options("").replace("OPTIONS sip:", "ACK sip:").replace("63104 OPTIONS", "63104 ACK");
        SipRequest r = Messages.request(ack);
        assertEquals("ACK", r.cseq().method());
        String cancel = Messages.options("").replace("OPTIONS sip:", "CANCEL sip:").replace("63104 OPTIONS", "63104 CANCEL");
        assertEquals("CANCEL", Messages.request(cancel).method());
    }
}
