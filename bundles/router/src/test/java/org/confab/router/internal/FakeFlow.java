package org.confab.router.internal;

import java.net.InetSocketAddress;
import org.confab.api.transport.Flow;

/** A flow that is just its description. */
final class FakeFlow implements Flow {

    private final String id;
    private final String transport;
    private final InetSocketAddress remote;

    FakeFlow(String id, String transport, String remoteHost, int remotePort) {
        this.id = id;
        this.transport = transport;
        this.remote = new InetSocketAddress(remoteHost, remotePort);
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
        return "TLS".equals(transport);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 5060);
    }

    @Override
    public boolean isOpen() {
        return true;
    }
}
