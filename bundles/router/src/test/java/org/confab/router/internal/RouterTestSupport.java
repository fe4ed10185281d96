package org.confab.router.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.confab.api.transport.Flow;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.SipParseException;
import org.confab.sip.message.SipParser;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.junit.Before;

/** A router wired to fakes: domain example.com, users alice and bob, alice calling over TCP. */
abstract class RouterTestSupport {

    static final String ALICE = "sip:alice@example.com";
    static final String BOB = "sip:bob@example.com";
    static final String ALICE_CREDENTIALS = "Proxy-Authorization: Test " + ALICE;

    final FakeSipClient client = new FakeSipClient();
    final FakeStores.Domains domains = new FakeStores.Domains();
    final FakeStores.Users users = new FakeStores.Users();
    final FakeStores.Locations locations = new FakeStores.Locations();
    final FakeAuthenticator auth = new FakeAuthenticator();
    final FakeFlow aliceFlow = new FakeFlow("flow-alice", "TCP", "192.0.2.10", 50123);
    final Router router = new Router();

    @Before
    public void wire() {
        router.client = client;
        router.domains = domains;
        router.users = users;
        router.locations = locations;
        router.authenticator = auth;
        domains.served.add("example.com");
        users.add(ALICE, true);
        users.add(BOB, true);
    }

    /**
     * A request from alice (over TCP, Via with a branch) to bob; a header given replaces the
     * default of that name, "-Name" leaves the default out.
     */
    static SipRequest request(String method, String ruri, String... headers) {
        List<String> given = new ArrayList<>(List.of(headers));
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(ruri).append(" SIP/2.0\r\n");
        defaultHeader(sb, given, "Via", "SIP/2.0/TCP 192.0.2.10:50123;branch=z9hG4bKcaller1");
        defaultHeader(sb, given, "Max-Forwards", "70");
        defaultHeader(sb, given, "From", "<" + ALICE + ">;tag=a1");
        defaultHeader(sb, given, "To", "<" + BOB + ">");
        defaultHeader(sb, given, "Call-ID", "call-1@192.0.2.10");
        defaultHeader(sb, given, "CSeq", "1 " + method);
        for (String h : given) {
            if (!h.startsWith("-")) {
                sb.append(h).append("\r\n");
            }
        }
        sb.append("Content-Length: 0\r\n\r\n");
        return parse(sb.toString());
    }

    private static void defaultHeader(StringBuilder sb, List<String> given, String name, String value) {
        for (String h : given) {
            if (h.equals("-" + name) || h.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return;
            }
        }
        sb.append(name).append(": ").append(value).append("\r\n");
    }

    static SipRequest parse(String text) {
        try {
            return (SipRequest) SipParser.parse(text.getBytes(StandardCharsets.UTF_8));
        } catch (SipParseException e) {
            throw new AssertionError("test message does not parse: " + e.getMessage() + "\n" + text, e);
        }
    }

    /** Hands the request to the router as arriving on the flow. */
    FakeServerTransaction handle(SipRequest request, Flow flow) {
        FakeServerTransaction tx = new FakeServerTransaction(request, flow, "ACK".equals(request.method()));
        router.onRequest(tx);
        return tx;
    }

    FakeServerTransaction handle(SipRequest request) {
        return handle(request, aliceFlow);
    }

    /** The callee's response to a forwarded request (the proxy's Via already gone, as the transport does). */
    static SipResponse answer(FakeSipClient.Sent sent, int status) {
        SipResponse response = sent.request().createResponse(status);
        if (status > 100) {
            response.setHeader(HeaderNames.TO, response.to().withTag("callee" + sent.ct().branch()).toString());
        }
        return response;
    }

    static void respond(FakeSipClient.Sent sent, int status) {
        sent.listener().onResponse(answer(sent, status));
    }
}
