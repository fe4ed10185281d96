package org.confab.sip.transport.internal.udp;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;

import org.confab.api.transport.TransportException;
import org.confab.sip.transport.internal.Inbound;
import org.confab.sip.transport.internal.TransportFlow;
import org.junit.After;
import org.junit.Test;

/** The UDP listener over a real loopback socket: framing, receiver threads, sends, close. */
public class UdpListenerTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<TransportFlow> flows = new LinkedBlockingQueue<>();
    private final Set<String> threads = ConcurrentHashMap.newKeySet();
    private UdpListener listener;

    private final List<String> carriers = java.util.Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);

    private final Inbound inbound = new Inbound() {
        @Override
        public void onMessage(TransportFlow flow, byte[] message) {
            threads.add(Thread.currentThread().getName());
            carriers.add(Thread.currentThread().getName());
            String text = new String(message, StandardCharsets.ISO_8859_1);
            if (text.startsWith("BOOM")) {
                throw new IllegalStateException("a failing message must not end the receiver");
            }
            if (text.startsWith("DIE")) {
                throw new AssertionError("an Error that ends the receiver thread");
            }
            if (text.startsWith("DEEP")) {
                throw new StackOverflowError("a role recursing too deep");
            }
            if (text.startsWith("STALL")) {
                try {
                    release.await(20, TimeUnit.SECONDS); // a role waiting on a dead database
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            flows.add(flow);
            received.add(message);
        }

        @Override
        public void onFramingError(TransportFlow flow, int status, String reason, byte[] head) {
            fail("UDP has no framing errors");
        }

        @Override
        public void flowOpened(TransportFlow flow) {
        }

        @Override
        public void flowClosed(TransportFlow flow) {
        }

        @Override
        public void udpFlowSeen(TransportFlow flow) {
        }
    };

    @After
    public void close() {
        if (listener != null) {
            listener.close();
        }
    }

    private static void send(DatagramSocket s, InetSocketAddress to, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        s.send(new DatagramPacket(b, b.length, to));
    }

    @Test
    public void oneDatagramIsOneMessageAndBlankOnesAreIgnored() {
        assertNull(UdpListener.datagram(ByteBuffer.wrap("\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), 65535));
        byte[] m = "OPTIONS sip:a SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(m, UdpListener.datagram(ByteBuffer.wrap(m), 65535));
        assertNull("above max.message.size", UdpListener.datagram(ByteBuffer.wrap(m), 10));
    }

    @Test
    public void datagramsReachTheStackOnTheReceiverThreadsAndAnswersGoBack() throws Exception {
        listener = UdpListener.bind(LOOPBACK, 3, 65535, 1 << 20, inbound);
        InetSocketAddress server = listener.localAddress();
        assertTrue(server.getPort() > 0);
        try (DatagramSocket peer = new DatagramSocket(LOOPBACK)) {
            peer.setSoTimeout(3000);
            for (int i = 0; i < 200; i++) {
                send(peer, server, "MESSAGE " + i);
            }
            send(peer, server, "\r\n\r\n"); // keep-alive: not a message
            send(peer, server, "BOOM");     // the stack throws: the receiver carries on
            send(peer, server, "LAST");
            long deadline = System.currentTimeMillis() + 5000;
            while (received.size() < 201 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertEquals("every datagram but the blank and the failing one", 201, received.size());
            TransportFlow flow = flows.take();
            assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getLocalPort()),
                    flow.remoteAddress());
            assertEquals("UDP", flow.transport());
            assertFalse(flow.isReliable());
            assertTrue(flow.id(), flow.id().endsWith("/" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                    + peer.getLocalPort()));
            assertTrue("only receiver threads carry datagrams: " + threads,
                    threads.stream().allMatch(n -> n.startsWith("confab-sip-udp-" + server.getPort() + "-")));

            flow.write("SIP/2.0 200 OK\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            DatagramPacket p = new DatagramPacket(new byte[1000], 1000);
            peer.receive(p);
            assertEquals("SIP/2.0 200 OK\r\n\r\n", new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1));
            assertEquals(server.getPort(), p.getPort());
        }
    }

    @Test
    public void oneThreadCarriesConsecutiveDatagramsWhileNoneStalls() throws Exception {
        listener = UdpListener.bind(LOOPBACK, 4, 65535, 1 << 20, inbound);
        try (DatagramSocket peer = new DatagramSocket(LOOPBACK)) {
            for (int i = 0; i < 300; i++) {
                send(peer, listener.localAddress(), "MESSAGE " + i);
                if (i % 50 == 0) {
                    Thread.sleep(5); // the reader waits in receive between bursts: it keeps the turn
                }
            }
            awaitReceived(300);
        }
        assertEquals("no hand-off between receiver threads: " + threads, 1, threads.size());
        assertEquals(0, listener.takeovers());
    }

    @Test
    public void aMessageStalledInItsRoleDoesNotStopTheSocket() throws Exception {
        listener = UdpListener.bind(LOOPBACK, 3, 65535, 1 << 20, inbound);
        try (DatagramSocket peer = new DatagramSocket(LOOPBACK)) {
            send(peer, listener.localAddress(), "STALL 1");
            long start = System.nanoTime();
            send(peer, listener.localAddress(), "MESSAGE after the stall");
            awaitReceived(1);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals("MESSAGE after the stall", new String(received.take(), StandardCharsets.ISO_8859_1));
            assertTrue("read on within a few watchdog periods, not after the stall: " + tookMs + " ms", tookMs < 5000);
            assertEquals(1, listener.takeovers());
            assertEquals("another thread read on", 2, new java.util.HashSet<>(carriers).size());
            assertTrue("the stalled message is still held", release.getCount() == 1);

            // every receiver stalled: nothing is read until one comes back, and then nothing is lost
            send(peer, listener.localAddress(), "STALL 2");
            send(peer, listener.localAddress(), "STALL 3");
            awaitTakeovers(3);
            for (int i = 0; i < 5; i++) {
                send(peer, listener.localAddress(), "QUEUED " + i);
            }
            Thread.sleep(200);
            assertTrue("all three threads are inside a stalled message: nothing read", received.isEmpty());
            release.countDown();
            awaitReceived(3 + 5);
            assertEquals("the datagrams waited in the socket", 5, countQueued());
        }
    }

    private void awaitTakeovers(long n) throws InterruptedException {
        awaitCount(n, listener::takeovers);
    }

    @Test
    public void aReceiverEndedByAnErrorHandsTheSocketOn() throws Exception {
        listener = UdpListener.bind(LOOPBACK, 2, 65535, 1 << 20, inbound);
        try (DatagramSocket peer = new DatagramSocket(LOOPBACK)) {
            send(peer, listener.localAddress(), "DEEP");  // caught: the same thread reads on
            send(peer, listener.localAddress(), "DIE");   // ends the reader thread
            send(peer, listener.localAddress(), "MESSAGE after the error");
            awaitReceived(1);
            assertEquals("MESSAGE after the error", new String(received.take(), StandardCharsets.ISO_8859_1));
            send(peer, listener.localAddress(), "DIE");   // the last receiver ends too: nothing reads, nothing hangs
        }
    }

    private int countQueued() {
        return (int) received.stream().filter(b -> new String(b, StandardCharsets.ISO_8859_1).startsWith("QUEUED")).count();
    }

    private void awaitReceived(int n) throws InterruptedException {
        awaitCount(n, received::size);
    }

    /** Waits up to 5 s for a count to reach n, then asserts it is exactly n. */
    private static void awaitCount(long n, java.util.function.LongSupplier count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (count.getAsLong() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(n, count.getAsLong());
    }

    @Test
    public void closeReleasesThePortAndEndsTheFlows() throws Exception {
        listener = UdpListener.bind(LOOPBACK, 2, 65535, 1 << 20, inbound);
        InetSocketAddress server = listener.localAddress();
        TransportFlow flow = listener.flow(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9));
        listener.close();
        assertFalse(flow.isOpen());
        try {
            flow.write(new byte[] {'x'});
            fail("a closed listener cannot send");
        } catch (TransportException expected) {
            // expected
        }
        try (DatagramSocket again = new DatagramSocket(server)) {
            assertEquals(server.getPort(), again.getLocalPort());
        }
        Thread.sleep(100);
        assertTrue("receiver threads ended", Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("confab-sip-udp-" + server.getPort() + "-") && t.isAlive()));
        listener = null;
    }

    @Test
    public void aBindToATakenPortFailsClearly() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(LOOPBACK)) {
            taken.setReuseAddress(false);
            try {
                listener = UdpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort()),
                        1, 65535, 1 << 20, inbound);
                // SO_REUSEADDR on Linux does not share a bound UDP port with a socket that did not ask for it
                fail("bound a taken port");
            } catch (java.io.IOException expected) {
                assertTrue(expected.toString(), String.valueOf(expected.getMessage()).contains("in use"));
            }
            assertTrue("no receiver thread started by the failed bind", Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("confab-sip-udp-" + taken.getLocalPort() + "-")));
        }
    }
}
