package org.confab.sip.transport.internal.mina;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;

import org.apache.mina.core.session.IoSession;
import org.confab.api.transport.TransportException;
import org.confab.sip.transport.internal.TransportFlow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP connection (accepted or opened by us) as a flow. It is also where the connection's own
 * state lives (its stream decoder, whether it counts against its source's connection limit),
 * held by one session attribute rather than one attribute each.
 *
 * <p>Writes made while MINA's I/O thread handles one read of this connection (a batch: the
 * requests in that read run their roles inline, and their answers are written here) are held and
 * leave as one buffer when the read is done: one write to the socket, one flush scheduled with
 * MINA, instead of one of each per message (at 20,000 REGISTERs/s over one connection, the
 * per-message writes were a third of the I/O thread's time). Writes from other threads during a
 * batch join it, so messages leave in the order they were written.
 */
final class MinaStreamFlow implements TransportFlow {

    private static final Logger WIRE = LoggerFactory.getLogger(MinaNetwork.WIRE_LOGGER);
    /** Bytes held in a batch before they are handed to MINA anyway. */
    private static final int MAX_HELD = 64 * 1024;

    private final String id;
    private final IoSession session;
    private final String transport;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final SipStreamDecoder decoder;
    /** True while this accepted connection holds a place in its source address's count. */
    private boolean counted;
    /** Written during the current batch, not yet handed to MINA; guarded by {@code this}. */
    private final ByteArrayOutputStream held = new ByteArrayOutputStream(0);
    private boolean batching;

    MinaStreamFlow(String id, IoSession session, String transport, int maxMessageSize, boolean counted) {
        this.id = id;
        this.session = session;
        this.transport = transport;
        this.remote = (InetSocketAddress) session.getRemoteAddress();
        this.local = (InetSocketAddress) session.getLocalAddress();
        this.decoder = new SipStreamDecoder(maxMessageSize);
        this.counted = counted;
    }

    SipStreamDecoder decoder() {
        return decoder;
    }

    /** True once, for a connection that was counted against its source: the caller gives the place back. */
    boolean releaseCount() {
        boolean was = counted;
        counted = false;
        return was;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String transport() {
        return transport;
    }

    @Override
    public boolean isReliable() {
        return true;
    }

    @Override
    public boolean isSecure() {
        return "TLS".equals(transport);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public boolean isOpen() {
        return session.isConnected() && !session.isClosing();
    }

    @Override
    public void write(byte[] data) throws TransportException {
        if (!isOpen()) {
            throw new TransportException("Connection " + id + " is closed");
        }
        if (WIRE.isTraceEnabled()) {
            WIRE.trace("{} SENT {} bytes", id, data.length);
        }
        synchronized (this) {
            if (!batching) {
                session.write(data);
                return;
            }
            held.write(data, 0, data.length);
            if (held.size() >= MAX_HELD) {
                release(); // a long read's answers leave in parts, not all at its end
            }
        }
    }

    /** Called by the I/O thread before it handles one read of this connection. */
    synchronized void beginBatch() {
        batching = true;
    }

    /** Called by the I/O thread when it has handled the read: what was written leaves as one buffer. */
    synchronized void endBatch() {
        batching = false;
        release();
    }

    private void release() {
        if (held.size() > 0) {
            session.write(held.toByteArray());
            held.reset();
        }
    }

    @Override
    public void close(boolean afterFlush) {
        if (afterFlush) {
            synchronized (this) {
                release(); // what was written before the close leaves before it
            }
            session.closeOnFlush();
        } else {
            session.closeNow();
        }
    }

    @Override
    public String toString() {
        return id + " (" + transport + " " + remote + ")";
    }
}
