package org.confab.sip.transport.internal.udp;

import java.net.InetSocketAddress;

import org.confab.api.transport.TransportException;
import org.confab.sip.transport.internal.DatagramFlow;
import org.confab.sip.transport.internal.FlowTable;

/** A UDP listener and one remote address (RFC 5626 §3); lives as long as its listener. */
final class UdpFlow implements DatagramFlow {

    private final UdpListener listener;
    private final InetSocketAddress remote;
    /** Made when first asked for: most datagrams' flows never are (a benign race makes equal strings). */
    private String id;

    UdpFlow(UdpListener listener, InetSocketAddress remote) {
        this.listener = listener;
        this.remote = remote;
    }

    @Override
    public String id() {
        String i = id;
        if (i == null) {
            i = FlowTable.udpFlowId(listener.flowIdPrefix(), remote);
            id = i;
        }
        return i;
    }

    @Override
    public Source source() {
        return listener;
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
        return o instanceof UdpFlow f && f.id().equals(id());
    }

    @Override
    public int hashCode() {
        return id().hashCode();
    }

    @Override
    public String toString() {
        return id();
    }
}
