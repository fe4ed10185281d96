package org.confab.sip.transport.internal.mina;

import java.net.InetSocketAddress;

import org.apache.mina.core.session.IoSession;
import org.confab.api.transport.TransportException;
import org.confab.sip.transport.internal.TransportFlow;

/** A TCP connection (accepted or opened by us) as a flow. */
final class MinaStreamFlow implements TransportFlow {

    private final String id;
    private final IoSession session;
    private final String transport;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;

    MinaStreamFlow(String id, IoSession session, String transport) {
        this.id = id;
        this.session = session;
        this.transport = transport;
        this.remote = (InetSocketAddress) session.getRemoteAddress();
        this.local = (InetSocketAddress) session.getLocalAddress();
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
