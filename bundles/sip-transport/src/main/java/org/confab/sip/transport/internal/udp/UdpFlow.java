package org.confab.sip.transport.internal.udp;

import java.net.InetSocketAddress;

import org.confab.api.transport.TransportException;
import org.confab.sip.transport.internal.FlowTable;
import org.confab.sip.transport.internal.TransportFlow;

/** A UDP listener and one remote address (RFC 5626 §3); lives as long as its listener. */
final class UdpFlow implements TransportFlow {

    private final UdpListener listener;
    private final InetSocketAddress remote;
    private final String id;

    UdpFlow(UdpListener listener, InetSocketAddress remote) {
        this.listener = listener;
        this.remote = remote;
        this.id = FlowTable.udpFlowId(listener.flowIdPrefix(), remote);
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
        return listener.localAddress();
    }

    @Override
    public boolean isOpen() {
        return listener.isOpen();
    }

    @Override
    public void write(byte[] data) throws TransportException {
        listener.send(data, remote);
    }

    @Override
    public void close(boolean afterFlush) {
        // a UDP flow lives as long as its listener
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdpFlow f && f.id.equals(id);
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
