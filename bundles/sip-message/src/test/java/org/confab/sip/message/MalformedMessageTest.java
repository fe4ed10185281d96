package org.confab.sip.message;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;

/** Malformed messages (RFC 4475 §3.1.2 and more): each is rejected with a message that says what was wrong. */
public class MalformedMessageTest {

    private static SipParseException reject(String text) {
        return reject(Messages.crlf(text));
    }

    private static SipParseException reject(byte[] data) {
        try {
            SipMessage m = SipParser.parse(data);
            fail("parsed but should not have: " + m);
            return null;
        } catch (SipParseException e) {
            return e;
        }
    }

    private static void assertMessage(String expectedStart, SipParseException e) {
        assertTrue("message was: " + e.getMessage(), e.getMessage().startsWith(expectedStart));
    }

    private static String without(String header) {
        StringBuilder sb = new StringBuilder();
        for (String line : Messages.options("").split("\n", -1)) {
            if (!line.startsWith(header + ":")) {
                sb.append(line).append('\n');
            }
        }
        return sb.substring(0, sb.length() - 1);
    }

    @Test
    public void missingMandatoryHeaders() {
        for (String h : new String[] {"To", "From", "CSeq", "Call-ID", "Via"}) {
            SipParseException e = reject(without(h));
            assertEquals("Missing mandatory header: " + h, e.getMessage());
            assertEquals(400, e.status());
        }
    }

    @Test
    public void insufficientHeadersStillGivesPartialRequest() {
        // RFC 4475 §3.1.2.? insuf: no To, From, Call-ID
        SipParseException e = reject("INVITE sip:user@example.com SIP/2.0\n"
                + "CSeq: 193942 INVITE\n"
                + "Via: SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf\n"
                + "l: 0\n\n");
        assertEquals("Missing mandatory header: To", e.getMessage());
        SipRequest partial = e.partialRequest();
        assertNotNull(partial);
        assertEquals("INVITE", partial.method());
        assertEquals("z9hG4bKkdj.insuf", partial.topVia().branch());
        assertEquals(193942, partial.cseq().number());
    }

    @Test
    public void badCseqNumber() {
        SipParseException e = reject(Messages.options("").replace("CSeq: 63104 OPTIONS", "CSeq: fhdjkgfhdkjhgkj"));
        assertMessage("Bad CSeq: sequence number is not a number", e);
        SipParseException big = reject(Messages.options("").replace("CSeq: 63104", "CSeq: 36893488147419103232"));
        assertMessage("Bad CSeq: sequence number larger than 2^32-1", big);
    }

    @Test
    public void cseqMethodMustMatchRequestLine() {
        SipParseException e = reject(Messages.options("").replace("CSeq: 63104 OPTIONS", "CSeq: 63104 INVITE"));
        assertEquals("Bad CSeq: method 'INVITE' does not match request line method 'OPTIONS'", e.getMessage());
        // the 400 can still be built: Via, From, To, Call-ID are there; the bad CSeq is not
        SipRequest partial = e.partialRequest();
        assertEquals("3848276298220188511@pc.example.com", partial.callId());
        assertNull(partial.header("CSeq"));
        SipResponse r = partial.createResponse(400, "Bad CSeq");
        assertEquals("z9hG4bK74bf9", r.topVia().branch());
        assertEquals("9fxced76sl", r.from().tag());
    }

    @Test
    public void negativeOrGarbageContentLength() {
        assertEquals("Bad Content-Length: '-5' is not a number",
                reject(Messages.options("").replace("Content-Length: 0", "Content-Length: -5")).getMessage());
        assertEquals("Bad Content-Length: 'ten' is not a number",
                reject(Messages.options("").replace("Content-Length: 0", "Content-Length: ten")).getMessage());
        assertMessage("Bad Content-Length: 18446744073709551616 is too large",
                reject(Messages.options("").replace("Content-Length: 0", "Content-Length: 18446744073709551616")));
    }

    @Test
    public void contentLengthLargerThanBody() {
        // RFC 4475 §3.1.2.2 clerr
        SipParseException e = reject(Messages.options("").replace("Content-Length: 0", "Content-Length: 9999") + "v=0\n");
        assertMessage("Content-Length exceeds message", e);
        assertNotNull(e.partialRequest());
    }

    @Test
    public void differentContentLengths() {
        assertEquals("Bad Content-Length: several different values",
                reject(Messages.options("Content-Length: 3\n")).getMessage());
    }

    @Test
    public void badRequestLines() {
        // RFC 4475 §3.1.2.8 lwsstart
        assertMessage("Bad request line: expected 'Method SP Request-URI SP SIP-Version' separated by single spaces",
                reject(Messages.options("").replace("OPTIONS sip:bob@example.com SIP/2.0", "OPTIONS  sip:bob@example.com  SIP/2.0")));
        // RFC 4475 §3.1.2.9 trws: trailing whitespace
        assertMessage("Bad request line",
                reject(Messages.options("").replace("SIP/2.0\n", "SIP/2.0  \n")));
        assertMessage("Bad request line: expected",
                reject(Messages.options("").replace("OPTIONS sip:bob@example.com SIP/2.0", "OPTIONS")));
        assertEquals("Bad SIP version: 'HTTP/1.1'",
                reject(Messages.options("").replace(" SIP/2.0\n", " HTTP/1.1\n")).getMessage());
    }

    @Test
    public void illegalWhitespaceInMethod() {
        SipParseException e = reject(Messages.options("").replace("OPTIONS sip:bob@example.com SIP/2.0", "OPT IONS sip:bob@example.com SIP/2.0"));
        assertMessage("Bad request line: expected 'Method SP Request-URI SP SIP-Version' separated by single spaces", e);
        SipParseException tab = reject(Messages.options("").replace("OPTIONS sip:", "OPT\tIONS sip:"));
        assertEquals("Bad request line: illegal character in method 'OPT\tIONS'", tab.getMessage());
        assertNull(tab.partialRequest());
    }

    @Test
    public void lwsInRequestUri() {
        // RFC 4475 §3.1.2.7 lwsruri
        assertMessage("Bad request line",
                reject(Messages.options("").replace("sip:bob@example.com SIP", "sip:bob@example.com; lr SIP")));
    }

    @Test
    public void unsupportedVersionIs505() {
        // RFC 4475 §3.1.2.15 badvers
        SipParseException e = reject("OPTIONS sip:t.watson@example.org SIP/7.0\n"
                + "Via:     SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw\n"
                + "Max-Forwards:     70\n"
                + "From:    A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe\n"
                + "To:      T. Watson <sip:t.watson@example.org>\n"
                + "Call-ID: badvers.31417@c.example.com\n"
                + "CSeq:    1 OPTIONS\n"
                + "l: 0\n\n");
        assertEquals(505, e.status());
        assertEquals("Unsupported SIP version: SIP/7.0", e.getMessage());
        SipRequest partial = e.partialRequest();
        assertEquals("badvers.31417@c.example.com", partial.callId());
        SipResponse r = partial.createResponse(505);
        assertEquals("Version Not Supported", r.reason());
        assertEquals("qweoiqpe", r.from().tag());
    }

    @Test
    public void unterminatedQuotedString() {
        // RFC 4475 §3.1.2.5 quotbal
        SipParseException e = reject(Messages.options("").replace("To: <sip:bob@example.com>",
                "To: \"Mr. J. User <sip:j.user@example.com>"));
        assertEquals("Bad To: unterminated quoted string in display name: \"Mr. J. User <sip:j.user@example.com>", e.getMessage());
    }

    @Test
    public void badVia() {
        // RFC 4475 §3.1.2.1 badinv01
        assertMessage("Bad Via: parameter name expected",
                reject(Messages.options("").replace(";branch=z9hG4bK74bf9", ";;,;,,")));
        assertMessage("Bad Via: '/' expected in sent-protocol",
                reject(Messages.options("").replace("SIP/2.0/UDP pc", "SIP/2.0 UDP pc")));
        assertMessage("Bad Via: bad port",
                reject(Messages.options("").replace("pc.example.com:5060", "pc.example.com:99999")));
        assertMessage("Bad Via: missing sent-by host",
                reject(Messages.options("").replace("SIP/2.0/UDP pc.example.com:5060;branch=z9hG4bK74bf9", "SIP/2.0/UDP")));
    }

    @Test
    public void badUris() {
        // RFC 4475 §3.1.2.6 ltgtruri
        assertEquals("Bad Request-URI: no scheme in '<sip:bob@example.com>'",
                reject(Messages.options("").replace("OPTIONS sip:bob@example.com", "OPTIONS <sip:bob@example.com>")).getMessage());
        SipParseException bad = reject(Messages.options("").replace("OPTIONS sip:bob@example.com", "OPTIONS sip:bob@exa^mple.com"));
        assertEquals("Bad Request-URI: illegal character '^' in host 'exa^mple.com' in 'sip:bob@exa^mple.com'", bad.getMessage());
        assertNull(bad.partialRequest().requestUri());
        assertEquals(400, bad.partialRequest().createResponse(400).status());
        // RFC 4475 §3.1.2.10 escruri
        assertMessage("Bad Request-URI: headers ('?...') are not allowed",
                reject(Messages.options("").replace("sip:bob@example.com SIP", "sip:bob@example.com?Route=%3Csip:example.com%3E SIP")));
        // RFC 4475 §3.1.2.13 badaspec: whitespace inside <>
        assertMessage("Bad To: ",
                reject(Messages.options("").replace("To: <sip:bob@example.com>", "To: \"Watson, Thomas\" < sip:t.watson@example.org >")));
        // RFC 4475 §3.1.2.14 baddn: unquoted display name with a comma
        assertEquals("Bad From: no scheme in 'Bell,'",
                reject(Messages.options("").replace("From: Alice <sip:alice@example.com>", "From: Bell, Alexander <sip:a.g.bell@example.com>"))
                        .getMessage());
        // RFC 5118 §4.5: IPv6 address without brackets
        assertMessage("Bad Request-URI: bad port",
                reject(Messages.options("").replace("sip:bob@example.com SIP", "sip:2001:db8::10 SIP")));
        assertMessage("Bad Request-URI: illegal character '%' in user part",
                reject(Messages.options("").replace("sip:bob@example.com SIP", "sip:b%zzob@example.com SIP")));
    }

    @Test
    public void headerWithoutColon() {
        assertEquals("Bad header line (no colon): 'Subject this has no colon'",
                reject(Messages.options("Subject this has no colon\n")).getMessage());
        assertEquals("Bad header line: illegal header name in 'Sub[ject: x'",
                reject(Messages.options("Sub[ject: x\n")).getMessage());
    }

    @Test
    public void nonNumericMaxForwards() {
        assertEquals("Bad Max-Forwards: 'seventy' is not a number from 0 to 255",
                reject(Messages.options("").replace("Max-Forwards: 70", "Max-Forwards: seventy")).getMessage());
        // RFC 4475 §3.1.2.3 scalar02: Max-Forwards 300
        assertEquals("Bad Max-Forwards: '300' is not a number from 0 to 255",
                reject(Messages.options("").replace("Max-Forwards: 70", "Max-Forwards: 300")).getMessage());
    }

    @Test
    public void badExpires() {
        assertEquals("Bad Expires: 'soon' is not a number of seconds", reject(Messages.options("Expires: soon\n")).getMessage());
    }

    @Test
    public void duplicateSingleValueHeaders() {
        assertEquals("Duplicate To header", reject(Messages.options("To: <sip:carol@example.com>\n")).getMessage());
        assertEquals("Duplicate Call-ID header", reject(Messages.options("i: other@pc\n")).getMessage());
    }

    @Test
    public void badStatusLines() {
        String rest = "Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe\n"
                + "Call-ID: bigcode.asdof3uj203asdnf3429uasdhfas3ehjasdfas9i\n"
                + "CSeq: 353494 INVITE\n"
                + "From: <sip:user@example.com>;tag=39ansfi3\n"
                + "To: <sip:user@example.edu>;tag=902jndnke3\n"
                + "Content-Length: 0\n\n";
        // RFC 4475 §3.1.2.? bigcode
        SipParseException e = reject("SIP/2.0 4294967301 better not break the receiver\n" + rest);
        assertEquals("Bad status line: status code is not three digits: 'SIP/2.0 4294967301 better not break the receiver'",
                e.getMessage());
        assertNull(e.partialRequest());
        assertEquals("Bad status line: status code out of range: 999", reject("SIP/2.0 999 Nine\n" + rest).getMessage());
        assertEquals("Unsupported SIP version: SIP/3.0", reject("SIP/3.0 200 OK\n" + rest).getMessage());
    }

    @Test
    public void incompleteMessages() {
        assertEquals("Empty message", reject("\n\n").getMessage());
        assertEquals("Incomplete message: start line not terminated", reject("OPTIONS sip:bob@example.com SIP/2.0").getMessage());
        String noBlank = Messages.options("");
        assertEquals("Incomplete message: header section not terminated by an empty line",
                reject(noBlank.substring(0, noBlank.length() - 1)).getMessage());
    }

    @Test
    public void continuationLineWithoutHeader() {
        assertEquals("Bad header line: continuation line without a header: ' folded'",
                reject(Messages.options("").replace("SIP/2.0\n", "SIP/2.0\n folded\n"))
                        .getMessage());
    }

    @Test
    public void badCallId() {
        assertEquals("Bad Call-ID: illegal character in 'a b@c'",
                reject(Messages.options("").replace("Call-ID: 3848276298220188511@pc.example.com", "Call-ID: a b@c")).getMessage());
    }
}
