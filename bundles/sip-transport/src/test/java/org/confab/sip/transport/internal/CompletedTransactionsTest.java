package org.confab.sip.transport.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.Test;

/** The Timer J table's chunks and index: what it keeps, for how long, and within which bounds. */
public class CompletedTransactionsTest {

    private final FakeTimer timer = new FakeTimer();
    private final FakeFlow flow = FakeFlow.udp();

    private static Sent sent(FakeFlow flow, String text) {
        return new Sent(flow, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void resendsTheExactBytesKeptForTheKey() {
        CompletedTransactions table = new CompletedTransactions(timer, 32_000, 100);
        table.add("z9hG4bKa|127.0.0.1:5070|REGISTER", sent(flow, "SIP/2.0 200 OK a"));
        table.add("z9hG4bKb|127.0.0.1:5070|REGISTER", sent(flow, "SIP/2.0 401 b"));
        assertTrue(table.absorb("z9hG4bKa|127.0.0.1:5070|REGISTER"));
        assertTrue(table.absorb("z9hG4bKb|127.0.0.1:5070|REGISTER"));
        assertFalse("an unknown key is a new request", table.absorb("z9hG4bKc|127.0.0.1:5070|REGISTER"));
        assertArrayEquals("SIP/2.0 200 OK a".getBytes(StandardCharsets.UTF_8), flow.raw().get(0));
        assertArrayEquals("SIP/2.0 401 b".getBytes(StandardCharsets.UTF_8), flow.raw().get(1));
        assertEquals(2, table.size());
    }

    @Test
    public void keysThatShareAHashBucketAreToldApart() {
        // max 16: 16 buckets, so 200 keys share them 12 deep, and slots are reused 12 times over
        CompletedTransactions table = new CompletedTransactions(timer, 32_000, 16);
        for (int i = 0; i < 200; i++) {
            table.add("k" + i, sent(flow, "r" + i));
        }
        assertEquals(16, table.size());
        assertEquals(184, table.evictedEarly());
        for (int i = 0; i < 184; i++) {
            assertFalse("k" + i + " left early", table.absorb("k" + i));
        }
        for (int i = 184; i < 200; i++) {
            int before = flow.count();
            assertTrue("k" + i, table.absorb("k" + i));
            assertEquals("r" + i, new String(flow.raw().get(before), StandardCharsets.UTF_8));
        }
    }

    @Test
    public void steadyLoadReusesTheSameChunksOnceTheirEntriesExpire() {
        // 10 s lingering, 100 bytes an entry, 1000 entries a second: ~1 MB live, in 64 KB chunks
        CompletedTransactions table = new CompletedTransactions(timer, 10_000, 100_000, 64 * 1024);
        String response = "x".repeat(80);
        int chunksAfterFirstLinger = -1;
        for (int second = 0; second < 60; second++) {
            for (int i = 0; i < 1000; i++) {
                table.add("s" + second + "-" + i, sent(flow, response));
            }
            timer.advance(1000);
            if (second == 12) {
                chunksAfterFirstLinger = table.chunks();
            }
        }
        assertEquals("memory stops growing after the first Timer J", chunksAfterFirstLinger, table.chunks());
        assertTrue(table.chunks() <= 2 + 11_000 * (8 + 80 + 10) / (64 * 1024));
        assertEquals("nothing left before its time", 0, table.evictedEarly());
        table.expire(timer.now());
        assertEquals(9_000, table.size());
        assertTrue(table.absorb("s59-999"));
        assertFalse("expired", table.absorb("s49-0"));
    }

    @Test
    public void memoryBoundMakesTheOldestLeaveEarlyAndCountsThem() {
        // 64 entries allowed by count, but their memory bound (64 KB) in 16 KB chunks holds ~40 of 1.6 KB
        CompletedTransactions table = new CompletedTransactions(timer, 32_000, 64, 16 * 1024);
        String response = "y".repeat(1600);
        for (int i = 0; i < 64; i++) {
            table.add("m" + i, sent(flow, response));
        }
        assertEquals(4, table.chunks());
        assertTrue("the oldest left early: " + table.evictedEarly(), table.evictedEarly() > 0);
        assertEquals(64 - table.evictedEarly(), table.size());
        assertFalse(table.absorb("m0"));
        assertTrue(table.absorb("m63"));
    }

    @Test
    public void aResponseLargerThanAChunkIsNotKept() {
        CompletedTransactions table = new CompletedTransactions(timer, 32_000, 64, 1024);
        table.add("big", sent(flow, "z".repeat(2000)));
        assertEquals(0, table.size());
        assertFalse(table.absorb("big"));
        table.add("small", sent(flow, "ok"));
        assertTrue(table.absorb("small"));
    }

    @Test
    public void agreesWithASimpleModelUnderRandomAddsLookupsAndTime() {
        Random random = new Random(42);
        CompletedTransactions table = new CompletedTransactions(timer, 5_000, 500, 8 * 1024);
        Map<String, long[]> model = new HashMap<>(); // key -> {seq, until, payload id}
        long seq = 0;
        for (int step = 0; step < 50_000; step++) {
            int op = random.nextInt(10);
            String key = "k" + random.nextInt(2_000);
            if (op < 5) {
                long id = step;
                table.add(key, sent(flow, "p" + id));
                model.put(key, new long[] {++seq, timer.now() + 5_000, id});
            } else if (op < 9) {
                long[] m = model.get(key);
                // the model keeps an entry while it is among the newest 500 and unexpired; the table may
                // also drop it early for memory, which it then counts
                boolean expected = m != null && m[1] > timer.now() && seq - m[0] < 500;
                long earlyBefore = table.evictedEarly();
                int sentBefore = flow.count();
                boolean got = table.absorb(key);
                if (got) {
                    assertTrue("absorbed " + key + " at step " + step + " which the model has not", expected);
                    assertEquals("p" + m[2], new String(flow.raw().get(sentBefore), StandardCharsets.UTF_8));
                } else if (expected) {
                    assertTrue("lost " + key + " at step " + step + " without counting it", table.evictedEarly() > 0);
                }
                assertEquals(earlyBefore, table.evictedEarly());
            } else {
                timer.advance(random.nextInt(200));
            }
        }
        // a few KB live at any time: expired chunks are written over instead of new ones added
        // (without reuse the table would grow to its bound of 63 chunks)
        assertTrue("chunks reused: " + table.chunks(), table.chunks() <= 4);
    }

    /** A UDP-like listener that remembers the flows it made (a resend makes a new one). */
    private static final class FakeSource implements DatagramFlow.Source {
        final List<FakeFlow> made = new ArrayList<>();

        @Override
        public FakeFlow flow(InetSocketAddress remote) {
            FakeFlow f = new FakeDatagramFlow(this, remote);
            made.add(f);
            return f;
        }

        /** What the newest flow wrote, after its remote address. */
        String lastSend() {
            FakeFlow f = made.get(made.size() - 1);
            return f.remoteAddress() + " " + String.join("|", f.raw().stream()
                    .map(b -> new String(b, StandardCharsets.UTF_8)).toList());
        }
    }

    private static final class FakeDatagramFlow extends FakeFlow implements DatagramFlow {
        private final FakeSource source;

        FakeDatagramFlow(FakeSource source, InetSocketAddress remote) {
            super("fake-udp:" + remote, "UDP", remote);
            this.source = source;
        }

        @Override
        public Source source() {
            return source;
        }
    }

    @Test
    public void aUdpEntryKeepsNoFlowObjectAndResendsToTheSameAddress() {
        CompletedTransactions table = new CompletedTransactions(timer, 32_000, 100);
        FakeSource a = new FakeSource();
        FakeSource b = new FakeSource();
        table.add("k4", new Sent(a.flow(new InetSocketAddress("192.0.2.7", 5071)),
                "SIP/2.0 200 four".getBytes(StandardCharsets.UTF_8)));
        table.add("k6", new Sent(b.flow(new InetSocketAddress("2001:db8::7", 65535)),
                "SIP/2.0 407 six".getBytes(StandardCharsets.UTF_8)));
        assertEquals("only the parts are kept", 0, table.flowsKept());

        assertTrue(table.absorb("k4"));
        assertTrue(table.absorb("k6"));
        assertEquals("the resend goes on a flow made again", 2, a.made.size());
        assertEquals("/192.0.2.7:5071 SIP/2.0 200 four", a.lastSend());
        assertEquals("/[2001:db8:0:0:0:0:0:7]:65535 SIP/2.0 407 six", b.lastSend());
    }

    @Test
    public void aScopedIpv6PeerKeepsItsFlowObject() throws Exception {
        CompletedTransactions table = new CompletedTransactions(timer, 32_000, 100);
        FakeSource a = new FakeSource();
        InetAddress scoped = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3);
        table.add("k", new Sent(a.flow(new InetSocketAddress(scoped, 5060)),
                "SIP/2.0 200 scoped".getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, table.flowsKept());
        assertTrue(table.absorb("k"));
        assertEquals("the kept flow itself resends", 1, a.made.size());
        assertTrue(a.lastSend(), a.lastSend().endsWith("%3]:5060 SIP/2.0 200 scoped"));
    }
}
