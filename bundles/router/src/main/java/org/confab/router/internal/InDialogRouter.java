package org.confab.router.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.confab.api.store.Binding;
import org.confab.api.store.DomainStore;
import org.confab.api.store.LocationStore;
import org.confab.api.transport.ServerTransaction;
import org.confab.api.transport.SipClient;
import org.confab.api.transport.TransportException;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipUri;
import org.confab.sip.message.Uri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests inside a dialog (To tag present), which carry the route set our Record-Route made:
 * loose routing (RFC 3261 §16.4, §16.12) to the next Route or to the Request-URI, over the
 * registered flow of the endpoint that URI names. No authentication again (the dialog was
 * authenticated when it was made), but no open relay either: either the target or the sender
 * must be a registered endpoint.
 */
final class InDialogRouter {

    private static final Logger LOG = LoggerFactory.getLogger(InDialogRouter.class);

    private final SipClient client;
    private final LocationStore locations;
    private final DomainStore domains;

    InDialogRouter(SipClient client, LocationStore locations, DomainStore domains) {
        this.client = client;
        this.locations = locations;
        this.domains = domains;
    }

    /** Forwards a request statefully; every failure ends in a response through {@link RejectException}. */
    void forward(ServerTransaction tx) {
        SipRequest copy = tx.request().copy();
        Targets.Hop hop = resolve(tx, copy);
        Router.prepareCopy(copy);
        new ResponseContext(tx, client, List.of()).start(List.of(new ResponseContext.Target(copy, hop)));
    }

    /** RFC 3261 §16.11: an ACK for a 2xx goes on statelessly, with a Via of our own. Never answered. */
    void forwardAck(ServerTransaction tx) {
        SipRequest request = tx.request();
        if (request.maxForwards() == 0) {
            LOG.debug("Dropping ACK with Max-Forwards 0 (Call-ID {})", request.callId());
            return;
        }
        SipRequest copy = request.copy();
        Targets.Hop hop;
        try {
            hop = resolve(tx, copy);
        } catch (RejectException e) {
            LOG.debug("Dropping ACK (Call-ID {}): {} {}", request.callId(), e.status(), e.reason());
            return;
        }
        String sentBy = new Self(client, domains).sentBy(hop.transport());
        if (sentBy == null) {
            LOG.warn("Dropping ACK (Call-ID {}): no {} listener for our Via", request.callId(), hop.transport());
            return;
        }
        Router.prepareCopy(copy);
        // RFC 3261 §8.1.1.7: a branch of our own, with the magic cookie
        copy.addHeaderFirst(HeaderNames.VIA, "SIP/2.0/" + hop.transport() + " " + sentBy
                + ";branch=z9hG4bK" + UUID.randomUUID().toString().replace("-", ""));
        try {
            client.sendStateless(copy, hop.destination());
        } catch (TransportException e) {
            LOG.debug("ACK (Call-ID {}) not sent to {}: {}", request.callId(), hop.destination(), e.getMessage());
        }
    }

    /** Applies Route processing to the copy and finds the next hop. */
    private Targets.Hop resolve(ServerTransaction tx, SipRequest copy) {
        Self self = new Self(client, domains);
        Routing.preprocess(copy, self);
        SipUri route = Routing.topRoute(copy);
        if (route != null) {
            // the route set goes on past us: only a registered sender may use us for that
            requireRegisteredSender(tx, copy);
            Routing.strictNextHop(copy, route);
            return Targets.toUri(route);
        }
        Uri uri = copy.requestUri();
        if (!(uri instanceof SipUri target)) {
            throw new RejectException(416, "Unsupported URI Scheme");
        }
        if (target.user() == null && self.isUs(target)) {
            throw new RejectException(481, "Call/Transaction Does Not Exist"); // we keep no dialogs
        }
        Binding binding = Targets.matchContact(locations, candidateAors(copy, target), target);
        if (binding == null && target.port() <= 0 && domains.isServed(HostPort.bare(target.host()))) {
            binding = byAor(target, copy);
        }
        if (binding != null) {
            Targets.Hop hop = Targets.toBinding(binding, Targets.contactUri(binding.contact()));
            if (hop != null) {
                return hop;
            }
        }
        requireRegisteredSender(tx, copy);
        return Targets.toUri(target);
    }

    /**
     * An in-dialog request addressed to an AOR rather than a contact (MS-DIALECT §6: route by the
     * AOR in the Request-URI): the user's endpoint; with several, the one with the highest q.
     */
    private Binding byAor(SipUri target, SipRequest copy) {
        List<Binding> bindings = Targets.live(locations, target.aor());
        if (bindings.isEmpty()) {
            throw new RejectException(480, "Temporarily Unavailable");
        }
        Binding b = bindings.get(0);
        Uri contact = Targets.contactUri(b.contact());
        if (contact != null) {
            copy.setRequestUri(contact); // RFC 3261 §16.5: the location service's answer
        }
        return b;
    }

    /** To, Request-URI and From AORs: whose bindings may hold the target contact. */
    private static List<String> candidateAors(SipRequest request, SipUri target) {
        List<String> aors = new ArrayList<>();
        addAor(aors, Router.toAor(request));
        addAor(aors, target.aor());
        addAor(aors, Router.fromAor(request));
        return aors;
    }

    private static void addAor(List<String> aors, String aor) {
        if (aor != null && !aors.contains(aor)) {
            aors.add(aor);
        }
    }

    private void requireRegisteredSender(ServerTransaction tx, SipRequest request) {
        String from = Router.fromAor(request);
        if (from == null || !Targets.isFlowOf(locations, from, tx.flow())) {
            throw new RejectException(403, "Relaying not allowed");
        }
    }
}
