package org.confab.sip.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.confab.api.transport.Destination;
import org.confab.api.transport.ServerTransaction;
import org.confab.api.transport.SipApplication;
import org.confab.sip.message.SipParser;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Real MINA sockets on 127.0.0.1, ephemeral ports. */
public class SipStackSocketTest {

    private static final int TIMEOUT_MS = 5000;

    private final ApplicationRegistry apps = new ApplicationRegistry();
    private final BlockingQueue<ServerTransaction> seen = new LinkedBlockingQueue<>();
    private SipStack stack;
    private InetSocketAddress udp;
    private InetSocketAddress tcp;

    @Before
    public void setUp() throws Exception {
        StackConfig config = StackConfig.defaults().withAppExecutor(2, 100)
                .withExpectedMethods("REGISTER,MESSAGE");
        stack = new SipStack(config, apps, new InterceptorRegistry());
        stack.start();
        udp = stack.addListener(new ListenerSpec("udp", "127.0.0.1", 0));
        tcp = stack.addListener(new ListenerSpec("tcp", "127.0.0.1", 0));
        apps.add(tx -> {
            seen.add(tx);
            tx.respond(tx.createResponse(200));
        }, Map.of(SipApplication.METHOD_PROPERTY, "MESSAGE"));
    }

    @After
    public void tearDown() {
        stack.stop();
    }

    private static String request(String method, String transport, int localPort, String branch, String body) {
        return method + " sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " 127.0.0.1:" + localPort + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>\r\n"
                + "Call-ID: " + branch + "@test\r\nCSeq: 1 " + method + "\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** A TCP peer reading Content-Length framed messages. */
    private static final class Peer implements AutoCloseable {
        final Socket socket;
        final InputStream in;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(TIMEOUT_MS);
            this.in = socket.getInputStream();
        }

        static Peer connect(InetSocketAddress to) throws IOException {
            return new Peer(new Socket(to.getAddress(), to.getPort()));
        }

        int port() {
            return socket.getLocalPort();
        }

        void send(String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        }

        void send(byte[] data) throws IOException {
            socket.getOutputStream().write(data);
            socket.getOutputStream().flush();
        }

        String readMessage() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed after " + head);
                }
                head.write(b);
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1
                        : b == '\r' ? 1 : 0;
            }
            String h = head.toString(StandardCharsets.UTF_8);
            int length = 0;
            for (String line : h.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }

        /** True when the server closed the connection (EOF) within the timeout. */
        boolean closedByServer() throws IOException {
            try {
                while (in.read() >= 0) {
                    // drain whatever the server wrote before closing
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException reset) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static SipResponse parse(String text) throws Exception {
        return (SipResponse) SipParser.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private SipResponse udpExchange(DatagramSocket socket, String text) throws Exception {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(data, data.length, udp));
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        return (SipResponse) SipParser.parse(buf, 0, p.getLength());
    }

    @Test
    public void udpRequestGetsTheApplicationsResponse() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, udp.getAddress())) {
            socket.setSoTimeout(TIMEOUT_MS);
            SipResponse r = udpExchange(socket, request("MESSAGE", "UDP", socket.getLocalPort(), "z9hG4bKu1", "hi"));
            assertEquals(200, r.status());
            assertEquals("MESSAGE", r.cseq().method());
            ServerTransaction tx = seen.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertNotNull(tx);
            assertEquals("UDP", tx.flow().transport());
            assertEquals("hi", new String(tx.request().body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    public void tcpRequestGetsTheApplicationsResponse() throws Exception {
        try (Peer peer = Peer.connect(tcp)) {
            peer.send(request("MESSAGE", "TCP", peer.port(), "z9hG4bKt1", "hello"));
            SipResponse r = parse(peer.readMessage());
            assertEquals(200, r.status());
            assertTrue(seen.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS).flow().isReliable());
        }
    }

    @Test
    public void pipelinedRequestsInOneSegmentAreAllAnsweredInOrder() throws Exception {
        // one read holds all of them: their roles run inline and the answers leave as one batch
        // (MinaStreamFlow), which must be written at the read's end and keep the requests' order
        try (Peer peer = Peer.connect(tcp)) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                all.append(request("MESSAGE", "TCP", peer.port(), "z9hG4bKpipe" + i, "n" + i));
            }
            peer.send(all.toString());
            for (int i = 0; i < 20; i++) {
                SipResponse r = parse(peer.readMessage());
                assertEquals(200, r.status());
                assertEquals("z9hG4bKpipe" + i + "@test", r.callId());
            }
            assertEquals(20, seen.size());
        }
    }

    @Test
    public void messagesSplitAcrossManyReadsAreFramedWhole() throws Exception {
        // Each piece is a separate TCP read on the server (MINA asks the codec factory for the
        // decoder on every read): the partial message must survive between them.
        try (Peer peer = Peer.connect(tcp)) {
            peer.socket.setTcpNoDelay(true);
            for (int i = 0; i < 3; i++) {
                byte[] m = request("MESSAGE", "TCP", peer.port(), "z9hG4bKsplit" + i, "piece " + i)
                        .getBytes(StandardCharsets.UTF_8);
                int[] cuts = {0, 7, m.length / 2, m.length - 3, m.length};
                for (int c = 0; c + 1 < cuts.length; c++) {
                    peer.send(java.util.Arrays.copyOfRange(m, cuts[c], cuts[c + 1]));
                    Thread.sleep(30);
                }
                assertEquals(200, parse(peer.readMessage()).status());
                assertEquals("piece " + i, new String(seen.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS).request().body(),
                        StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    public void methodWithoutApplicationGets405WithAllow() throws Exception {
        try (Peer peer = Peer.connect(tcp)) {
            peer.send(request("FROB", "TCP", peer.port(), "z9hG4bKt2", ""));
            SipResponse r = parse(peer.readMessage());
            assertEquals(405, r.status());
            assertEquals("MESSAGE", r.header("Allow"));
        }
    }

    @Test
    public void expectedMethodWithoutApplicationGets503WithRetryAfter() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, udp.getAddress())) {
            socket.setSoTimeout(TIMEOUT_MS);
            SipResponse r = udpExchange(socket, request("REGISTER", "UDP", socket.getLocalPort(), "z9hG4bKu2", ""));
            assertEquals(503, r.status());
            assertEquals("5", r.header("Retry-After"));
        }
    }

    @Test
    public void malformedRequestGets400WithTheReasonAndTheConnectionStaysUsable() throws Exception {
        try (Peer peer = Peer.connect(tcp)) {
            peer.send(request("MESSAGE", "TCP", peer.port(), "z9hG4bKt3", "").replace("CSeq: 1 MESSAGE", "CSeq: x MESSAGE"));
            String response = peer.readMessage();
            assertTrue(response, response.startsWith("SIP/2.0 400 Bad CSeq"));
            peer.send(request("MESSAGE", "TCP", peer.port(), "z9hG4bKt4", ""));
            assertEquals(200, parse(peer.readMessage()).status());
        }
    }

    @Test
    public void malformedDatagramGets400WithTheReasonAndTheNextOneIsServed() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, udp.getAddress())) {
            socket.setSoTimeout(TIMEOUT_MS);
            String bad = request("MESSAGE", "UDP", socket.getLocalPort(), "z9hG4bKu3", "")
                    .replace("Max-Forwards: 70", "Max-Forwards: lots");
            SipResponse r = udpExchange(socket, bad);
            assertEquals(400, r.status());
            assertTrue(r.reason(), r.reason().contains("Max-Forwards"));
            assertEquals(200, udpExchange(socket, request("MESSAGE", "UDP", socket.getLocalPort(), "z9hG4bKu4", "")).status());
        }
    }

    @Test
    public void keepAlivePingIsAnsweredWithCrlf() throws Exception {
        try (Peer peer = Peer.connect(tcp)) {
            peer.send("\r\n\r\n");
            assertEquals('\r', peer.in.read());
            assertEquals('\n', peer.in.read());
            peer.send(request("MESSAGE", "TCP", peer.port(), "z9hG4bKt5", ""));
            assertEquals(200, parse(peer.readMessage()).status());
        }
    }

    @Test
    public void oversizeContentLengthGets513AndClose() throws Exception {
        try (Peer peer = Peer.connect(tcp)) {
            peer.send(request("MESSAGE", "TCP", peer.port(), "z9hG4bKt6", "").replace("Content-Length: 0", "Content-Length: 2147483648"));
            String response = peer.readMessage();
            assertTrue(response, response.startsWith("SIP/2.0 513 Message Too Large"));
            assertTrue(peer.closedByServer());
        }
    }

    @Test
    public void missingContentLengthOnTcpGets400AndClose() throws Exception {
        try (Peer peer = Peer.connect(tcp)) {
            peer.send(request("MESSAGE", "TCP", peer.port(), "z9hG4bKt7", "").replace("Content-Length: 0\r\n", ""));
            String response = peer.readMessage();
            assertTrue(response, response.startsWith("SIP/2.0 400 Missing Content-Length"));
            assertTrue(peer.closedByServer());
        }
    }

    @Test
    public void garbageClosesOnlyThatConnection() throws Exception {
        try (Peer good = Peer.connect(tcp); Peer bad = Peer.connect(tcp)) {
            good.send(request("MESSAGE", "TCP", good.port(), "z9hG4bKg1", ""));
            assertEquals(200, parse(good.readMessage()).status());
            bad.send(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, (byte) 0xff, 0x0a});
            assertTrue(bad.closedByServer());
            good.send(request("MESSAGE", "TCP", good.port(), "z9hG4bKg2", ""));
            assertEquals(200, parse(good.readMessage()).status());
        }
    }

    @Test
    public void sendingOverAFlowIdReachesTheSameConnection() throws Exception {
        try (Peer peer = Peer.connect(tcp)) {
            peer.send(request("MESSAGE", "TCP", peer.port(), "z9hG4bKf1", ""));
            assertEquals(200, parse(peer.readMessage()).status());
            String flowId = seen.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS).flow().id();
            assertTrue(stack.find(flowId).isPresent());

            LayerFixture.Recorder rec = new LayerFixture.Recorder();
            stack.send(Messages.outgoing("MESSAGE"), Destination.flow(flowId), rec);
            SipRequest got = (SipRequest) SipParser.parse(peer.readMessage().getBytes(StandardCharsets.UTF_8));
            assertEquals("MESSAGE", got.method());
            assertEquals(tcp.getPort(), got.topVia().port());
            peer.send(new String(got.createResponse(200).toBytes(), StandardCharsets.UTF_8));
            long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (rec.statuses().isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(java.util.List.of(200), rec.statuses());
        }
    }

    @Test
    public void addressDestinationOpensAnOutboundConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, tcp.getAddress())) {
            server.setSoTimeout(TIMEOUT_MS);
            LayerFixture.Recorder rec = new LayerFixture.Recorder();
            stack.send(Messages.outgoing("OPTIONS"), Destination.address("tcp", "127.0.0.1", server.getLocalPort()), rec);
            try (Peer peer = new Peer(server.accept())) {
                SipRequest got = (SipRequest) SipParser.parse(peer.readMessage().getBytes(StandardCharsets.UTF_8));
                assertEquals("OPTIONS", got.method());
                assertEquals("TCP", got.topVia().transport());
                peer.send(new String(got.createResponse(200).toBytes(), StandardCharsets.UTF_8));
                long deadline = System.currentTimeMillis() + TIMEOUT_MS;
                while (rec.statuses().isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(java.util.List.of(200), rec.statuses());
                assertEquals("the connection is a flow too", 1, stack.flows().stream()
                        .filter(f -> f.remoteAddress().getPort() == server.getLocalPort()).count());
            }
        }
    }

    @Test
    public void closedConnectionLeavesTheFlowTableAndListenersAreTold() throws Exception {
        BlockingQueue<String> closed = new LinkedBlockingQueue<>();
        stack.addFlowListener(f -> closed.add(f.id()));
        String flowId;
        try (Peer peer = Peer.connect(tcp)) {
            peer.send(request("MESSAGE", "TCP", peer.port(), "z9hG4bKc1", ""));
            assertEquals(200, parse(peer.readMessage()).status());
            flowId = seen.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS).flow().id();
        }
        assertEquals(flowId, closed.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        assertTrue(stack.find(flowId).isEmpty());
    }
}
