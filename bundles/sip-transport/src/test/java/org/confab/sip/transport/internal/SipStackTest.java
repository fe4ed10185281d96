package org.confab.sip.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.confab.api.transport.ClientTransaction;
import org.confab.api.transport.Destination;
import org.confab.api.transport.Flow;
import org.confab.api.transport.OutboundInterceptor;
import org.confab.api.transport.ServerTransaction;
import org.confab.api.transport.SipApplication;
import org.confab.api.transport.TransportException;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.confab.sip.message.Via;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The stack above a fake network: RFC 3261 §18 processing, malformed input, flows, SipClient. */
public class SipStackTest {

    private final ApplicationRegistry apps = new ApplicationRegistry();
    private final InterceptorRegistry interceptors = new InterceptorRegistry();
    private final FakeTimer timer = new FakeTimer();
    private final FakeNetwork network = new FakeNetwork();
    private final List<ServerTransaction> received = new ArrayList<>();
    private SipStack stack;

    @Before
    public void setUp() throws Exception {
        stack = new SipStack(StackConfig.defaults().withAdvertisedHost("198.51.100.7"), apps, interceptors, timer,
                Runnable::run, inbound -> network);
        stack.start();
        stack.addListener(new ListenerSpec("udp", "0.0.0.0", 5070));
        stack.addListener(new ListenerSpec("tcp", "127.0.0.1", 5071));
        apps.add(tx -> {
            received.add(tx);
            tx.respond(tx.createResponse(200));
        }, Map.of(SipApplication.METHOD_PROPERTY, "MESSAGE"));
    }

    @After
    public void tearDown() {
        stack.stop();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String message(String via) {
        return "MESSAGE sip:bob@example.com SIP/2.0\r\nVia: " + via + "\r\n"
                + "From: <sip:a@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: s1\r\nCSeq: 1 MESSAGE\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    @Test
    public void ownSentBysFollowTheListeners() throws Exception {
        assertEquals(List.of("198.51.100.7:5070", "127.0.0.1:5071"), stack.ownSentBys());
        ListenerSpec extra = new ListenerSpec("tcp", "::1", 5072);
        stack.addListener(extra);
        assertEquals(List.of("198.51.100.7:5070", "127.0.0.1:5071", "0:0:0:0:0:0:0:1:5072"), stack.ownSentBys());
        stack.removeListener(new ListenerSpec("udp", "0.0.0.0", 5070));
        assertEquals(List.of("127.0.0.1:5071", "0:0:0:0:0:0:0:1:5072"), stack.ownSentBys());
        stack.removeListener(extra);
        assertEquals(List.of("127.0.0.1:5071"), stack.ownSentBys());
    }

    @Test
    public void receivedIsAddedWhenTheSentByIsNotTheSource() {
        FakeFlow flow = new FakeFlow("u1", "UDP", new InetSocketAddress("203.0.113.5", 5060));
        network.udp.put(new InetSocketAddress("203.0.113.5", 5060), flow);
        stack.onMessage(flow, bytes(message("SIP/2.0/UDP client.example.com;branch=z9hG4bKv1")));
        Via via = received.get(0).request().topVia();
        assertEquals("203.0.113.5", via.received());
        assertFalse(via.hasRport());
        SipResponse ok = flow.response(0);
        assertEquals("203.0.113.5", ok.topVia().received());
    }

    @Test
    public void noReceivedWhenTheSentByIsTheSource() {
        FakeFlow flow = new FakeFlow("u1", "UDP", new InetSocketAddress("203.0.113.5", 5060));
        stack.onMessage(flow, bytes(message("SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bKv2")));
        assertNull(received.get(0).request().topVia().received());
        assertEquals(1, flow.count());
    }

    @Test
    public void aReceivedWrittenByTheSenderIsReplacedByTheRealSource() {
        // RFC 5118 via-received-param: a received naming someone else must not steer the response (reflection)
        FakeFlow flow = new FakeFlow("u1", "UDP", new InetSocketAddress("203.0.113.5", 5060));
        network.udp.put(new InetSocketAddress("203.0.113.5", 5060), flow);
        stack.onMessage(flow, bytes(message("SIP/2.0/UDP 203.0.113.5:5060;received=198.51.100.77;branch=z9hG4bKv2r")));
        assertEquals("203.0.113.5", received.get(0).request().topVia().received());
        assertEquals(List.of(200), flow.statuses());
        assertNull("nothing for the address the sender named", network.udp.get(new InetSocketAddress("198.51.100.77", 5060)));
    }

    @Test
    public void rportIsFilledAndTheResponseGoesToTheSourcePort() {
        // RFC 3581 §4: behind a NAT the response goes to received:rport, not to the sent-by port
        FakeFlow flow = new FakeFlow("u1", "UDP", new InetSocketAddress("203.0.113.5", 40000));
        stack.onMessage(flow, bytes(message("SIP/2.0/UDP 10.0.0.2:5060;rport;branch=z9hG4bKv3")));
        Via via = received.get(0).request().topVia();
        assertEquals("203.0.113.5", via.received());
        assertEquals(40000, via.rport());
        assertEquals(1, flow.count());
    }

    @Test
    public void udpResponseWithoutRportGoesToTheSentByPort() {
        FakeFlow flow = new FakeFlow("u1", "UDP", new InetSocketAddress("203.0.113.5", 40000));
        stack.onMessage(flow, bytes(message("SIP/2.0/UDP 203.0.113.5:5062;branch=z9hG4bKv4")));
        assertEquals(0, flow.count());
        FakeFlow target = network.udp.get(new InetSocketAddress("203.0.113.5", 5062));
        assertEquals(List.of(200), target.statuses());
    }

    @Test
    public void malformedRequestGets400WithTheParserReason() {
        FakeFlow flow = FakeFlow.udp();
        stack.onMessage(flow, bytes(message("SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKv5").replace("CSeq: 1 MESSAGE", "CSeq: 1 INVITE")));
        assertEquals(1, flow.count());
        // the partial request has no (bad) CSeq, so the 400 is checked as text
        String response = new String(flow.raw().get(0), StandardCharsets.UTF_8);
        String statusLine = response.substring(0, response.indexOf("\r\n"));
        assertTrue(statusLine, statusLine.startsWith("SIP/2.0 400 Bad CSeq"));
        assertTrue(response, response.contains("branch=z9hG4bKv5"));
        assertTrue(received.isEmpty());
    }

    @Test
    public void aDatagramWithAnUnreadableViaGets400AtItsSourceAddress() {
        // RFC 4475 §3.1.2.1 badinv01: no Via to answer to, so the 400 goes back to where the datagram came from
        FakeFlow flow = FakeFlow.udp();
        stack.onMessage(flow, bytes(message("SIP/2.0/UDP 192.0.2.15;;,;,,")));
        assertEquals(1, flow.count());
        String response = new String(flow.raw().get(0), StandardCharsets.UTF_8);
        assertTrue(response, response.startsWith("SIP/2.0 400 "));
        assertTrue(received.isEmpty());
    }

    @Test
    public void unparseableDatagramIsDropped() {
        FakeFlow flow = FakeFlow.udp();
        stack.onMessage(flow, bytes("this is not SIP at all\r\n\r\n"));
        assertEquals(0, flow.count());
        assertTrue(flow.isOpen());
    }

    @Test
    public void oversizeClaimIsAnswered513AndTheConnectionClosedAfterFlush() {
        FakeFlow flow = FakeFlow.tcp();
        String head = message("SIP/2.0/TCP 192.0.2.10:5062;branch=z9hG4bKv6").replace("Content-Length: 0", "Content-Length: 2147483648");
        stack.onFramingError(flow, 513, "Message Too Large", bytes(head));
        assertEquals(List.of(513), flow.statuses());
        assertEquals("Message Too Large", flow.response(0).reason());
        assertTrue("open a moment for answers already underway", flow.isOpen());
        timer.advance(SipStack.CLOSE_LINGER_MS);
        assertTrue(flow.closedAfterFlush());
    }

    @Test
    public void garbageClosesWithoutResponse() {
        FakeFlow flow = FakeFlow.tcp();
        stack.onFramingError(flow, 0, "Not a SIP start line", null);
        assertEquals(0, flow.count());
        timer.advance(SipStack.CLOSE_LINGER_MS - 1);
        assertTrue("answers to requests framed before the garbage may still leave", flow.isOpen());
        timer.advance(1);
        assertFalse(flow.isOpen());
    }

    @Test
    public void connectionsAreInTheFlowTableUntilClosedAndListenersAreTold() {
        FakeFlow flow = FakeFlow.tcp();
        List<String> closed = new ArrayList<>();
        stack.addFlowListener(f -> closed.add(f.id()));
        stack.flowOpened(flow);
        assertSame(flow, stack.find(flow.id()).orElseThrow());
        assertTrue(stack.flows().contains(flow));
        flow.close(false);
        stack.flowClosed(flow);
        assertTrue(stack.find(flow.id()).isEmpty());
        assertEquals(List.of(flow.id()), closed);
    }

    @Test
    public void udpFlowIdsAreRebuiltWhileTheListenerRuns() {
        String id = FlowTable.udpFlowId(new InetSocketAddress("0.0.0.0", 5070), new InetSocketAddress("203.0.113.9", 5099));
        Flow f = stack.find(id).orElseThrow();
        assertEquals(new InetSocketAddress("203.0.113.9", 5099), f.remoteAddress());
        assertTrue(stack.find("udp/garbage").isEmpty());
    }

    @Test
    public void sendPushesOurViaAndUsesTheGivenFlow() {
        FakeFlow flow = FakeFlow.tcp();
        stack.flowOpened(flow);
        LayerFixture.Recorder rec = new LayerFixture.Recorder();
        ClientTransaction tx = stack.send(Messages.outgoing("MESSAGE"), Destination.flow(flow.id()), rec);
        SipRequest sent = flow.request(0);
        Via via = sent.topVia();
        assertEquals("TCP", via.transport());
        assertEquals("127.0.0.1", via.host());
        assertEquals(5071, via.port());
        assertTrue(via.hasMagicCookie());
        assertEquals(tx.branch(), via.branch());
        stack.onMessage(flow, Messages.responseTo(sent, 200, "t").toBytes());
        assertEquals(List.of(200), rec.statuses());
        assertTrue(rec.responses.get(0).vias().isEmpty());
    }

    @Test
    public void sendToAClosedFlowIsATransportErrorAndFlowOrAddressFallsBack() {
        LayerFixture.Recorder rec = new LayerFixture.Recorder();
        ClientTransaction tx = stack.send(Messages.outgoing("MESSAGE"), Destination.flow("tcp/gone/1"), rec);
        assertEquals(1, rec.errors.size());
        assertTrue(tx.isTerminated());

        LayerFixture.Recorder rec2 = new LayerFixture.Recorder();
        stack.send(Messages.outgoing("MESSAGE"), Destination.flowOrAddress("tcp/gone/1", "tcp", "192.0.2.30", 5060), rec2);
        assertTrue(rec2.errors.isEmpty());
        assertEquals(1, network.connections.size());
        assertEquals("MESSAGE", network.connections.get(0).request(0).method());
    }

    @Test
    public void addressDestinationReusesAnOpenConnection() {
        FakeFlow flow = new FakeFlow("tcp-9", "TCP", new InetSocketAddress("192.0.2.40", 5060));
        stack.flowOpened(flow);
        stack.send(Messages.outgoing("OPTIONS"), Destination.address("tcp", "192.0.2.40", 5060), new LayerFixture.Recorder());
        assertEquals(1, flow.count());
        assertTrue(network.connections.isEmpty());
    }

    @Test
    public void udpAddressDestinationSendsADatagramWithOurUdpSentBy() {
        stack.send(Messages.outgoing("OPTIONS"), Destination.address("udp", "192.0.2.41", 5060), new LayerFixture.Recorder());
        FakeFlow f = network.udp.get(new InetSocketAddress("192.0.2.41", 5060));
        Via via = f.request(0).topVia();
        assertEquals("UDP", via.transport());
        assertEquals("advertised host for a listener on all addresses", "198.51.100.7", via.host());
        assertEquals(5070, via.port());
    }

    @Test
    public void localSentByPerTransport() {
        assertEquals("198.51.100.7:5070", stack.localSentBy("udp"));
        assertEquals("127.0.0.1:5071", stack.localSentBy("TCP"));
    }

    @Test
    public void localSentByFollowsTheListeners() throws Exception {
        // no TLS listener: the first listener's (the UDP one, on the advertised host)
        assertEquals("198.51.100.7:5070", stack.localSentBy("tls"));
        stack.removeListener(new ListenerSpec("tcp", "127.0.0.1", 5071));
        assertEquals("198.51.100.7:5070", stack.localSentBy("TCP"));
        stack.addListener(new ListenerSpec("tcp", "127.0.0.2", 5072));
        assertEquals("127.0.0.2:5072", stack.localSentBy("tcp"));
        stack.removeListener(new ListenerSpec("udp", "0.0.0.0", 5070));
        assertEquals("127.0.0.2:5072", stack.localSentBy("UDP"));
        assertEquals("127.0.0.2:5072", stack.localSentBy(null));
    }

    @Test
    public void interceptorsRunInRankingOrderBeforeEncoding() throws TransportException {
        List<String> order = new ArrayList<>();
        OutboundInterceptor low = (m, f) -> order.add("low");
        OutboundInterceptor high = (m, f) -> {
            order.add("high");
            m.setHeader("X-Signed", f.id());
        };
        interceptors.add(low, Map.of("service.ranking", 1, "service.id", 1L));
        interceptors.add(high, Map.of("service.ranking", 10, "service.id", 2L));
        FakeFlow flow = FakeFlow.tcp();
        stack.flowOpened(flow);
        stack.sendStateless(Messages.outgoing("MESSAGE"), Destination.flow(flow.id()));
        assertEquals(List.of("high", "low"), order);
        assertTrue(new String(flow.raw().get(0), StandardCharsets.UTF_8).contains("X-Signed: " + flow.id() + "\r\n"));
    }

    @Test(expected = TransportException.class)
    public void sendStatelessToAGoneFlowThrows() throws TransportException {
        stack.sendStateless(Messages.outgoing("MESSAGE"), Destination.flow("tcp/none/1"));
    }

    @Test
    public void closedConnectionFailsItsClientTransactions() {
        FakeFlow flow = FakeFlow.tcp();
        stack.flowOpened(flow);
        LayerFixture.Recorder rec = new LayerFixture.Recorder();
        stack.send(Messages.outgoing("MESSAGE"), Destination.flow(flow.id()), rec);
        flow.close(false);
        stack.flowClosed(flow);
        assertEquals(1, rec.errors.size());
    }
}
