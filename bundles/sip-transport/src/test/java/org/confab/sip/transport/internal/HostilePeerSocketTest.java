package org.confab.sip.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.confab.api.transport.SipApplication;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.SipParser;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * RFC 3261 §16.3 checks and hostile-peer defences over real UDP sockets on 127.0.0.1: loops (482),
 * Proxy-Require (420), other SIP versions (505), missing headers (400), scanners (silence) and the
 * per-source rate limit (503), with a registered source exempt.
 */
public class HostilePeerSocketTest {

    private static final int LIMIT = 10;

    private final ApplicationRegistry apps = new ApplicationRegistry();
    private final AtomicInteger served = new AtomicInteger();
    private SipStack stack;
    private InetSocketAddress udp;
    private DatagramSocket peer;
    private int seq;

    @Before
    public void setUp() throws Exception {
        StackConfig config = StackConfig.defaults().withAppExecutor(2, 100)
                .withRateLimit(LIMIT, 60_000, false);
        stack = new SipStack(config, apps, new InterceptorRegistry());
        stack.start();
        udp = stack.addListener(new ListenerSpec("udp", "127.0.0.1", 0));
        apps.add(tx -> {
            served.incrementAndGet();
            tx.respond(tx.createResponse(200));
        }, Map.of(SipApplication.METHOD_PROPERTY, "OPTIONS"));
        apps.add(tx -> {
            SipResponse ok = tx.createResponse(200);
            ok.setHeader(HeaderNames.CONTACT, tx.request().header(HeaderNames.CONTACT) + ";expires=3600");
            tx.respond(ok);
        }, Map.of(SipApplication.METHOD_PROPERTY, "REGISTER"));
        peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        peer.setSoTimeout(2000);
    }

    @After
    public void tearDown() {
        peer.close();
        stack.stop();
    }

    private String request(String method, String extra) {
        seq++;
        return method + " sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + peer.getLocalPort() + ";branch=z9hG4bKhp" + seq + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>\r\n"
                + "Call-ID: hp" + seq + "@test\r\nCSeq: " + seq + " " + method + "\r\n" + extra
                + "Content-Length: 0\r\n\r\n";
    }

    private void send(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        peer.send(new DatagramPacket(b, b.length, udp));
    }

    private SipResponse receive() throws Exception {
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        peer.receive(p);
        return (SipResponse) SipParser.parse(buf, 0, p.getLength());
    }

    private void assertSilence(int ms) throws IOException {
        peer.setSoTimeout(ms);
        try {
            byte[] buf = new byte[65535];
            peer.receive(new DatagramPacket(buf, buf.length));
            fail("a response came: " + new String(buf, StandardCharsets.UTF_8).trim());
        } catch (SocketTimeoutException expected) {
            peer.setSoTimeout(2000);
        }
    }

    @Test
    public void loopedRequestGets482AndASpiralPasses() throws Exception {
        // the request as we would have forwarded it: our Via with the loop hash of the request in its branch
        SipRequest fwd = (SipRequest) SipParser.parse(request("OPTIONS", "").getBytes(StandardCharsets.UTF_8));
        String ours = "SIP/2.0/UDP 127.0.0.1:" + udp.getPort() + ";branch=" + LoopDetector.branch(fwd);
        fwd.addHeaderFirst(HeaderNames.VIA, ours);
        fwd.addHeaderFirst(HeaderNames.VIA, "SIP/2.0/UDP 127.0.0.1:" + peer.getLocalPort() + ";branch=z9hG4bKloop2");
        send(new String(fwd.toBytes(), StandardCharsets.UTF_8));
        SipResponse r = receive();
        assertEquals(482, r.status());
        assertEquals("z9hG4bKloop2", r.topVia().branch());
        assertEquals(0, served.get());
        // RFC 3261 §16.3 step 4: a spiral (Request-URI changed) is not a loop
        fwd.setRequestUri(org.confab.sip.message.Uri.parse("sip:carol@example.com"));
        fwd.removeFirstValue(HeaderNames.VIA);
        fwd.addHeaderFirst(HeaderNames.VIA, "SIP/2.0/UDP 127.0.0.1:" + peer.getLocalPort() + ";branch=z9hG4bKloop3");
        send(new String(fwd.toBytes(), StandardCharsets.UTF_8));
        assertEquals(200, receive().status());
        assertEquals(1, served.get());
    }

    @Test
    public void unknownProxyRequireGets420ButMsBenotifyPasses() throws Exception {
        // RFC 4475 §3.3.5 bext01
        send(request("OPTIONS", "Require: nothingSupportsThis\r\n"
                + "Proxy-Require: noProxiesSupportThis, norDoAnyProxiesSupportThis\r\n"));
        SipResponse r = receive();
        assertEquals(420, r.status());
        assertEquals("noProxiesSupportThis, norDoAnyProxiesSupportThis", r.header(HeaderNames.UNSUPPORTED));
        send(request("OPTIONS", "Proxy-Require: ms-benotify\r\n"));
        assertEquals(200, receive().status());
    }

    @Test
    public void otherVersionGets505AndMissingHeaderGets400() throws Exception {
        send(request("OPTIONS", "").replace(" SIP/2.0\r\nVia", " SIP/7.0\r\nVia"));
        assertEquals(505, receive().status());
        send(request("OPTIONS", "").replaceAll("Call-ID: [^\r]*\r\n", ""));
        // the 400 copies what the request had: no Call-ID, so read it as text
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        peer.receive(p);
        String text = new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
        assertTrue(text, text.startsWith("SIP/2.0 400 Missing mandatory header: Call-ID\r\n"));
    }

    @Test
    public void scannersAreDroppedSilently() throws Exception {
        send(request("OPTIONS", "User-Agent: friendly-scanner\r\n"));
        send(request("OPTIONS", "User-Agent: SIPVicious 0.3\r\n"));
        assertSilence(500);
        assertEquals(0, served.get());
    }

    @Test
    public void sourceOverTheRateLimitGets503UntilItRegisters() throws Exception {
        for (int i = 0; i < LIMIT; i++) {
            send(request("OPTIONS", ""));
            assertEquals(200, receive().status());
        }
        send(request("OPTIONS", ""));
        SipResponse busy = receive();
        assertEquals(503, busy.status());
        assertEquals("5", busy.header(HeaderNames.RETRY_AFTER));
        assertEquals(LIMIT, served.get());
        // a registered source is not limited (the REGISTER is itself over the limit: let a fresh guard window pass)
        stack.guard().registered(InetAddress.getLoopbackAddress(), System.nanoTime() / 1_000_000 + 60_000);
        for (int i = 0; i < 5; i++) {
            send(request("OPTIONS", ""));
            assertEquals(200, receive().status());
        }
        assertEquals(LIMIT + 5, served.get());
    }

    @Test
    public void a2xxToRegisterExemptsTheSource() {
        PeerGuard g = new PeerGuard(1, 60_000, true, StackConfig.parseList("sipvicious"), 2);
        InetAddress a = InetAddress.getLoopbackAddress();
        SipRequest r;
        try {
            r = (SipRequest) SipParser.parse(request("OPTIONS", "").getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertEquals(PeerGuard.Verdict.ACCEPT, g.check(r, a, 0));
        assertEquals(PeerGuard.Verdict.DROP, g.check(r, a, 1));
        g.registered(a, 10_000);
        assertEquals(PeerGuard.Verdict.ACCEPT, g.check(r, a, 2));
        // the window ends: counting starts again
        assertEquals(PeerGuard.Verdict.ACCEPT, g.check(r, a, 70_000));
        assertEquals(PeerGuard.Verdict.DROP, g.check(r, a, 70_001));
        assertTrue(g.trackedSources() <= 2);
    }
}
