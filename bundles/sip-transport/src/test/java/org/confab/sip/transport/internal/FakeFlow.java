package org.confab.sip.transport.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.confab.api.transport.TransportException;
import org.confab.sip.message.SipMessage;
import org.confab.sip.message.SipParser;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;

/** A flow that records what is written to it. */
class FakeFlow implements TransportFlow {

    private final String id;
    private final String transport;
    private final InetSocketAddress remote;
    private final InetSocketAddress local = new InetSocketAddress("127.0.0.1", 5060);
    private final List<byte[]> written = new ArrayList<>();
    private boolean open = true;
    private boolean closedAfterFlush;

    FakeFlow(String id, String transport, InetSocketAddress remote) {
        this.id = id;
        this.transport = transport;
        this.remote = remote;
    }

    static FakeFlow udp() {
        return new FakeFlow("udp-1", "UDP", new InetSocketAddress("192.0.2.10", 5062));
    }

    static FakeFlow tcp() {
        return new FakeFlow("tcp-1", "TCP", new InetSocketAddress("192.0.2.10", 5062));
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
        return !"UDP".equals(transport);
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
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void write(byte[] data) throws TransportException {
        if (!open) {
            throw new TransportException("closed");
        }
        written.add(data.clone());
    }

    @Override
    public synchronized void close(boolean afterFlush) {
        open = false;
        closedAfterFlush = afterFlush;
    }

    synchronized boolean closedAfterFlush() {
        return !open && closedAfterFlush;
    }

    synchronized int count() {
        return written.size();
    }

    synchronized List<byte[]> raw() {
        return new ArrayList<>(written);
    }

    synchronized SipMessage message(int i) {
        try {
            return SipParser.parse(written.get(i));
        } catch (Exception e) {
            throw new AssertionError("unparseable output " + new String(written.get(i)), e);
        }
    }

    SipResponse response(int i) {
        return (SipResponse) message(i);
    }

    SipRequest request(int i) {
        return (SipRequest) message(i);
    }

    SipMessage last() {
        return message(count() - 1);
    }

    /** Statuses of every response written, in order. */
    synchronized List<Integer> statuses() {
        List<Integer> s = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            SipMessage m = message(i);
            if (m instanceof SipResponse r) {
                s.add(r.status());
            }
        }
        return s;
    }
}
