package org.confab.router.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.confab.api.transport.Flow;
import org.confab.api.transport.ServerTransaction;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;

/** Records what the router answers; like the real one, it ignores final responses after the first. */
final class FakeServerTransaction implements ServerTransaction {

    private final SipRequest request;
    private final Flow flow;
    private final boolean stateless;
    final List<SipResponse> responses = new ArrayList<>();
    final List<SipResponse> ignored = new ArrayList<>();
    Runnable cancelCallback;
    private final Map<String, Object> attributes = new HashMap<>();

    FakeServerTransaction(SipRequest request, Flow flow, boolean stateless) {
        this.request = request;
        this.flow = flow;
        this.stateless = stateless;
    }

    @Override
    public SipRequest request() {
        return request;
    }

    @Override
    public Flow flow() {
        return flow;
    }

    @Override
    public SipResponse createResponse(int status) {
        SipResponse response = request.createResponse(status);
        if (status > 100 && response.to().tag() == null) {
            response.setHeader(HeaderNames.TO, response.to().withTag("srvtag").toString());
        }
        return response;
    }

    @Override
    public synchronized void respond(SipResponse response) {
        if (stateless) {
            throw new IllegalStateException("no responses to an ACK");
        }
        if (isCompleted()) {
            ignored.add(response);
            return;
        }
        responses.add(response);
    }

    @Override
    public synchronized boolean isCompleted() {
        return responses.stream().anyMatch(r -> r.status() >= 200);
    }

    @Override
    public boolean isStateless() {
        return stateless;
    }

    @Override
    public void onCancel(Runnable callback) {
        this.cancelCallback = callback;
    }

    @Override
    public Object attribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    /** Final responses sent (never more than one with a real transaction). */
    synchronized List<SipResponse> finals() {
        return responses.stream().filter(r -> r.status() >= 200).toList();
    }

    synchronized SipResponse lastFinal() {
        List<SipResponse> finals = finals();
        return finals.isEmpty() ? null : finals.get(finals.size() - 1);
    }
}
