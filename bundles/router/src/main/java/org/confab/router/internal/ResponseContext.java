package org.confab.router.internal;

import java.util.ArrayList;
import java.util.List;
import org.confab.api.auth.AuthResult;
import org.confab.api.transport.ClientTransaction;
import org.confab.api.transport.ResponseListener;
import org.confab.api.transport.ServerTransaction;
import org.confab.api.transport.SipClient;
import org.confab.api.transport.TransportException;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.confab.sip.message.Via;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response context of one proxied request (RFC 3261 §16.6, §16.7): its branches, the
 * responses they brought, and whether a final response went upstream. It lives only as long as
 * its client transactions call back; nothing else holds it, so an update of the router loses at
 * most the contexts in flight.
 */
final class ResponseContext {

    private static final Logger LOG = LoggerFactory.getLogger(ResponseContext.class);

    /** One copy of the request and where it goes. */
    record Target(SipRequest request, Targets.Hop hop) {
    }

    private final ServerTransaction tx;
    private final SipClient client;
    private final boolean invite;
    private final List<AuthResult.Header> finalHeaders;
    private final OrderedActions out = new OrderedActions();
    private final List<Branch> branches = new ArrayList<>();
    private boolean finalSent;

    ResponseContext(ServerTransaction tx, SipClient client, List<AuthResult.Header> finalHeaders) {
        this.tx = tx;
        this.client = client;
        this.invite = "INVITE".equals(tx.request().method());
        this.finalHeaders = List.copyOf(finalHeaders);
    }

    /** Sends every copy in parallel (RFC 3261 §16.6 step 10). */
    void start(List<Target> targets) {
        synchronized (this) {
            for (Target t : targets) {
                Branch b = new Branch(t);
                branches.add(b);
                out.add(b::send);
            }
        }
        if (invite) {
            tx.onCancel(this::cancel); // RFC 3261 §16.10
        }
        out.drain();
    }

    /** The caller's CANCEL: cancel every pending branch and answer the INVITE with 487 (RFC 3261 §16.10). */
    void cancel() {
        synchronized (this) {
            if (finalSent) {
                return;
            }
            finalSent = true;
            for (Branch b : branches) {
                requestCancel(b);
            }
            out.add(() -> tx.respond(withFinalHeaders(tx.createResponse(487))));
        }
        out.drain();
    }

    /** Under the lock. RFC 3261 §9.1: a CANCEL waits for a provisional response of the branch. */
    private void requestCancel(Branch b) {
        if (b.done || b.cancelRequested) {
            return;
        }
        b.cancelRequested = true;
        cancelIfReady(b);
    }

    private void cancelIfReady(Branch b) {
        if (b.cancelRequested && !b.cancelSent && b.provisional && b.ct != null && !b.done) {
            b.cancelSent = true;
            ClientTransaction ct = b.ct;
            out.add(ct::cancel);
        }
    }

    private void onResponse(Branch b, SipResponse response) {
        stripOwnVia(b, response);
        int status = response.status();
        synchronized (this) {
            if (status < 200) {
                onProvisional(b, response);
            } else if (status < 300) {
                onSuccess(b, response);
            } else if (!b.done) {
                b.done = true;
                b.outcome = new BestResponse.Outcome(status, response);
                if (status >= 600 && invite) {
                    cancelOthers(b); // RFC 3261 §16.7 step 4
                }
                finishIfAllDone();
            }
        }
        out.drain();
    }

    private void onProvisional(Branch b, SipResponse response) {
        if (b.done) {
            return;
        }
        b.provisional = true;
        cancelIfReady(b);
        if (response.status() > 100 && !finalSent) { // RFC 3261 §16.7 step 5: 100 is not forwarded
            out.add(() -> tx.respond(response));
        }
    }

    private void onSuccess(Branch b, SipResponse response) {
        boolean first = !b.done;
        b.done = true;
        if (first) {
            b.outcome = new BestResponse.Outcome(response.status(), response);
        }
        if (!finalSent) {
            finalSent = true;
            out.add(() -> tx.respond(withFinalHeaders(response)));
            if (invite) {
                cancelOthers(b); // RFC 3261 §16.7 step 10
            }
        } else if (invite) {
            // RFC 3261 §16.7 step 5: every 2xx to an INVITE goes upstream, past the completed transaction
            out.add(() -> forwardStateless(response));
        } else {
            LOG.debug("Dropping later {} to {} (Call-ID {}): a final response was sent", response.status(),
                    tx.request().method(), tx.request().callId());
        }
    }

    private void onFailure(Branch b, int status, String why) {
        synchronized (this) {
            if (b.done) {
                return;
            }
            LOG.debug("Branch to {} failed: {}", b.target.hop().destination(), why);
            b.done = true;
            b.outcome = new BestResponse.Outcome(status, null);
            finishIfAllDone();
        }
        out.drain();
    }

    private void cancelOthers(Branch winner) {
        for (Branch other : branches) {
            if (other != winner) {
                requestCancel(other);
            }
        }
    }

    private void finishIfAllDone() {
        if (finalSent) {
            return;
        }
        List<BestResponse.Outcome> outcomes = new ArrayList<>();
        for (Branch b : branches) {
            if (!b.done) {
                return;
            }
            outcomes.add(b.outcome);
        }
        finalSent = true;
        out.add(() -> tx.respond(withFinalHeaders(best(outcomes))));
    }

    /** RFC 3261 §16.7 steps 6 and 7. */
    private SipResponse best(List<BestResponse.Outcome> outcomes) {
        int index = BestResponse.choose(outcomes);
        if (index < 0) {
            return tx.createResponse(480); // nothing answered: as good as not registered
        }
        BestResponse.Outcome chosen = outcomes.get(index);
        if (chosen.synthetic()) {
            return tx.createResponse(chosen.status() == 503 ? 500 : chosen.status());
        }
        SipResponse response = chosen.response();
        if (response.status() == 503) {
            return Responses.rebuild(response, 500, SipResponse.defaultReason(500)); // §16.7 step 6
        }
        if (response.status() == 401 || response.status() == 407) {
            for (BestResponse.Outcome o : outcomes) {
                if (o != chosen && !o.synthetic() && (o.status() == 401 || o.status() == 407)) {
                    copyAll(o.response(), response, HeaderNames.WWW_AUTHENTICATE);
                    copyAll(o.response(), response, HeaderNames.PROXY_AUTHENTICATE);
                }
            }
        }
        return response;
    }

    private static void copyAll(SipResponse from, SipResponse to, String name) {
        for (String value : from.headers(name)) {
            to.addHeader(name, value);
        }
    }

    private SipResponse withFinalHeaders(SipResponse response) {
        for (AuthResult.Header h : finalHeaders) {
            response.addHeader(h.name(), h.value());
        }
        return response;
    }

    private void forwardStateless(SipResponse response) {
        try {
            client.sendStateless(response, Targets.back(tx.flow()));
        } catch (TransportException e) {
            LOG.debug("Could not forward a later 2xx (Call-ID {}): {}", response.callId(), e.getMessage());
        }
    }

    /** The transport removes its Via; should one still be on top, it must not reach the caller. */
    private static void stripOwnVia(Branch b, SipResponse response) {
        ClientTransaction ct = b.ct;
        if (ct == null || ct.branch() == null) {
            return;
        }
        try {
            Via top = response.topVia();
            if (top != null && ct.branch().equals(top.branch())) {
                response.removeFirstValue(HeaderNames.VIA);
            }
        } catch (RuntimeException e) {
            LOG.debug("Unreadable Via in a response: {}", e.getMessage());
        }
    }

    /** One client transaction of the context. Fields are guarded by the context's lock. */
    private final class Branch implements ResponseListener {

        final Target target;
        volatile ClientTransaction ct;
        boolean provisional;
        boolean done;
        boolean cancelRequested;
        boolean cancelSent;
        BestResponse.Outcome outcome;

        Branch(Target target) {
            this.target = target;
        }

        /** Runs as an ordered action: no lock held while the transport works. */
        void send() {
            ClientTransaction sent;
            try {
                sent = client.send(target.request(), target.hop().destination(), this);
            } catch (RuntimeException e) {
                LOG.warn("Could not send {} to {}: {}", target.request().method(), target.hop().destination(), e.toString());
                onFailure(this, 503, e.toString());
                return;
            }
            synchronized (ResponseContext.this) {
                ct = sent;
                cancelIfReady(this);
            }
        }

        @Override
        public void onResponse(SipResponse response) {
            ResponseContext.this.onResponse(this, response);
        }

        @Override
        public void onTimeout() {
            onFailure(this, 408, "timeout"); // RFC 3261 §16.7 step 6 / §16.8: counts as 408
        }

        @Override
        public void onTransportError(TransportException cause) {
            onFailure(this, 503, cause.getMessage()); // RFC 3261 §16.9: counts as 503
        }
    }
}
