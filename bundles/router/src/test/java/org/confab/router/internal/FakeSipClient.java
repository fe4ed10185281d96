package org.confab.router.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.confab.api.transport.ClientTransaction;
import org.confab.api.transport.Destination;
import org.confab.api.transport.ResponseListener;
import org.confab.api.transport.SipClient;
import org.confab.api.transport.TransportException;
import org.confab.sip.message.SipMessage;
import org.confab.sip.message.SipRequest;

/** Records sent requests; tests answer them by calling the recorded listeners. */
final class FakeSipClient implements SipClient {

    /** One request sent in a client transaction. */
    record Sent(SipRequest request, Destination destination, ResponseListener listener, FakeClientTransaction ct) {
    }

    /** One message sent without a transaction. */
    record Stateless(SipMessage message, Destination destination) {
    }

    final List<Sent> sent = new ArrayList<>();
    final List<Stateless> stateless = new ArrayList<>();
    final Map<String, String> sentBy = new HashMap<>(Map.of(
            "UDP", "127.0.0.1:5060", "TCP", "127.0.0.1:5060", "TLS", "127.0.0.1:5061"));
    RuntimeException failSend;

    @Override
    public synchronized ClientTransaction send(SipRequest request, Destination destination, ResponseListener listener) {
        if (failSend != null) {
            throw failSend;
        }
        FakeClientTransaction ct = new FakeClientTransaction(request, "z9hG4bKproxy" + sent.size());
        sent.add(new Sent(request, destination, listener, ct));
        return ct;
    }

    @Override
    public synchronized void sendStateless(SipMessage message, Destination destination) throws TransportException {
        stateless.add(new Stateless(message, destination));
    }

    @Override
    public String localSentBy(String transport) {
        return sentBy.get(transport);
    }

    /** A client transaction that counts CANCELs. */
    static final class FakeClientTransaction implements ClientTransaction {

        private final SipRequest request;
        private final String branch;
        int cancels;

        FakeClientTransaction(SipRequest request, String branch) {
            this.request = request;
            this.branch = branch;
        }

        @Override
        public SipRequest request() {
            return request;
        }

        @Override
        public String branch() {
            return branch;
        }

        @Override
        public void cancel() {
            cancels++;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }
    }
}
