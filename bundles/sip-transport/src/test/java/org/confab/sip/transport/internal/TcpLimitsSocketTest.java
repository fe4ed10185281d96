package org.confab.sip.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.confab.api.transport.SipApplication;
import org.confab.sip.message.SipParser;
import org.confab.sip.message.SipResponse;
import org.confab.sip.transport.internal.mina.MinaNetwork;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * TCP limits over real sockets on loopback: max.connections.per.source (excess connections closed
 * at accept, per source address, a freed place usable again) and header.timeout.s (a header section
 * trickled byte by byte, or begun and stalled, gets the connection closed; other connections go on).
 */
public class TcpLimitsSocketTest {

    private static final int MAX_PER_SOURCE = 3;

    private final ApplicationRegistry apps = new ApplicationRegistry();
    private final AtomicInteger served = new AtomicInteger();
    private final ExecutorService appExecutor = Executors.newFixedThreadPool(2);
    private final List<Socket> sockets = new ArrayList<>();
    private MinaNetwork network;
    private SipStack stack;
    private InetSocketAddress tcp;
    private int seq;

    @Before
    public void setUp() throws Exception {
        StackConfig config = StackConfig.defaults()
                .withMaxConnectionsPerSource(MAX_PER_SOURCE).withHeaderTimeoutSeconds(1);
        stack = new SipStack(config, apps, new InterceptorRegistry(), new ScheduledTimerService(), appExecutor,
                inbound -> network = new MinaNetwork(config, inbound));
        stack.start();
        tcp = stack.addListener(new ListenerSpec("tcp", "127.0.0.1", 0));
        apps.add(tx -> {
            served.incrementAndGet();
            tx.respond(tx.createResponse(200));
        }, Map.of(SipApplication.METHOD_PROPERTY, "OPTIONS"));
    }

    @After
    public void tearDown() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        stack.stop();
        appExecutor.shutdownNow();
    }

    private Socket connect(String localAddress) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        s.connect(tcp, 2000);
        s.setSoTimeout(2000);
        return s;
    }

    private String options(Socket s) {
        seq++;
        return "OPTIONS sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP " + s.getLocalAddress().getHostAddress() + ":" + s.getLocalPort()
                + ";branch=z9hG4bKtl" + seq + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>\r\n"
                + "Call-ID: tl" + seq + "@test\r\nCSeq: " + seq + " OPTIONS\r\nContent-Length: 0\r\n\r\n";
    }

    /** Sends an OPTIONS and reads the response's status. */
    private int roundTrip(Socket s) throws Exception {
        s.getOutputStream().write(options(s).getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        int n = 0;
        while (true) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                throw new IOException("closed by the server");
            }
            n += r;
            String text = new String(buf, 0, n, StandardCharsets.US_ASCII);
            if (text.contains("\r\n\r\n")) {
                return ((SipResponse) SipParser.parse(buf, 0, n)).status();
            }
        }
    }

    /** Whether the server closed the connection within the time (read gives end of stream or a reset). */
    private static boolean closedWithin(Socket s, long ms) throws IOException {
        s.setSoTimeout((int) ms);
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private void awaitCount(InetAddress source, int expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 3000;
        while (network.connectionsFrom(source) != expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, network.connectionsFrom(source));
    }

    @Test
    public void connectionsBeyondThePerSourceLimitAreClosedAtAccept() throws Exception {
        InetAddress one = InetAddress.getByName("127.0.0.1");
        List<Socket> admitted = new ArrayList<>();
        for (int i = 0; i < MAX_PER_SOURCE; i++) {
            Socket s = connect("127.0.0.1");
            assertEquals(200, roundTrip(s));
            admitted.add(s);
        }
        Socket excess = connect("127.0.0.1");
        assertTrue("the excess connection is closed", closedWithin(excess, 2000));
        assertEquals(1, network.refusedConnections());
        assertEquals(MAX_PER_SOURCE, served.get());
        // another source address is counted on its own
        Socket other = connect("127.0.0.2");
        assertEquals(200, roundTrip(other));
        // the admitted connections are undisturbed; closing one frees a place
        for (Socket s : admitted) {
            assertEquals(200, roundTrip(s));
        }
        admitted.get(0).close();
        awaitCount(one, MAX_PER_SOURCE - 1);
        Socket again = connect("127.0.0.1");
        assertEquals(200, roundTrip(again));
        awaitCount(one, MAX_PER_SOURCE);
    }

    @Test
    public void aHeaderTrickledByteByByteIsTimedOutAndOthersGoOn() throws Exception {
        Socket good = connect("127.0.0.1");
        assertEquals(200, roundTrip(good));
        Socket trickle = connect("127.0.0.1");
        Socket stall = connect("127.0.0.1");
        stall.getOutputStream().write("OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1".getBytes(
                StandardCharsets.US_ASCII));
        byte[] endless = (options(trickle).replace("\r\n\r\n", "\r\n") + "X-Pad: ").getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        boolean closed = false;
        // one byte every 100 ms; bounded at 8 s (the timeout is 1 s, the sweep runs every 250 ms)
        for (int i = 0; i < 80 && !closed; i++) {
            try {
                trickle.getOutputStream().write(endless[i % endless.length]);
                trickle.getOutputStream().flush();
            } catch (IOException e) {
                closed = true;
                break;
            }
            closed = closedWithin(trickle, 100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue("the trickling connection is closed", closed);
        assertTrue("closed after the 1 s timeout, not before: " + seconds, seconds >= 0.9 && seconds < 5.0);
        assertTrue("the stalled header section is closed too", closedWithin(stall, 2000));
        assertEquals(2, network.slowHeaderClosures());
        // a connection that sends whole messages is left alone, before and after the timeout
        assertEquals(200, roundTrip(good));
        Thread.sleep(1300);
        assertEquals(200, roundTrip(good));
        assertEquals(2, network.slowHeaderClosures());
    }
}
