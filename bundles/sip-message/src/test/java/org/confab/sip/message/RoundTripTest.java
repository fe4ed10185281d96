package org.confab.sip.message;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.Test;

/** Serialisation: unchanged messages are byte-identical; changed ones are correct and parse again. */
public class RoundTripTest {

    private static final String INVITE = "INVITE sip:bob@biloxi.example.com SIP/2.0\n"
            + "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\n"
            + "Max-Forwards: 70\n"
            + "To: Bob <sip:bob@biloxi.example.com>\n"
            + "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
            + "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\n"
            + "CSeq: 314159 INVITE\n"
            + "Route: <sip:p1.example.com;lr>,<sip:p2.example.com;lr>\n"
            + "Contact: <sip:alice@pc33.atlanta.example.com>\n"
            + "Content-Type: text/plain\n"
            + "Content-Length: 5\n"
            + "\n"
            + "hello";

    private static String text(SipMessage m) {
        return new String(m.toBytes(), StandardCharsets.UTF_8);
    }

    @Test
    public void unchangedMessageIsByteIdentical() throws Exception {
        byte[] data = Messages.crlf(INVITE);
        assertArrayEquals(data, SipParser.parse(data).toBytes());
        byte[] folded = Messages.crlf(Messages.options("Subject: first\n  second   \n"));
        SipMessage m = SipParser.parse(folded);
        assertEquals("first second", m.header("subject"));
        assertArrayEquals(folded, m.toBytes());
    }

    @Test
    public void setHeaderReplacesInPlace() throws Exception {
        SipRequest r = Messages.request(INVITE);
        r.setHeader("Max-Forwards", "69");
        String out = text(r);
        assertTrue(out.contains("Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\nMax-Forwards: 69\r\nTo: Bob"));
        assertEquals(69, r.maxForwards());
        SipRequest again = (SipRequest) SipParser.parse(r.toBytes());
        assertEquals(69, again.maxForwards());
        assertEquals("hello", new String(again.body(), StandardCharsets.US_ASCII));
    }

    @Test
    public void unchangedFieldsKeepTheirOriginalBytes() throws Exception {
        byte[] data = Messages.crlf(Messages.options("Subject: first\n  second\nX-Odd  :   spaced  \n"));
        SipRequest r = (SipRequest) SipParser.parse(data);
        r.setHeader("Max-Forwards", "69");
        String out = text(r);
        assertTrue(out.contains("\r\nSubject: first\r\n  second\r\nX-Odd  :   spaced  \r\n"));
        assertEquals(data.length, r.toBytes().length);
    }

    @Test
    public void setHeaderOfManyFieldsLeavesOne() throws Exception {
        SipRequest r = Messages.request(Messages.options("Supported: a\nSupported: b\n"));
        r.setHeader("k", "c");
        assertEquals(Arrays.asList("c"), r.headers("Supported"));
        assertEquals(1, r.headerNames().stream().filter(n -> n.equals("k")).count());
    }

    @Test
    public void addHeaderFirstPutsViaOnTop() throws Exception {
        SipRequest r = Messages.request(INVITE);
        r.addHeaderFirst("Via", "SIP/2.0/TCP proxy.example.com;branch=z9hG4bKproxy1");
        r.addHeaderFirst("Record-Route", "<sip:proxy.example.com;lr>");
        assertEquals("z9hG4bKproxy1", r.topVia().branch());
        assertEquals(2, r.vias().size());
        SipRequest again = (SipRequest) SipParser.parse(r.toBytes());
        assertEquals("z9hG4bKproxy1", again.topVia().branch());
        assertEquals("z9hG4bK776asdhds", again.vias().get(1).branch());
        assertEquals("Record-Route", again.headerNames().get(0));
        assertTrue(text(again).startsWith("INVITE sip:bob@biloxi.example.com SIP/2.0\r\nRecord-Route: <sip:proxy.example.com;lr>\r\n"
                + "Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bKproxy1\r\nVia: SIP/2.0/UDP pc33"));
    }

    @Test
    public void removeFirstValuePopsFromAList() throws Exception {
        SipRequest r = Messages.request(INVITE);
        assertEquals("<sip:p1.example.com;lr>", r.removeFirstValue("Route"));
        assertEquals("<sip:p2.example.com;lr>", r.header("Route"));
        SipRequest again = (SipRequest) SipParser.parse(r.toBytes());
        assertEquals(Arrays.asList("<sip:p2.example.com;lr>"), again.headerValues("Route"));
        assertEquals("<sip:p2.example.com;lr>", again.removeFirstValue("route"));
        assertFalse(again.hasHeader("Route"));
        assertNull(again.removeFirstValue("Route"));
        assertTrue(SipParser.parse(again.toBytes()).headerValues("Route").isEmpty());
    }

    @Test
    public void removeTopViaOfAResponse() throws Exception {
        SipResponse resp = (SipResponse) SipParser.parse(Messages.crlf("SIP/2.0 200 OK\n"
                + "v: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp, SIP/2.0/UDP pc.example.com;branch=z9hG4bKc\n"
                + "From: <sip:a@example.com>;tag=1\n"
                + "To: <sip:b@example.com>;tag=2\n"
                + "Call-ID: x@y\n"
                + "CSeq: 1 MESSAGE\n"
                + "Content-Length: 0\n\n"));
        assertEquals("z9hG4bKp", resp.topVia().branch());
        assertEquals("SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp", resp.removeFirstValue("Via"));
        assertEquals("z9hG4bKc", resp.topVia().branch());
        SipResponse again = (SipResponse) SipParser.parse(resp.toBytes());
        assertEquals(1, again.vias().size());
        assertTrue(text(again).contains("\r\nv: SIP/2.0/UDP pc.example.com;branch=z9hG4bKc\r\n"));
    }

    @Test
    public void removeHeaderCountsFields() throws Exception {
        SipRequest r = Messages.request(Messages.options("Supported: a\nk: b\n"));
        assertEquals(2, r.removeHeader("SUPPORTED"));
        assertEquals(0, r.removeHeader("Supported"));
        assertFalse(text(r).contains("upported"));
    }

    @Test
    public void addHeaderAppendsAfterTheLastOfItsName() throws Exception {
        SipRequest r = Messages.request(Messages.options("Supported: a\nAccept: text/plain\n"));
        r.addHeader("Supported", "b");
        r.addHeader("X-New", "1");
        assertEquals(Arrays.asList("a", "b"), r.headers("Supported"));
        String out = text(r);
        assertTrue(out.contains("Supported: a\r\nSupported: b\r\nAccept: text/plain\r\n"));
        assertTrue(out.endsWith("Content-Length: 0\r\nX-New: 1\r\n\r\n"));
    }

    @Test
    public void setBodyComputesContentLength() throws Exception {
        SipRequest r = Messages.request(INVITE);
        r.setBody("application/pidf+xml", "<presence/>".getBytes(StandardCharsets.UTF_8));
        assertEquals("11", r.header("Content-Length"));
        assertEquals("application/pidf+xml", r.header("c"));
        SipRequest again = (SipRequest) SipParser.parse(r.toBytes());
        assertEquals("<presence/>", new String(again.body(), StandardCharsets.UTF_8));
        r.setBody(null, null);
        assertFalse(r.hasHeader("Content-Type"));
        assertEquals(0, SipParser.parse(r.toBytes()).body().length);
        assertEquals("0", r.header("l"));
    }

    @Test
    public void setRequestUriRewritesTheStartLineOnly() throws Exception {
        SipRequest r = Messages.request(INVITE);
        r.setRequestUri(Uri.parse("sip:bob@192.0.2.4:5062;transport=tcp"));
        String out = text(r);
        assertTrue(out.startsWith("INVITE sip:bob@192.0.2.4:5062;transport=tcp SIP/2.0\r\nVia: SIP/2.0/UDP pc33"));
        assertTrue(out.endsWith("Content-Length: 5\r\n\r\nhello"));
    }

    @Test
    public void copyIsIndependent() throws Exception {
        SipRequest r = Messages.request(INVITE);
        SipRequest c = r.copy();
        c.setHeader("Max-Forwards", "10");
        c.setRequestUri(Uri.parse("sip:other@example.com"));
        assertEquals(70, r.maxForwards());
        assertEquals("sip:bob@biloxi.example.com", r.requestUri().toString());
        assertArrayEquals(Messages.crlf(INVITE), r.toBytes());
        assertEquals(10, c.maxForwards());
    }

    @Test
    public void builtRequestSerialisesAndParses() throws Exception {
        SipRequest r = new SipRequest("MESSAGE", Uri.parse("sip:bob@example.com"));
        r.addHeader(HeaderNames.VIA, new Via("TCP", "192.0.2.1", 5060, "z9hG4bKabc").toString());
        r.addHeader(HeaderNames.MAX_FORWARDS, "70");
        r.addHeader(HeaderNames.FROM, new NameAddr("Alice", Uri.parse("sip:alice@example.com")).withTag("t1").toString());
        r.addHeader(HeaderNames.TO, new NameAddr(null, Uri.parse("sip:bob@example.com")).toString());
        r.addHeader(HeaderNames.CALL_ID, "c1@192.0.2.1");
        r.addHeader(HeaderNames.CSEQ, new CSeq(1, "MESSAGE").toString());
        r.setBody("text/plain", "hi".getBytes(StandardCharsets.US_ASCII));
        String out = text(r);
        assertEquals("MESSAGE sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bKabc\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"Alice\" <sip:alice@example.com>;tag=t1\r\n"
                + "To: <sip:bob@example.com>\r\n"
                + "Call-ID: c1@192.0.2.1\r\n"
                + "CSeq: 1 MESSAGE\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: 2\r\n"
                + "\r\n"
                + "hi", out);
        SipRequest again = (SipRequest) SipParser.parse(r.toBytes());
        assertEquals("Alice", again.from().displayName());
    }

    @Test
    public void builtMessageWithoutContentLengthGetsOne() {
        SipResponse r = new SipResponse(200, null);
        assertEquals("SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", text(r));
    }

    @Test(expected = IllegalArgumentException.class)
    public void headerInjectionIsRefused() throws Exception {
        Messages.request(INVITE).setHeader("Subject", "x\r\nVia: evil");
    }
}
