package org.confab.router.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.confab.api.auth.AuthResult;
import org.confab.api.auth.Authentication;
import org.confab.api.auth.Authenticator;
import org.confab.api.auth.ChallengeKind;
import org.confab.api.store.Binding;
import org.confab.api.store.DomainStore;
import org.confab.api.store.LocationStore;
import org.confab.api.store.User;
import org.confab.api.store.UserStore;
import org.confab.api.transport.ServerTransaction;
import org.confab.api.transport.SipApplication;
import org.confab.api.transport.SipClient;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.NameAddr;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.confab.sip.message.SipUri;
import org.confab.sip.message.Uri;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stateful proxy core (RFC 3261 §16). A request outside a dialog is authenticated as from
 * its From user (407 challenge) and forked to every registered endpoint of its target; a request
 * inside a dialog follows its route set. State: only the response contexts of requests in flight.
 */
@Component(name = "org.confab.router", service = SipApplication.class, property = {
    SipApplication.METHOD_PROPERTY + "=MESSAGE", SipApplication.METHOD_PROPERTY + "=INVITE",
    SipApplication.METHOD_PROPERTY + "=ACK", SipApplication.METHOD_PROPERTY + "=BYE",
    SipApplication.METHOD_PROPERTY + "=CANCEL", SipApplication.METHOD_PROPERTY + "=INFO",
    SipApplication.METHOD_PROPERTY + "=OPTIONS", SipApplication.METHOD_PROPERTY + "=UPDATE",
    SipApplication.METHOD_PROPERTY + "=PRACK", SipApplication.METHOD_PROPERTY + "=REFER",
    SipApplication.METHOD_PROPERTY + "=NOTIFY"})
@Designate(ocd = RouterConfig.class)
public class Router implements SipApplication {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    /** Requests that may create a dialog: we stay on its route (RFC 3261 §16.6 step 4). */
    private static final Set<String> RECORD_ROUTED = Set.of("INVITE", "SUBSCRIBE", "REFER");

    /** What the configuration sets. */
    record Settings(int retryAfterSeconds, int maxBranches, String allow) {
        static final Settings DEFAULTS = new Settings(5, 10,
                "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, INFO, UPDATE, PRACK, REFER, NOTIFY, REGISTER, SUBSCRIBE, PUBLISH");
    }

    @Reference
    SipClient client;

    @Reference
    LocationStore locations;

    @Reference
    UserStore users;

    @Reference
    DomainStore domains;

    /** Optional: while the registrar is being updated, requests needing authentication get 503. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Authenticator authenticator;

    volatile Settings settings = Settings.DEFAULTS;

    @Activate
    @Modified
    void activate(RouterConfig config) {
        settings = new Settings(Math.max(1, config.retry_after_s()), Math.max(1, config.max_branches()),
                config.allow() == null || config.allow().isBlank() ? Settings.DEFAULTS.allow() : config.allow().trim());
        LOG.info("Router active (max {} branches per request)", settings.maxBranches());
    }

    @Deactivate
    void deactivate() {
        // contexts in flight keep their SipClient and finish on their own threads
        LOG.info("Router stopped");
    }

    @Override
    public void onRequest(ServerTransaction tx) {
        SipRequest request = tx.request();
        String method = request.method();
        if ("ACK".equals(method)) {
            onAck(tx);
            return;
        }
        try {
            route(tx, request, method);
        } catch (RejectException e) {
            LOG.debug("{} {} (Call-ID {}) answered {} {}", method, request.requestUri(), request.callId(),
                    e.status(), e.reason());
            answer(tx, e.status(), e.reason(), e.headers());
        } catch (RuntimeException e) {
            LOG.error("Failed to route {} {} (Call-ID {})", method, request.requestUri(), request.callId(), e);
            answer(tx, 500, "Server Internal Error", List.of());
        }
    }

    private void route(ServerTransaction tx, SipRequest request, String method) {
        if ("CANCEL".equals(method)) {
            // RFC 3261 §9.2: the transaction layer matches CANCELs; one that reaches us matched nothing
            throw new RejectException(481, "Call/Transaction Does Not Exist");
        }
        if (!(request.requestUri() instanceof SipUri ruri)) {
            throw new RejectException(416, "Unsupported URI Scheme"); // RFC 3261 §16.3 step 2
        }
        if (hasToTag(request)) {
            checkMaxForwards(request);
            new InDialogRouter(client, locations, domains).forward(tx); // RFC 3261 §16.12: no new authentication inside a dialog
            return;
        }
        Self self = new Self(client, domains);
        if ("OPTIONS".equals(method) && ruri.user() == null && self.isUs(ruri)) {
            SipResponse ok = tx.createResponse(200); // RFC 3261 §11.2: the server answers for itself
            ok.setHeader(HeaderNames.ALLOW, settings.allow());
            tx.respond(ok);
            return;
        }
        checkMaxForwards(request);
        List<AuthResult.Header> authHeaders = authenticate(tx, request);
        SipRequest copy = request.copy();
        Routing.preprocess(copy, self);
        if (Routing.topRoute(copy) != null) {
            throw new RejectException(403, "Relaying not allowed"); // no federation: no hop but ours
        }
        fork(tx, copy, method, self, authHeaders);
    }

    /** RFC 3261 §16.5 and §16.6: the target's registered endpoints, each in its own branch. */
    private void fork(ServerTransaction tx, SipRequest copy, String method, Self self,
                      List<AuthResult.Header> authHeaders) {
        if (!(copy.requestUri() instanceof SipUri target)) {
            throw new RejectException(416, "Unsupported URI Scheme");
        }
        if (target.user() == null || target.user().isEmpty()) {
            throw new RejectException(404, "No user part in Request-URI");
        }
        if (!domains.isServed(HostPort.bare(target.host()))) {
            throw new RejectException(403, "Domain not served");
        }
        String aor = target.aor();
        boolean enabled = users.find(aor).map(User::enabled).orElse(false);
        if (!enabled) {
            throw new RejectException(404, "Not Found"); // unknown and disabled alike
        }
        List<Binding> bindings = Targets.live(locations, aor);
        String recordRoute = null;
        if (RECORD_ROUTED.contains(method)) {
            recordRoute = self.recordRoute(tx.flow().transport());
            if (recordRoute == null) {
                LOG.warn("No {} listener to Record-Route {} (Call-ID {})", tx.flow().transport(), method, copy.callId());
            }
        }
        List<ResponseContext.Target> targets = new ArrayList<>();
        for (Binding b : bindings) {
            if (targets.size() >= settings.maxBranches()) {
                break;
            }
            Uri contact = Targets.contactUri(b.contact());
            Targets.Hop hop = contact == null ? null : hopOf(b, contact);
            if (hop == null) {
                LOG.warn("Skipping binding of {} with unusable contact {} / source {}", aor, b.contact(), b.source());
                continue;
            }
            SipRequest branch = copy.copy();
            branch.setRequestUri(contact); // RFC 3261 §16.6 step 2
            prepareCopy(branch);
            if (recordRoute != null) {
                branch.addHeaderFirst(HeaderNames.RECORD_ROUTE, recordRoute);
            }
            targets.add(new ResponseContext.Target(branch, hop));
        }
        if (targets.isEmpty()) {
            throw new RejectException(480, "Temporarily Unavailable");
        }
        LOG.debug("Forking {} to {} ({} branches, Call-ID {})", method, aor, targets.size(), copy.callId());
        new ResponseContext(tx, client, authHeaders).start(targets);
    }

    private static Targets.Hop hopOf(Binding b, Uri contact) {
        try {
            return Targets.toBinding(b, contact);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** RFC 3261 §22.3: proxy authentication, as the From user. */
    private List<AuthResult.Header> authenticate(ServerTransaction tx, SipRequest request) {
        AuthResult result = Authentication.check(authenticator, request, tx.flow(), ChallengeKind.PROXY,
                settings.retryAfterSeconds());
        if (!result.isAuthenticated()) {
            throw new RejectException(result.status(), result.reason(), result.headers());
        }
        String from = fromAor(request);
        SipUri identity = Targets.parseSip(result.identity());
        if (from == null || identity == null || !from.equals(identity.aor())) {
            throw new RejectException(403, "From does not match authenticated identity");
        }
        return result.headers();
    }

    private void onAck(ServerTransaction tx) {
        SipRequest request = tx.request();
        try {
            if (!hasToTag(request)) {
                LOG.debug("Dropping ACK outside any transaction or dialog (Call-ID {})", request.callId());
                return;
            }
            new InDialogRouter(client, locations, domains).forwardAck(tx);
        } catch (RuntimeException e) {
            LOG.warn("Dropping ACK (Call-ID {}): {}", request.callId(), e.toString());
        }
    }

    private static void answer(ServerTransaction tx, int status, String reason, List<AuthResult.Header> headers) {
        if (tx.isStateless() || tx.isCompleted()) {
            return;
        }
        try {
            Responses.send(tx, status, reason, headers);
        } catch (RuntimeException e) {
            LOG.error("Could not answer {} to {} (Call-ID {})", status, tx.request().method(), tx.request().callId(), e);
        }
    }

    /** RFC 3261 §16.3 step 3. */
    private static void checkMaxForwards(SipRequest request) {
        if (maxForwards(request) == 0) {
            throw new RejectException(483, "Too Many Hops");
        }
    }

    private static int maxForwards(SipRequest request) {
        try {
            return request.maxForwards();
        } catch (RuntimeException e) {
            throw new RejectException(400, "Bad Max-Forwards header");
        }
    }

    /**
     * What every forwarded copy gets: Max-Forwards decremented, or 70 when absent (RFC 3261 §16.6
     * step 3), and no credentials: they were for us (MS-DIALECT §7 row 19; RFC 3261 §22.3).
     */
    static void prepareCopy(SipRequest copy) {
        int mf = maxForwards(copy);
        copy.setHeader(HeaderNames.MAX_FORWARDS, Integer.toString(mf < 0 ? 70 : Math.max(0, mf - 1)));
        copy.removeHeader(HeaderNames.PROXY_AUTHORIZATION);
        copy.removeHeader(HeaderNames.AUTHORIZATION);
    }

    static boolean hasToTag(SipRequest request) {
        NameAddr to;
        try {
            to = request.to();
        } catch (RuntimeException e) {
            throw new RejectException(400, "Bad To header");
        }
        if (to == null) {
            throw new RejectException(400, "Missing To header");
        }
        return to.tag() != null && !to.tag().isEmpty();
    }

    /** The AOR of the From URI, or null when it is not a SIP URI. */
    static String fromAor(SipRequest request) {
        try {
            NameAddr from = request.from();
            return from != null && from.uri() instanceof SipUri sip ? sip.aor() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The AOR of the To URI, or null when it is not a SIP URI. */
    static String toAor(SipRequest request) {
        try {
            NameAddr to = request.to();
            return to != null && to.uri() instanceof SipUri sip ? sip.aor() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
