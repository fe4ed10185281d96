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
import org.confab.sip.transport.internal.FlowTable;
import org.confab.sip.transport.internal.Inbound;
import org.confab.sip.transport.internal.TransportFlow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP listener on a plain {@link DatagramChannel}, read by several receiver threads that each
 * take a datagram and carry it through parsing and the transaction layer themselves, as
 * Kamailio's UDP receiver processes do. MINA's datagram acceptor is not used here: it has one
 * selector thread, allocates a read buffer per datagram and routes every send through that
 * thread, which capped UDP at a fraction of the machine (BENCHMARKS.md). Sends go straight to
 * the channel from the sending thread. One datagram is one message (RFC 3261 §18.3).
 */
public final class UdpListener {

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
    private final List<Thread> receivers = new ArrayList<>();
    private final AtomicLong oversize = new AtomicLong();
    private volatile boolean open = true;

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
    public TransportFlow flow(InetSocketAddress remote) {
        return new UdpFlow(this, remote);
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        while (open) {
            buffer.clear();
            SocketAddress from;
            try {
                from = channel.receive(buffer); // blocking; the channel lets one receiver in at a time
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (open) {
                    LOG.debug("UDP receive on {} failed: {}", local, e.toString());
                }
                continue;
            }
            buffer.flip();
            byte[] data = datagram(buffer, maxMessageSize);
            if (data == null) {
                if (buffer.limit() > maxMessageSize && oversize.getAndIncrement() % 1000 == 0) {
                    LOG.info("Datagram of {} bytes from {} dropped: above max.message.size ({} so far)",
                            buffer.limit(), from, oversize.get());
                }
                continue;
            }
            TransportFlow flow = flow((InetSocketAddress) from);
            try {
                inbound.udpFlowSeen(flow);
                inbound.onMessage(flow, data);
            } catch (RuntimeException | LinkageError e) {
                // never lose the receiver thread to one message
                LOG.warn("Datagram from {} failed", from, e);
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
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing UDP listener {}: {}", local, e.toString());
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
