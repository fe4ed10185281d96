package org.confab.sip.message;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.Test;

/** RFC 4475 §3.1.1 valid messages (plus RFC 5118 IPv6 and a multi-value message): they parse, with the right values. */
public class Rfc4475ValidTest {

    private static SipMessage parse(String name) throws SipParseException {
        byte[] data = Messages.resource(name);
        SipMessage m = SipParser.parse(data);
        // nothing changed: the output is the input, byte for byte
        assertArrayEquals(name + " round trip", data, m.toBytes());
        return m;
    }

    @Test
    public void shortTortuousInvite() throws Exception {
        SipRequest r = (SipRequest) parse("wsinv");
        assertEquals("INVITE", r.method());
        SipUri ruri = (SipUri) r.requestUri();
        assertEquals("vivekg", ruri.user());
        assertEquals("", ruri.parameter("unknownparam"));
        assertEquals("1918181833n", r.to().tag());
        assertEquals("sip:vivekg@chair-dnrc.example.com", r.to().uri().toString());
        assertEquals("J Rosenberg \\\"", r.from().displayName());
        assertEquals("98asjd8", r.from().tag());
        assertEquals(68, r.maxForwards());
        assertEquals("wsinv.ndaksdj@192.0.2.1", r.callId());
        assertEquals(9, r.cseq().number());
        assertEquals("INVITE", r.cseq().method());
        List<Via> vias = r.vias();
        assertEquals(3, vias.size());
        assertEquals("UDP", vias.get(0).transport());
        assertEquals("192.0.2.2", vias.get(0).host());
        assertEquals("390skdjuw", vias.get(0).branch());
        assertFalse(vias.get(0).hasMagicCookie());
        assertEquals("TCP", vias.get(1).transport());
        assertEquals("spindle.example.com", vias.get(1).host());
        assertEquals("z9hG4bK9ikj8", vias.get(1).branch());
        assertEquals("192.168.255.111", vias.get(2).host());
        assertEquals("z9hG4bK30239", vias.get(2).branch());
        assertEquals("", r.header("Subject"));
        assertEquals("newfangled value continued newfangled value", r.header("newfangledheader"));
        assertEquals(";;,,;;,;", r.header("UnknownHeaderWithUnusualValue"));
        assertEquals("<sip:services.example.com;lr;unknownwith=value;unknown-no-value>", r.header("Route"));
        NameAddr contact = r.contacts().get(0);
        assertEquals("Quoted string \"\"", contact.displayName());
        assertEquals("newvalue", contact.parameter("newparam"));
        assertEquals("", contact.parameter("secondparam"));
        assertEquals("0.33", contact.parameter("q"));
        assertEquals(150, r.body().length);
        assertTrue(new String(r.body(), StandardCharsets.US_ASCII).startsWith("v=0\r\n"));
        assertEquals(Arrays.asList("TO", "from", "MaX-fOrWaRdS", "Call-ID", "Content-Length", "cseq", "Via", "s",
                "NewFangledHeader", "UnknownHeaderWithUnusualValue", "Content-Type", "Route", "v", "m"), r.headerNames());
    }

    @Test
    public void wideRangeOfValidCharacters() throws Exception {
        SipRequest r = (SipRequest) parse("intmeth");
        assertEquals("!interesting-Method0123456789_*+`.%indeed'~", r.method());
        SipUri ruri = (SipUri) r.requestUri();
        assertEquals("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", ruri.user());
        assertEquals("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)", ruri.password());
        assertEquals("example.com", ruri.host());
        assertEquals("BEL:\u0007 NUL:\u0000 DEL:\u007f", r.to().displayName());
        assertEquals("token1~` token2'+_ token3*%!.-", r.from().displayName());
        assertEquals("_token~1'+`*%!-.", r.from().tag());
        assertEquals("\"\u0440\u0430\u0431\u043e\u0442\u0430\u044e\u0449\u0438\u0439\"", r.from().parameter("fromParam''~+*_!.-%"));
        assertEquals("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", r.callId());
        assertEquals(255, r.maxForwards());
        assertEquals("\u5927\u505c\u96fb", r.header("extensionHeader-!.%*+_`'~"));
        assertEquals("z9hG4bK-.!%66*_+`'~", r.topVia().branch());

        // a response copies the To with the escaped NUL and adds its tag (the 405 to this method did not go out)
        SipResponse resp = r.createResponse(405);
        resp.setHeader(HeaderNames.TO, resp.to().withTag("t1").toString());
        SipResponse back = (SipResponse) SipParser.parse(resp.toBytes());
        assertEquals("BEL:\u0007 NUL:\u0000 DEL:\u007f", back.to().displayName());
        assertEquals("t1", back.to().tag());
        try {
            resp.setHeader("X-Injected", "a\u0000b");
            fail("a bare NUL is no quoted-pair");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("NUL"));
        }
    }

    @Test
    public void escapedHeaders() throws Exception {
        SipRequest r = (SipRequest) parse("esc01");
        SipUri ruri = (SipUri) r.requestUri();
        assertEquals("sips:user@example.com", ruri.user());
        assertEquals("example.net", ruri.host());
        assertEquals("user", ((SipUri) r.to().uri()).user());
        assertEquals(SipUri.parseSip("sip:user@example.com"), r.to().uri());
        assertEquals("I have spaces", ((SipUri) r.from().uri()).user());
        assertEquals("esc01.239409asdfakjkn23onasd0-3234", r.callId());
        assertEquals("application/sdp", r.header("Content-Type"));
        SipUri contact = (SipUri) r.contacts().get(0).uri();
        assertEquals("caller", contact.user());
        assertEquals("", contact.parameter("lr"));
        assertEquals("v%61lue%25%34%31", contact.parameter("name"));
        assertEquals(SipUri.parseSip("sip:caller@host5.example.net;lr;name=value%2541"), contact);
    }

    @Test
    public void escapedNulls() throws Exception {
        SipRequest r = (SipRequest) parse("escnull");
        assertEquals("null-\u0000-null", ((SipUri) r.to().uri()).user());
        List<NameAddr> contacts = r.contacts();
        assertEquals(2, contacts.size());
        assertEquals("\u0000", ((SipUri) contacts.get(0).uri()).user());
        assertEquals("\u0000\u0000", ((SipUri) contacts.get(1).uri()).user());
        assertEquals(0, r.body().length);
        assertEquals("0", r.header("content-length"));
    }

    @Test
    public void escapedMethodAndHeaderName() throws Exception {
        SipRequest r = (SipRequest) parse("esc02");
        assertEquals("RE%47IST%45R", r.method());
        assertEquals("%Z%45", r.to().displayName());
        assertEquals("z9hG4bK209%fzsnel234", r.topVia().branch());
        // C%6Fntact is an unknown header, not Contact
        assertEquals(2, r.contacts().size());
        assertEquals("<sip:alias2@host2.example.com>", r.header("C%6Fntact"));
    }

    @Test
    public void noLwsBetweenDisplayNameAndAngleBracket() throws Exception {
        SipRequest r = (SipRequest) parse("lwsdisp");
        assertEquals("caller", r.from().displayName());
        assertEquals("sip:caller@example.com", r.from().uri().toString());
    }

    @Test
    public void longValues() throws Exception {
        SipRequest r = (SipRequest) parse("longreq");
        assertEquals(33, r.vias().size());
        assertEquals("sip33.example.com", r.topVia().host());
        assertEquals("sip1.example.com", r.vias().get(32).host());
        assertEquals(6000, ((SipUri) r.to().uri()).port());
        assertTrue(r.to().displayName().startsWith("I have a user name of extremeextreme"));
        assertEquals(104, r.from().tag().length());
        assertTrue(((SipUri) r.from().uri()).user().startsWith("amazinglylongcallername"));
        assertEquals(150, r.body().length);
    }

    @Test
    public void semicolonInUserPart() throws Exception {
        SipRequest r = (SipRequest) parse("semiuri");
        SipUri ruri = (SipUri) r.requestUri();
        assertEquals("user;par=u@example.net", ruri.user());
        assertEquals("example.com", ruri.host());
        assertTrue(ruri.parameters().isEmpty());
        assertEquals(Arrays.asList("application/sdp", "application/pkcs7-mime", "multipart/mixed", "multipart/signed",
                "message/sip", "message/sipfrag"), r.headerValues("Accept"));
    }

    @Test
    public void transports() throws Exception {
        SipRequest r = (SipRequest) parse("transports");
        String[] expected = {"UDP", "SCTP", "TLS", "UNKNOWN", "TCP"};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], r.vias().get(i).transport());
        }
        assertEquals("transports.kijh4akdnaqjkwendsasfdj", r.callId());
    }

    @Test
    public void utf8ReasonPhrase() throws Exception {
        SipResponse r = (SipResponse) parse("unreason");
        assertEquals(200, r.status());
        assertEquals("= 2**3 * 5**2 \u043d\u043e \u0441\u0442\u043e \u0434\u0435\u0432\u044f\u043d\u043e\u0441\u0442\u043e"
                + " \u0434\u0435\u0432\u044f\u0442\u044c - \u043f\u0440\u043e\u0441\u0442\u043e\u0435", r.reason());
        assertEquals(154, r.body().length);
    }

    @Test
    public void emptyReasonPhrase() throws Exception {
        SipResponse r = (SipResponse) parse("noreason");
        assertEquals(100, r.status());
        assertEquals("", r.reason());
    }

    @Test
    public void unknownSchemeInRequestUriParses() throws Exception {
        SipRequest r = (SipRequest) parse("unksm");
        assertTrue(r.requestUri() instanceof AbsoluteUri);
        assertEquals("nobodyknowsthisscheme", r.requestUri().scheme());
        assertEquals("nobodyKnowsThisScheme:totallyopaquecontent", r.requestUri().toString());
    }

    @Test
    public void unknownSchemesInHeaders() throws Exception {
        SipRequest r = (SipRequest) parse("unksm2");
        assertEquals("isbn", r.to().uri().scheme());
        assertEquals("http", r.from().uri().scheme());
        assertEquals("name:John_Smith", r.contacts().get(0).uri().toString());
    }

    @Test
    public void multipleValuesInSingleHeader() throws Exception {
        SipRequest r = (SipRequest) parse("mvi");
        assertEquals(3, r.vias().size());
        Via second = r.vias().get(1);
        assertEquals("proxy.example.net", second.host());
        assertEquals(5070, second.port());
        assertEquals("192.0.2.7", second.received());
        assertEquals(5071, second.rport());
        assertTrue(r.vias().get(2).hasRport());
        assertEquals(-1, r.vias().get(2).rport());
        assertEquals(2, r.headers("Via").size());
        assertEquals(Arrays.asList("<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"), r.headerValues("Route"));
        List<NameAddr> contacts = r.contacts();
        assertEquals(3, contacts.size());
        assertEquals("Smith, John", contacts.get(0).displayName());
        assertEquals("60", contacts.get(0).parameter("expires"));
        assertEquals("[2001:db8::1]", ((SipUri) contacts.get(1).uri()).host());
        assertEquals(5070, ((SipUri) contacts.get(1).uri()).port());
        // addr-spec form: the parameter belongs to the header, not to the URI (RFC 3261 §20.10)
        assertEquals("0", contacts.get(2).parameter("expires"));
        assertNull(((SipUri) contacts.get(2).uri()).parameter("expires"));
        assertEquals(Arrays.asList("path", "outbound", "gruu"), r.headerValues("k"));
        assertFalse(r.isWildcardContact());
    }

    @Test
    public void ipv6References() throws Exception {
        SipRequest r = (SipRequest) parse("ipv6");
        assertEquals("[2001:db8::10]", ((SipUri) r.requestUri()).host());
        Via v = r.topVia();
        assertEquals("[2001:db8::9:1]", v.host());
        assertEquals(6050, v.port());
        assertEquals("[2001:db8::9:255]", v.received());
        assertEquals("[2001:db8::1]", ((SipUri) r.contacts().get(0).uri()).host());
        assertEquals(-1, ((SipUri) r.contacts().get(0).uri()).port());
    }

    @Test
    public void compactFormsAreTheSameHeaders() throws Exception {
        SipRequest r = Messages.request("MESSAGE sip:bob@example.com SIP/2.0\n"
                + "v: SIP/2.0/TCP pc.example.com;branch=z9hG4bK1\n"
                + "f: <sip:alice@example.com>;tag=1\n"
                + "t: <sip:bob@example.com>\n"
                + "i: abc@pc\n"
                + "CSeq: 1 MESSAGE\n"
                + "m: <sip:alice@pc.example.com;transport=tcp>\n"
                + "c: text/plain\n"
                + "k: path\n"
                + "l: 5\n"
                + "\n"
                + "hello");
        assertEquals("abc@pc", r.callId());
        assertEquals("abc@pc", r.header("CALL-ID"));
        assertEquals("1", r.from().tag());
        assertEquals("text/plain", r.header(HeaderNames.CONTENT_TYPE));
        assertEquals("path", r.header("Supported"));
        assertEquals("tcp", ((SipUri) r.contacts().get(0).uri()).transport());
        assertEquals("hello", new String(r.body(), StandardCharsets.US_ASCII));
        assertEquals("Call-ID", HeaderNames.canonical("i"));
        assertEquals("Via", HeaderNames.canonical("V"));
        assertEquals("x-custom", HeaderNames.canonical("X-Custom"));
    }

    @Test
    public void leadingCrlfsAndBareLineFeedsAreTolerated() throws Exception {
        byte[] data = ("\r\n\r\n" + Messages.options("").replace("\n", "\r\n")).getBytes(StandardCharsets.US_ASCII);
        SipRequest r = (SipRequest) SipParser.parse(data);
        assertEquals("OPTIONS", r.method());
        SipRequest lf = (SipRequest) SipParser.parse(Messages.options("").getBytes(StandardCharsets.US_ASCII));
        assertEquals("63104 OPTIONS", lf.cseq().toString());
    }

    @Test
    public void bodyWithoutContentLengthIsTheRestOfTheDatagram() throws Exception {
        SipRequest r = Messages.request("MESSAGE sip:bob@example.com SIP/2.0\n"
                + "Via: SIP/2.0/UDP pc.example.com;branch=z9hG4bK1\n"
                + "From: <sip:alice@example.com>;tag=1\n"
                + "To: <sip:bob@example.com>\n"
                + "Call-ID: abc@pc\n"
                + "CSeq: 1 MESSAGE\n"
                + "\n"
                + "hi there");
        assertEquals("hi there", new String(r.body(), StandardCharsets.US_ASCII));
        assertEquals(-1, r.maxForwards());
    }

    @Test
    public void shorterContentLengthTruncatesTheBody() throws Exception {
        SipRequest r = Messages.request(Messages.options("").replace("Content-Length: 0", "Content-Length: 3") + "abcdef");
        assertEquals("abc", new String(r.body(), StandardCharsets.US_ASCII));
        assertTrue(new String(r.toBytes(), StandardCharsets.US_ASCII).endsWith("\r\n\r\nabc"));
    }

    @Test
    public void parseAtOffsetInLargerBuffer() throws Exception {
        byte[] msg = Messages.crlf(Messages.options(""));
        byte[] buf = new byte[msg.length + 20];
        System.arraycopy(msg, 0, buf, 10, msg.length);
        SipMessage m = SipParser.parse(buf, 10, msg.length);
        assertArrayEquals(msg, m.toBytes());
    }
}
