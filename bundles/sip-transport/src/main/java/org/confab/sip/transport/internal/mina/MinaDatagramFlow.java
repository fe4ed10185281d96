package org.confab.sip.transport.internal.mina;

import java.net.InetSocketAddress;

import org.apache.mina.core.RuntimeIoException;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioDatagramAcceptor;
import org.confab.api.transport.TransportException;
import org.confab.sip.transport.internal.FlowTable;
import org.confab.sip.transport.internal.TransportFlow;

/**
 * A UDP listener and one remote address (RFC 5626 §3). Independent of MINA's datagram
 * sessions, which expire when idle: writing gets (or recreates) the session.
 */
final class MinaDatagramFlow implements TransportFlow {

    private final NioDatagramAcceptor acceptor;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final String id;

    MinaDatagramFlow(NioDatagramAcceptor acceptor, InetSocketAddress local, InetSocketAddress remote) {
        this.acceptor = acceptor;
        this.local = local;
        this.remote = remote;
        this.id = FlowTable.udpFlowId(local, remote);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String transport() {
        return "UDP";
    }

    @Override
    public boolean isReliable() {
        return false;
    }

    @Override
    public boolean isSecure() {
        return false;
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
        return acceptor.isActive() && !acceptor.isDisposing();
    }

    @Override
    public void write(byte[] data) throws TransportException {
        if (!isOpen()) {
            throw new TransportException("UDP listener " + local + " is closed");
        }
        try {
            IoSession session = acceptor.newSession(remote, local);
            session.write(data);
        } catch (RuntimeIoException | IllegalStateException e) {
            throw new TransportException("Cannot send to " + remote + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close(boolean afterFlush) {
        // a UDP flow lives as long as its listener
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MinaDatagramFlow f && f.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return id;
    }
}
