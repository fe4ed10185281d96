package org.confab.sip.transport.internal.mina;

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
 */
final class MinaStreamFlow implements TransportFlow {

    private static final Logger WIRE = LoggerFactory.getLogger(MinaNetwork.WIRE_LOGGER);

    private final String id;
    private final IoSession session;
    private final String transport;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final SipStreamDecoder decoder;
    /** True while this accepted connection holds a place in its source address's count. */
    private boolean counted;

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
        session.write(data);
    }

    @Override
    public void close(boolean afterFlush) {
        if (afterFlush) {
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
