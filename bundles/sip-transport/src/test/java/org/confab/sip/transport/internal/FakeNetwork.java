package org.confab.sip.transport.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/** A network of fake flows: UDP flows per remote address, connections that always succeed. */
final class FakeNetwork implements Network {

    final Map<InetSocketAddress, FakeFlow> udp = new ConcurrentHashMap<>();
    final List<FakeFlow> connections = new ArrayList<>();
    final List<ListenerSpec> bound = new ArrayList<>();

    @Override
    public InetSocketAddress bind(ListenerSpec spec) throws IOException {
        bound.add(spec);
        return new InetSocketAddress(spec.host(), spec.port());
    }

    @Override
    public void unbind(ListenerSpec spec) {
        bound.remove(spec);
    }

    @Override
    public TransportFlow udpFlow(InetSocketAddress local, InetSocketAddress remote) {
        return udp.computeIfAbsent(remote, r -> new FakeFlow(FlowTable.udpFlowId(
                local != null ? local : new InetSocketAddress("127.0.0.1", 5060), r), "UDP", r));
    }

    @Override
    public synchronized void connect(String transport, InetSocketAddress remote, BiConsumer<TransportFlow, Exception> callback) {
        FakeFlow f = new FakeFlow("tcp-out-" + connections.size(), transport, remote);
        connections.add(f);
        callback.accept(f, null);
    }

    @Override
    public void shutdown() {
        bound.clear();
    }
}
