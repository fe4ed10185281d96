package org.confab.admin.shell.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.confab.api.transport.Flow;
import org.confab.api.transport.FlowRegistry;

/** FlowRegistry knowing a fixed set of open flows. */
final class FakeFlowRegistry implements FlowRegistry {

    final Map<String, Flow> open = new LinkedHashMap<>();

    void open(String id, String transport) {
        open.put(id, new OpenFlow(id, transport));
    }

    @Override
    public Optional<Flow> find(String flowId) {
        return Optional.ofNullable(open.get(flowId));
    }

    @Override
    public Collection<Flow> flows() {
        return new ArrayList<>(open.values());
    }

    @Override
    public void addFlowListener(FlowListener listener) {
        throw new UnsupportedOperationException("the shell never listens for flows");
    }

    @Override
    public void removeFlowListener(FlowListener listener) {
        throw new UnsupportedOperationException("the shell never listens for flows");
    }

    private record OpenFlow(String id, String transport) implements Flow {

        @Override
        public boolean isReliable() {
            return !transport.equals("UDP");
        }

        @Override
        public boolean isSecure() {
            return transport.equals("TLS");
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 40000);
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
}
