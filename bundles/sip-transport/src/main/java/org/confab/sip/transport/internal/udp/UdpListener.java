package org.confab.sip.transport.internal.udp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.confab.api.transport.TransportException;
import org.confab.sip.transport.internal.DatagramFlow;
import org.confab.sip.transport.internal.FlowTable;
import org.confab.sip.transport.internal.Inbound;
import org.confab.sip.transport.internal.TransportFlow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP listener on a plain {@link DatagramChannel}. The thread that holds the turn reads a
 * datagram and carries it through parsing, the transaction layer and (app.dispatch = inline)
 * the role itself, then reads the next: no hand-off per message, as in Kamailio's receivers.
 * The other receiver threads wait; a watchdog gives the turn to one of them when the reader has
 * been inside one message for {@link #STALL_MILLIS} (a role waiting on a slow database), so one
 * stalled message never stops the socket. Only one thread at a time may read a DatagramChannel
 * anyway (the JDK locks it), and passing that lock to a waiting thread after every datagram cost
 * a wake-up each: a third of the CPU per REGISTER (BENCHMARKS.md). MINA's datagram acceptor is
 * not used: it has one selector thread, allocates a read buffer per datagram and routes every
 * send through that thread. Sends go straight to the channel from the sending thread. One
 * datagram is one message (RFC 3261 §18.3).
 */
public final class UdpListener implements DatagramFlow.Source {

    private static final Logger LOG = LoggerFactory.getLogger(UdpListener.class);
    /** The largest UDP payload; a read buffer this size never truncates a datagram. */
    static final int MAX_DATAGRAM = 65_535;
    /** Each sending thread keeps one direct buffer, so the JDK copies nothing into a temporary one. */
    private static final ThreadLocal<ByteBuffer> SEND_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(MAX_DATAGRAM));

    private final DatagramChannel channel;
    private final InetSocketAddress local;
    private final String flowIdPrefix;
    private final Inbound inbound;
    private final int maxMessageSize;
    /** A reader inside one message this long hands the socket to another receiver thread. */
    static final long STALL_MILLIS = 20;
    /** Watchdog checks that must find the reader on the same message before it is called stalled. */
    static final int STALL_CHECKS = 5;

    private final List<Thread> receivers = new ArrayList<>();
    private final AtomicLong oversize = new AtomicLong();
    private final AtomicLong takeovers = new AtomicLong();
    private volatile boolean open = true;
    /** Guards the turn: the thread that reads the socket now (null: the next waiter takes it). */
    private final Object turn = new Object();
    private volatile Thread reader;
    /**
     * System.nanoTime() when the reader began its current message, 0 while it waits for one. Each
     * thread clears only its own mark (compare-and-set): a thread overtaken by the watchdog must not
     * clear the mark of the thread that read on.
     */
    private final AtomicLong busySince = new AtomicLong();
    private Thread watchdog;

    private UdpListener(DatagramChannel channel, Inbound inbound, int maxMessageSize) throws IOException {
        this.channel = channel;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.flowIdPrefix = FlowTable.udpFlowIdPrefix(local);
        this.inbound = inbound;
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * Binds the address and starts the receiver threads.
     *
     * @param receiveBuffer the socket's receive buffer in bytes (SO_RCVBUF; the kernel may cap it)
     */
    public static UdpListener bind(InetSocketAddress address, int receiverThreads, int maxMessageSize,
            int receiveBuffer, Inbound inbound) throws IOException {
        DatagramChannel ch = DatagramChannel.open(address.getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            ch.bind(address);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e instanceof IOException io ? io : new IOException("Cannot bind " + address + ": " + e.getMessage(), e);
        }
        UdpListener l = new UdpListener(ch, inbound, maxMessageSize);
        String name = "confab-sip-udp-" + l.local.getPort() + "-";
        for (int i = 1; i <= Math.max(1, receiverThreads); i++) {
            Thread t = new Thread(l::receiveLoop, name + i);
            t.setDaemon(true);
            l.receivers.add(t);
            t.start();
        }
        if (l.receivers.size() > 1) {
            l.watchdog = new Thread(l::watch, name + "watchdog");
            l.watchdog.setDaemon(true);
            l.watchdog.start();
        }
        return l;
    }

    /** @return the address actually bound */
    public InetSocketAddress localAddress() {
        return local;
    }

    /** The start of every flow id of this listener (one per datagram: not rebuilt each time). */
    String flowIdPrefix() {
        return flowIdPrefix;
    }

    public boolean isOpen() {
        return open;
    }

    /** @return datagrams dropped for being larger than max.message.size */
    public long oversizeDrops() {
        return oversize.get();
    }

    /** The flow between this listener and a remote address (RFC 5626 §3): a value, cheap to make. */
    @Override
    public TransportFlow flow(InetSocketAddress remote) {
        return new UdpFlow(this, remote);
    }

    /** @return how often a stalled reader's turn was given to another receiver thread */
    public long takeovers() {
        return takeovers.get();
    }

    private void receiveLoop() {
        Thread me = Thread.currentThread();
        ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        while (open) {
            synchronized (turn) {
                while (open && reader != null && reader != me) {
                    try {
                        turn.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                reader = me;
            }
            // keep the turn until the watchdog passes it on (this thread stalled) or the socket closes
            try {
                while (open && reader == me) {
                    receiveOne(buffer);
                }
            } catch (Error e) {
                // a role's Error (OutOfMemoryError, an assertion) ends this thread: never with the turn
                LOG.error("UDP receiver {} on {} ended by {}", me.getName(), local, e.toString(), e);
                synchronized (turn) {
                    if (reader == me) {
                        reader = null;
                        turn.notify();
                    }
                }
                throw e;
            }
        }
    }

    private void receiveOne(ByteBuffer buffer) {
        buffer.clear();
        SocketAddress from;
        try {
            from = channel.receive(buffer); // blocking
        } catch (ClosedChannelException e) {
            return;
        } catch (IOException e) {
            if (open) {
                LOG.debug("UDP receive on {} failed: {}", local, e.toString());
            }
            return;
        }
        buffer.flip();
        byte[] data = datagram(buffer, maxMessageSize);
        if (data == null) {
            if (buffer.limit() > maxMessageSize && oversize.getAndIncrement() % 1000 == 0) {
                LOG.info("Datagram of {} bytes from {} dropped: above max.message.size ({} so far)",
                        buffer.limit(), from, oversize.get());
            }
            return;
        }
        TransportFlow flow = flow((InetSocketAddress) from);
        long mark = System.nanoTime() | 1; // never 0, the "waiting" mark
        busySince.set(mark);
        try {
            inbound.udpFlowSeen(flow);
            inbound.onMessage(flow, data);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            // never lose the receiver thread to one message (a role's deep recursion included)
            LOG.warn("Datagram from {} failed", from, e);
        } finally {
            busySince.compareAndSet(mark, 0);
        }
    }

    /**
     * Passes the turn on when the reader has been inside one message for STALL_MILLIS, as seen by
     * this thread's own checks: the same message at STALL_CHECKS checks in a row. Comparing clocks
     * alone would call every collector pause longer than STALL_MILLIS a stall, since this thread
     * is paused with the reader.
     */
    private void watch() {
        long period = STALL_MILLIS / (STALL_CHECKS - 1);
        long lastWarning = 0;
        long seen = 0;
        int checks = 0;
        while (open) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            long mark = busySince.get();
            if (mark == 0 || mark != seen) {
                seen = mark;
                checks = 1;
                continue;
            }
            if (++checks < STALL_CHECKS) {
                continue;
            }
            checks = 0;
            synchronized (turn) {
                if (reader != null && busySince.compareAndSet(mark, 0)) {
                    reader = null;   // the stalled thread sees this when its message ends, and waits
                    turn.notify();
                    long n = takeovers.incrementAndGet();
                    long now = System.nanoTime();
                    if (lastWarning == 0 || now - lastWarning > 60_000_000_000L) {
                        lastWarning = now;
                        LOG.warn("UDP {}: a message held its receiver thread over {} ms; another thread reads on"
                                + " ({} times so far). A role is waiting on something slow (database?)",
                                local, STALL_MILLIS, n);
                    }
                }
            }
        }
    }

    /**
     * The message in a received datagram, or null for a blank one (a CRLF keep-alive, ignored)
     * or one above the size limit (dropped: no answer can be trusted to fit).
     */
    static byte[] datagram(ByteBuffer received, int maxMessageSize) {
        int n = received.remaining();
        if (n > maxMessageSize) {
            return null;
        }
        byte[] data = new byte[n];
        received.get(data);
        return isBlank(data) ? null : data;
    }

    static boolean isBlank(byte[] data) {
        for (byte b : data) {
            if (b != '\r' && b != '\n' && b != ' ' && b != '\t' && b != 0) {
                return false;
            }
        }
        return true;
    }

    void send(byte[] data, InetSocketAddress remote) throws TransportException {
        if (!open) {
            throw new TransportException("UDP listener " + local + " is closed");
        }
        if (data.length > MAX_DATAGRAM) {
            throw new TransportException("Message of " + data.length + " bytes does not fit a UDP datagram");
        }
        ByteBuffer b = SEND_BUFFER.get();
        b.clear();
        b.put(data).flip();
        try {
            channel.send(b, remote);
        } catch (IOException | RuntimeException e) {
            throw new TransportException("Cannot send to " + remote + ": " + e.getMessage(), e);
        }
    }

    /** Closes the socket; the receivers end at once. */
    public void close() {
        open = false;
        synchronized (turn) {
            turn.notifyAll();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing UDP listener {}: {}", local, e.toString());
        }
        if (watchdog != null) {
            watchdog.interrupt();
        }
        for (Thread t : receivers) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
