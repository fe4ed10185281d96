package org.confab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.confab.sip.message.SipResponse;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * One source floods, a registered user keeps its latency (issue 4): alice and bob register over TCP from
 * 127.0.0.1 and measure MESSAGE round trips unloaded; then a flooder on 127.0.0.2 sends OPTIONS, REGISTER
 * and MESSAGE without credentials over UDP at 5000 requests/s (bounded: 5 s, 100000 requests) while alice
 * keeps measuring. (Unpaced, the sender in the same JVM reached 65000/s on 2 cores and most datagrams were
 * lost in the kernel; that measures CPU starvation of the whole machine, not the per-source limit.) The transport's PeerGuard lets an unregistered source through for 40 requests per 2 s
 * (defaults) and answers the rest 503; registered addresses are exempt. Asserted: the flooder got 503s and
 * at most the rate limit's worth of other answers, and alice's loaded p99 stays within twice her unloaded
 * p99, with a floor of {@value #P99_FLOOR_MS} ms so that a sub-millisecond unloaded figure does not make
 * the test flaky on a shared machine.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FloodTest extends ConfabPaxExamSupport {

    static final long P99_FLOOR_MS = 10;
    private static final int ROUND_TRIPS = 100;
    private static final long FLOOD_MS = 5_000;
    private static final int FLOOD_MAX_REQUESTS = 100_000;
    /** Requests per second: 250 times the rate limit; unpaced, an in-process sender only measures UDP drops. */
    private static final int FLOOD_RATE = 5_000;
    private static final int RATE_LIMIT = 40; // etc/org.confab.sip.transport.cfg defaults
    private static final long RATE_WINDOW_MS = 2_000;

    @Configuration
    public Option[] config() {
        return confabDistribution();
    }

    @Test
    public void flooderIsThrottledAndRegisteredUserKeepsLatency() throws Exception {
        execute("confab:domain-add example.com");
        execute("confab:user-enable --password Wonder-Land-7 sip:alice@example.com");
        execute("confab:user-enable --password Build-Er-42x sip:bob@example.com");
        int port = sipPort();
        try (SipTestUser alice = new SipTestUser("alice", "example.com", "Wonder-Land-7", "TCP", "127.0.0.1", port);
             SipTestUser bob = new SipTestUser("bob", "example.com", "Build-Er-42x", "TCP", "127.0.0.1", port)) {
            assertEquals(200, alice.register(600).status());
            assertEquals(200, bob.register(600).status());
            for (int i = 0; i < 20; i++) {
                roundTrip(alice, "warm-up " + i);
            }
            List<Long> unloaded = new ArrayList<>();
            for (int i = 0; i < ROUND_TRIPS; i++) {
                unloaded.add(roundTrip(alice, "unloaded " + i));
            }

            Flooder flooder = new Flooder(port);
            Thread flood = new Thread(flooder::run, "flooder");
            flood.start();
            List<Long> loaded = new ArrayList<>();
            long floodEnd = System.currentTimeMillis() + FLOOD_MS;
            while (System.currentTimeMillis() < floodEnd && loaded.size() < 10 * ROUND_TRIPS) {
                loaded.add(roundTrip(alice, "loaded " + loaded.size()));
            }
            flood.join(FLOOD_MS + 10_000);
            assertTrue("flooder did not stop", !flood.isAlive());

            long p99Unloaded = p99(unloaded);
            long p99Loaded = p99(loaded);
            long bound = Math.max(2 * p99Unloaded, P99_FLOOR_MS * 1_000_000L);
            long allowed = RATE_LIMIT * (flooder.elapsedMs / RATE_WINDOW_MS + 2);
            System.out.printf("FloodTest: unloaded p99 %.2f ms (median %.2f ms, n=%d); loaded p99 %.2f ms "
                    + "(median %.2f ms, n=%d); bound %.2f ms%n", p99Unloaded / 1e6, median(unloaded) / 1e6,
                    unloaded.size(), p99Loaded / 1e6, median(loaded) / 1e6, loaded.size(), bound / 1e6);
            System.out.printf("FloodTest: flooder sent %d requests in %d ms (%.0f/s), answers by status %s, "
                    + "%d unanswered; non-503 answers allowed by the rate limit: %d%n", flooder.sent.get(),
                    flooder.elapsedMs, flooder.sent.get() * 1000.0 / Math.max(1, flooder.elapsedMs),
                    flooder.statuses, flooder.sent.get() - flooder.answered(), allowed);

            assertTrue("flooder never got 503: " + flooder.statuses, flooder.count(503) > 0);
            long notThrottled = flooder.answered() - flooder.count(503);
            assertTrue("flooder got " + notThrottled + " answers other than 503, the limit allows " + allowed,
                    notThrottled <= allowed);
            assertTrue("too few loaded samples: " + loaded.size(), loaded.size() >= 10);
            assertTrue(String.format("loaded p99 %.2f ms above %.2f ms", p99Loaded / 1e6, bound / 1e6),
                    p99Loaded <= bound);
            // The registered users are still served after the flood.
            roundTrip(alice, "after the flood");
        }
    }

    /** @return nanoseconds for one MESSAGE to bob and its final 200 (digest challenge included) */
    private static long roundTrip(SipTestUser from, String text) throws Exception {
        long t0 = System.nanoTime();
        SipResponse r = from.message("bob", text);
        long t = System.nanoTime() - t0;
        assertNotNull("no answer to MESSAGE '" + text + "'", r);
        assertEquals("MESSAGE '" + text + "'", 200, r.status());
        return t;
    }

    private static long p99(List<Long> samples) {
        List<Long> s = new ArrayList<>(samples);
        Collections.sort(s);
        return s.get((int) Math.ceil(0.99 * s.size()) - 1);
    }

    private static long median(List<Long> samples) {
        List<Long> s = new ArrayList<>(samples);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    /** Sends unauthenticated requests from 127.0.0.2 as fast as it can, bounded in time and count. */
    private static final class Flooder {
        private static final String[] METHODS = {"OPTIONS", "REGISTER", "MESSAGE"};
        private final int port;
        final AtomicLong sent = new AtomicLong();
        final Map<Integer, Long> statuses = Collections.synchronizedMap(new TreeMap<>());
        volatile long elapsedMs;

        Flooder(int port) {
            this.port = port;
        }

        long count(int status) {
            return statuses.getOrDefault(status, 0L);
        }

        long answered() {
            synchronized (statuses) {
                return statuses.values().stream().mapToLong(Long::longValue).sum();
            }
        }

        void run() {
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            AtomicBoolean sending = new AtomicBoolean(true);
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
                socket.setSoTimeout(200);
                Thread receiver = new Thread(() -> receive(socket, sending), "flooder-receiver");
                receiver.start();
                long start = System.currentTimeMillis();
                long end = start + FLOOD_MS;
                int local = socket.getLocalPort();
                for (int i = 0; i < FLOOD_MAX_REQUESTS && System.currentTimeMillis() < end; i++) {
                    while (i >= (System.currentTimeMillis() - start) * FLOOD_RATE / 1000) {
                        Thread.sleep(1);
                    }
                    byte[] b = request(METHODS[i % METHODS.length], i, local).getBytes(StandardCharsets.UTF_8);
                    socket.send(new DatagramPacket(b, b.length, server));
                    sent.incrementAndGet();
                }
                elapsedMs = System.currentTimeMillis() - start;
                Thread.sleep(1_000); // late answers
                sending.set(false);
                receiver.join(5_000);
            } catch (Exception e) {
                throw new IllegalStateException("flooder failed", e);
            }
        }

        private void receive(DatagramSocket socket, AtomicBoolean sending) {
            byte[] buf = new byte[65535];
            while (sending.get()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (Exception e) {
                    return;
                }
                String head = new String(p.getData(), 0, Math.min(p.getLength(), 12), StandardCharsets.US_ASCII);
                if (head.startsWith("SIP/2.0 ") && head.length() >= 11) {
                    int status = Integer.parseInt(head.substring(8, 11));
                    if (status >= 200) {
                        statuses.merge(status, 1L, Long::sum);
                    }
                }
            }
        }

        private static String request(String method, int i, int localPort) {
            String target = method.equals("REGISTER") ? "sip:example.com" : "sip:bob@example.com";
            return method + " " + target + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.2:" + localPort + ";rport;branch=z9hG4bKflood" + i + "\r\n"
                    + "From: <sip:flood@example.com>;tag=f" + i + "\r\n"
                    + "To: <" + (method.equals("REGISTER") ? "sip:flood@example.com" : target) + ">\r\n"
                    + "Call-ID: flood-" + i + "\r\n"
                    + "CSeq: 1 " + method + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + (method.equals("REGISTER") ? "Contact: <sip:flood@127.0.0.2:" + localPort + ">\r\n" : "")
                    + (method.equals("MESSAGE") ? "Content-Type: text/plain\r\n" : "")
                    + "Content-Length: " + (method.equals("MESSAGE") ? 5 : 0) + "\r\n\r\n"
                    + (method.equals("MESSAGE") ? "flood" : "");
        }
    }
}
