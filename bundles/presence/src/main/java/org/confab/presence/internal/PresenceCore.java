package org.confab.presence.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.confab.api.auth.AuthResult;
import org.confab.api.auth.Authentication;
import org.confab.api.auth.Authenticator;
import org.confab.api.auth.ChallengeKind;
import org.confab.api.presence.AclEntry;
import org.confab.api.presence.AclListener;
import org.confab.api.presence.AclStore;
import org.confab.api.presence.Authorization;
import org.confab.api.presence.Contact;
import org.confab.api.presence.ContactStore;
import org.confab.api.presence.EndpointState;
import org.confab.api.presence.Presence;
import org.confab.api.presence.PresenceService;
import org.confab.api.presence.PresenceStateStore;
import org.confab.api.presence.Publication;
import org.confab.api.presence.Subscription;
import org.confab.api.presence.WatcherInfo;
import org.confab.api.presence.WatcherState;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The presence core: PUBLISH (RFC 3903) and SUBSCRIBE (RFC 6665) for the presence (RFC 3856)
 * and presence.winfo (RFC 3857) packages, composition, authorization and introspection. Its
 * live state (publications, subscription dialogs) is in the store bundle's
 * {@link PresenceStateStore}, so an update of this bundle continues every subscription. A stop
 * of the whole server instead ends every subscription with a final NOTIFY
 * ({@code terminated;reason=deactivated}, RFC 6665 §4.2.2) so that clients subscribe again.
 */
@Component(name = "org.confab.presence", service = {SipApplication.class, PresenceService.class}, property = {
    SipApplication.METHOD_PROPERTY + "=SUBSCRIBE", SipApplication.METHOD_PROPERTY + "=PUBLISH"})
@Designate(ocd = PresenceConfig.class)
public class PresenceCore implements SipApplication, PresenceService, AclListener {

    static final String PRESENCE = "presence";
    static final String WINFO = "presence.winfo";
    private static final String ALLOW_EVENTS = "Allow-Events";
    private static final Logger LOG = LoggerFactory.getLogger(PresenceCore.class);

    /** What the configuration sets. */
    record Settings(int defaultExpires, int minExpires, int maxExpires, int minNotifyIntervalMs, int threads,
                    int sweepMs, boolean offlineWithoutRegistration, int retryAfter, int shutdownWaitMs,
                    int maxPublicationsPerUser) {
        static Settings from(PresenceConfig c) {
            int min = Math.max(1, c.min_expires());
            return new Settings(Math.max(min, c.default_expires()), min, Math.max(min, c.max_expires()),
                    Math.max(0, c.min_notify_interval_ms()), Math.max(1, c.notify_threads()),
                    Math.max(50, c.sweep_interval_ms()), c.offline_without_registration(), Math.max(1, c.retry_after_s()),
                    Math.max(0, c.shutdown_notify_wait_ms()), Math.max(1, c.max_publications_per_user()));
        }
    }

    @Reference
    SipClient client;

    @Reference
    UserStore users;

    @Reference
    DomainStore domains;

    @Reference
    AclStore acls;

    @Reference
    PresenceStateStore state;

    @Reference
    ContactStore contacts;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile LocationStore locations;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Authenticator authenticator;

    Clock clock = Clock.systemUTC();
    /** True while the whole server stops (not when only this bundle is updated or stopped). */
    BooleanSupplier serverStopping = () -> false;
    private Settings settings;
    private ScheduledThreadPoolExecutor executor;
    Notifier notifier;
    private final Map<String, Set<String>> publicationsByAor = new ConcurrentHashMap<>();
    private final Map<String, Boolean> registered = new ConcurrentHashMap<>();
    /** Member URI to the resource list subscriptions that hold it (RFC 4662). */
    private final Map<String, Set<String>> listsByMember = new ConcurrentHashMap<>();
    /** List subscriptions refreshed since their last NOTIFY: the next one carries full state. */
    private final Set<String> fullStateDue = ConcurrentHashMap.newKeySet();
    /** List subscription to the members changed since its last NOTIFY (for partial notifications). */
    private final Map<String, Set<String>> changedMembers = new ConcurrentHashMap<>();

    @Activate
    void activate(BundleContext context, PresenceConfig config) {
        Bundle system = context.getBundle(0);
        serverStopping = () -> system.getState() == Bundle.STOPPING;
        start(Settings.from(config));
    }

    /** Starts with these settings and picks up the state a previous instance left in the store. */
    void start(Settings s) {
        settings = s;
        executor = new ScheduledThreadPoolExecutor(s.threads(), r -> {
            Thread t = new Thread(r, "confab-presence-notify");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        for (Publication p : state.publications()) {
            publicationsByAor.computeIfAbsent(p.aor(), k -> ConcurrentHashMap.newKeySet()).add(p.etag());
        }
        notifier = new Notifier(client, state, executor, clock, s.minNotifyIntervalMs(), this::content);
        notifier.onPresenceChange(this::memberChanged);
        for (Subscription sub : state.subscriptions()) {
            if (Notifier.LIST.equals(sub.event())) {
                indexList(sub);
            }
        }
        for (String aor : followed()) {
            registered.put(aor, isRegistered(aor));
        }
        acls.addListener(this);
        executor.scheduleWithFixedDelay(this::sweep, s.sweepMs(), s.sweepMs(), TimeUnit.MILLISECONDS);
        LOG.info("Presence active: {} publication(s), {} subscription(s) continued",
                state.publications().size(), state.subscriptions().size());
    }

    @Deactivate
    void deactivate() {
        acls.removeListener(this);
        executor.shutdownNow();
        if (serverStopping.getAsBoolean()) {
            // memory state dies with the server: tell every subscriber to subscribe again
            int n = notifier.terminateAll("deactivated", settings.shutdownWaitMs());
            LOG.info("Server stopping: {} subscription(s) ended with reason=deactivated", n);
            return;
        }
        LOG.info("Presence stopped; {} subscription(s) stay in the store", state.subscriptions().size());
    }

    // SIP

    @Override
    public void onRequest(ServerTransaction tx) {
        SipRequest request = tx.request();
        if (tx.isStateless()) {
            return;
        }
        try {
            if ("PUBLISH".equals(request.method())) {
                publish(tx, request);
            } else {
                subscribe(tx, request);
            }
        } catch (Reject e) {
            answer(tx, e.status(), e.getMessage(), e.headers());
        } catch (RuntimeException e) {
            LOG.error("Failed to serve {} (Call-ID {})", request.method(), request.callId(), e);
            answer(tx, 500, "Server Internal Error", List.of());
        }
    }

    /** RFC 3903 §6. */
    private void publish(ServerTransaction tx, SipRequest request) {
        String event = event(request);
        String aor = target(request);
        List<AuthResult.Header> authHeaders = new ArrayList<>();
        String identity = authenticate(tx, request, authHeaders);
        if (!identity.equals(aor)) {
            throw new Reject(403, "Only " + aor + " may publish its presence");
        }
        if (!PRESENCE.equals(event)) {
            throw new Reject(489, "Bad Event", List.of(new AuthResult.Header(ALLOW_EVENTS, PRESENCE)));
        }
        int expires = expires(request);
        String ifMatch = request.header("SIP-If-Match");
        byte[] body = request.body();
        Publication old = null;
        if (ifMatch != null) {
            old = state.publication(ifMatch.trim()).filter(p -> p.aor().equals(aor)).orElse(null);
            if (old == null) {
                throw new Reject(412, "Conditional Request Failed"); // RFC 3903 §6 step 4
            }
        } else if (body.length == 0) {
            throw new Reject(400, "PUBLISH without a body needs SIP-If-Match");
        }
        if (expires == 0) {
            if (old == null) {
                throw new Reject(400, "Removing a publication needs SIP-If-Match");
            }
            removePublication(old);
            SipResponse ok = tx.createResponse(200);
            ok.setHeader(HeaderNames.EXPIRES, "0");
            addAll(ok, authHeaders);
            tx.respond(ok);
            notifier.changed(aor, PRESENCE);
            return;
        }
        Instant now = clock.instant();
        EndpointState st;
        String endpointId = old == null ? newTag() : old.state().endpointId();
        if (body.length > 0) {
            String type = request.header(HeaderNames.CONTENT_TYPE);
            if (type == null || !type.trim().toLowerCase(Locale.ROOT).startsWith(Pidf.CONTENT_TYPE)) {
                throw new Reject(415, "Unsupported Media Type", List.of(new AuthResult.Header("Accept", Pidf.CONTENT_TYPE)));
            }
            try {
                st = Pidf.parse(body, endpointId, now, orEmpty(request.header(HeaderNames.USER_AGENT)));
            } catch (IllegalArgumentException e) {
                throw new Reject(400, "Bad PIDF document: " + oneLine(e.getMessage()));
            }
        } else {
            st = old.state(); // refresh (RFC 3903 §4.2)
        }
        if (old != null) {
            removePublication(old);
        }
        // RFC 3903 §6 step 8: every successful PUBLISH gets a new entity tag
        Publication p = new Publication(newTag(), aor, st, now.plusSeconds(expires));
        putPublication(p);
        SipResponse ok = tx.createResponse(200);
        ok.setHeader("SIP-ETag", p.etag());
        ok.setHeader(HeaderNames.EXPIRES, Integer.toString(expires));
        addAll(ok, authHeaders);
        tx.respond(ok);
        if (body.length > 0) {
            notifier.changed(aor, PRESENCE);
        }
    }

    /** RFC 6665 §4.2.1, RFC 3856 §6. */
    private void subscribe(ServerTransaction tx, SipRequest request) {
        String event = event(request);
        if (!PRESENCE.equals(event) && !WINFO.equals(event)) {
            throw new Reject(489, "Bad Event", List.of(new AuthResult.Header(ALLOW_EVENTS, PRESENCE + ", " + WINFO)));
        }
        NameAddr to = request.to();
        NameAddr from = request.from();
        if (to == null || from == null || from.tag() == null || request.callId() == null) {
            throw new Reject(400, "Missing To, From tag or Call-ID");
        }
        List<AuthResult.Header> authHeaders = new ArrayList<>();
        if (to.tag() != null && !to.tag().isEmpty()) {
            refresh(tx, request, to, from, authHeaders);
            return;
        }
        String presentity = target(request);
        String watcher = authenticate(tx, request, authHeaders);
        if (!(from.uri() instanceof SipUri fromUri) || !fromUri.aor().equals(watcher)) {
            throw new Reject(403, "From does not match authenticated identity");
        }
        if (WINFO.equals(event) && !watcher.equals(presentity)) {
            throw new Reject(403, "Only " + presentity + " may watch who watches it");
        }
        List<NameAddr> contacts = request.contacts();
        if (contacts.isEmpty()) {
            throw new Reject(400, "Missing Contact");
        }
        int expires = expires(request);
        // RFC 4662 §4: a user's own AOR with Supported: eventlist names its contact list
        boolean list = PRESENCE.equals(event) && watcher.equals(presentity) && supports(request, "eventlist");
        if (list) {
            event = Notifier.LIST;
        }
        SipResponse ok = tx.createResponse(200); // RFC 6665 §4.2.1.1: 200, not 202
        String localTag = ok.to().tag();
        String id = request.callId() + ";" + from.tag() + ";" + localTag;
        List<String> routeSet = new ArrayList<>(request.headerValues(HeaderNames.RECORD_ROUTE));
        var flow = tx.flow();
        Subscription s = new Subscription(id, event, watcher, presentity, request.callId(), localTag, from.tag(),
                to.uri().toString(), from.uri().toString(), contacts.get(0).uri().toString(), routeSet, flow.id(),
                flow.transport(), flow.remoteAddress().getHostString(), flow.remoteAddress().getPort(), 0,
                clock.instant().plusSeconds(expires), 0);
        ok.setHeader(HeaderNames.EXPIRES, Integer.toString(expires));
        String sentBy = client.localSentBy(flow.transport());
        if (sentBy != null) {
            ok.setHeader(HeaderNames.CONTACT, "<sip:" + sentBy + ";transport=" + flow.transport().toLowerCase(Locale.ROOT) + ">");
        }
        addAll(ok, authHeaders);
        if (list) {
            ok.setHeader("Require", "eventlist"); // RFC 4662 §5.1
        }
        if (expires == 0) {
            tx.respond(ok);
            notifier.terminate(s, "timeout"); // a fetch: one NOTIFY with the state, then done (RFC 6665 §4.4.3)
            return;
        }
        state.putSubscription(s);
        notifier.index(s);
        if (list) {
            indexList(s);
        }
        registered.computeIfAbsent(presentity, this::isRegistered);
        tx.respond(ok);
        notifier.queue(id); // RFC 6665 §4.2.1.2: a NOTIFY at once
        if (PRESENCE.equals(event)) {
            notifier.changed(presentity, WINFO);
        }
        LOG.debug("{} subscribes to {} of {} for {} s", watcher, event, presentity, expires);
    }

    private void refresh(ServerTransaction tx, SipRequest request, NameAddr to, NameAddr from,
                         List<AuthResult.Header> authHeaders) {
        String id = request.callId() + ";" + from.tag() + ";" + to.tag();
        Subscription s = state.subscription(id).orElseThrow(
                () -> new Reject(481, "Subscription does not exist")); // RFC 6665 §4.2.1.2
        String identity = authenticate(tx, request, authHeaders);
        if (!identity.equals(s.watcher())) {
            throw new Reject(403, "Not the subscriber");
        }
        int expires = expires(request);
        boolean list = Notifier.LIST.equals(s.event());
        SipResponse ok = tx.createResponse(200);
        ok.setHeader(HeaderNames.EXPIRES, Integer.toString(expires));
        addAll(ok, authHeaders);
        if (list) {
            ok.setHeader("Require", "eventlist"); // RFC 4662 §5.1
            fullStateDue.add(id); // RFC 4662 §5.2: the NOTIFY after a SUBSCRIBE carries full state
        }
        tx.respond(ok);
        if (expires == 0) {
            notifier.terminate(s, null); // RFC 6665 §4.2.1.4: unsubscribe
            if (PRESENCE.equals(s.event())) {
                notifier.changed(s.presentity(), WINFO);
            }
            return;
        }
        state.putSubscription(s.withExpires(clock.instant().plusSeconds(expires)));
        notifier.queue(id);
    }

    /** What the subscription's next NOTIFY carries. */
    Notifier.Content content(Subscription s) {
        if (Notifier.LIST.equals(s.event())) {
            return listContent(s);
        }
        if (WINFO.equals(s.event())) {
            return new Notifier.Content("active", Winfo.CONTENT_TYPE,
                    Winfo.render(s.presentity(), s.version() + 1, watchers(s.presentity())));
        }
        Authorization a = authorize(s.watcher(), s.presentity());
        Presence p = a.state() == WatcherState.ACTIVE ? presence(s.presentity()) : Presence.offline(s.presentity());
        return new Notifier.Content(Notifier.stateFor(a.state()), Pidf.CONTENT_TYPE, Pidf.render(p));
    }

    /**
     * RFC 4662 §5: full state in the first NOTIFY (and after a refresh), then only the members
     * that changed since the previous one. Each member is authorized as if watched alone.
     */
    private Notifier.Content listContent(Subscription s) {
        Set<String> changed = changedMembers.remove(s.id());
        boolean full = fullStateDue.remove(s.id()) || s.version() == 0 || changed == null || changed.isEmpty();
        List<Rlmi.Resource> resources = new ArrayList<>();
        for (Contact c : contacts.contacts(s.presentity())) {
            follow(c.uri(), s.id());
            if (!full && !changed.contains(c.uri())) {
                continue;
            }
            Authorization a = authorize(s.presentity(), c.uri());
            boolean pending = a.state() == WatcherState.PENDING;
            String pidf = pending ? null : Pidf.render(a.state() == WatcherState.ACTIVE ? presence(c.uri())
                    : Presence.offline(c.uri()));
            resources.add(new Rlmi.Resource(c.uri(), c.displayName(), pending ? "pending" : "active", pidf));
        }
        return new Notifier.Content("active", Rlmi.contentType(),
                Rlmi.body(s.presentity(), s.version() + 1, full, resources));
    }

    private void indexList(Subscription s) {
        for (Contact c : contacts.contacts(s.presentity())) {
            follow(c.uri(), s.id());
        }
    }

    /**
     * Records that the list subscription holds the member, and the member's registration state as
     * the sweep's starting point, so that the member signing in or out reaches the list.
     */
    private void follow(String member, String listId) {
        listsByMember.computeIfAbsent(member, k -> ConcurrentHashMap.newKeySet()).add(listId);
        registered.computeIfAbsent(member, this::isRegistered);
    }

    /**
     * Users whose registration the sweep follows: those watched directly and the members of
     * resource lists (their presence depends on it too when offline.without.registration is set).
     * A member of lists that have all ended drops out at its next change ({@link #memberChanged}).
     */
    private Set<String> followed() {
        Set<String> out = new HashSet<>(notifier.watched());
        listsByMember.forEach((member, ids) -> {
            if (!ids.isEmpty()) {
                out.add(member);
            }
        });
        return out;
    }

    /** A member's presence changed: the lists holding it get a partial NOTIFY. */
    private void memberChanged(String aor) {
        Set<String> ids = listsByMember.get(aor);
        if (ids == null) {
            return;
        }
        for (String id : ids) {
            if (state.subscription(id).isEmpty()) {
                ids.remove(id);
                changedMembers.remove(id);
                fullStateDue.remove(id);
                continue;
            }
            changedMembers.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(aor);
            notifier.queue(id);
        }
    }

    private static boolean supports(SipRequest request, String option) {
        for (String v : request.headerValues("Supported")) {
            for (String token : v.split(",")) {
                if (token.trim().equalsIgnoreCase(option)) {
                    return true;
                }
            }
        }
        return false;
    }

    // periodic work

    /** Ends lapsed subscriptions and publications; notices users whose registration came or went. */
    void sweep() {
        try {
            Instant now = clock.instant();
            for (Subscription s : state.subscriptions()) {
                if (Notifier.expired(s, now)) {
                    notifier.terminate(s, "timeout"); // RFC 6665 §4.2.2
                    if (PRESENCE.equals(s.event())) {
                        notifier.changed(s.presentity(), WINFO);
                    }
                }
            }
            for (Publication p : state.publications()) {
                if (!p.expires().isAfter(now)) {
                    removePublication(p); // RFC 3903 §6: an unrefreshed publication lapses
                    notifier.changed(p.aor(), PRESENCE);
                }
            }
            Set<String> followed = followed();
            for (String aor : followed) {
                boolean now2 = isRegistered(aor);
                Boolean before = registered.put(aor, now2);
                if (before != null && before != now2) {
                    notifier.changed(aor, PRESENCE); // also reaches the resource lists holding it
                }
            }
            registered.keySet().retainAll(followed);
        } catch (RuntimeException e) {
            LOG.warn("Presence sweep failed", e);
        }
    }

    @Override
    public void aclChanged(String owner) {
        if (AclEntry.EVERYONE.equals(owner)) {
            for (String aor : Set.copyOf(notifier.watched())) {
                notifier.changed(aor, PRESENCE);
                notifier.changed(aor, WINFO);
            }
            return;
        }
        notifier.changed(owner, PRESENCE); // RFC 3857: a decision reaches live subscriptions at once
        notifier.changed(owner, WINFO);
    }

    // PresenceService

    @Override
    public Presence presence(String uri) {
        if (settings.offlineWithoutRegistration() && !isRegistered(uri)) {
            return Presence.offline(uri);
        }
        List<EndpointState> endpoints = new ArrayList<>();
        for (Publication p : publications(uri)) {
            endpoints.add(p.state());
        }
        if (endpoints.isEmpty() && locations != null && isRegistered(uri)) {
            // registered but silent: signed in, so available (RFC 3856 §6.6 leaves the policy to the server)
            endpoints.add(new EndpointState("registration", org.confab.api.presence.Availability.ONLINE, "", "",
                    Instant.EPOCH, ""));
        }
        return Presence.compose(uri, endpoints);
    }

    @Override
    public List<Publication> publications(String uri) {
        Set<String> tags = publicationsByAor.get(uri);
        List<Publication> out = new ArrayList<>();
        if (tags != null) {
            for (String t : tags) {
                state.publication(t).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparing((Publication p) -> p.state().availability()).thenComparing(Publication::etag));
        return out;
    }

    @Override
    public Publication publish(String uri, EndpointState st, int expiresSeconds) {
        state.publication(st.endpointId()).ifPresent(this::removePublication);
        Publication p = new Publication(st.endpointId(), uri, st, clock.instant().plusSeconds(Math.max(1, expiresSeconds)));
        putPublication(p);
        notifier.changed(uri, PRESENCE);
        return p;
    }

    @Override
    public boolean withdraw(String uri, String endpointId) {
        for (Publication p : publications(uri)) {
            if (p.state().endpointId().equals(endpointId) || p.etag().equals(endpointId)) {
                removePublication(p);
                notifier.changed(uri, PRESENCE);
                return true;
            }
        }
        return false;
    }

    @Override
    public List<WatcherInfo> watchers(String uri) {
        List<WatcherInfo> out = new ArrayList<>();
        for (Subscription s : notifier.subscriptionsTo(uri)) {
            out.add(Notifier.info(s, PRESENCE.equals(s.event()) ? authorize(s.watcher(), uri)
                    : new Authorization(WatcherState.ACTIVE, "own watcher information")));
        }
        out.sort(Comparator.comparing(WatcherInfo::watcher).thenComparing(WatcherInfo::event));
        return out;
    }

    @Override
    public List<WatcherInfo> subscriptions(String uri) {
        List<WatcherInfo> out = new ArrayList<>();
        for (Subscription s : state.subscriptions()) {
            if (s.watcher().equals(uri)) {
                out.add(Notifier.info(s, authorize(uri, s.presentity())));
            }
        }
        out.sort(Comparator.comparing(WatcherInfo::presentity).thenComparing(WatcherInfo::event));
        return out;
    }

    @Override
    public Authorization authorize(String watcher, String uri) {
        return Authorizer.decide(watcher, uri, acls.entries(uri), acls.sameDomainAllowed());
    }

    @Override
    public Presence presenceFor(String watcher, String uri) {
        return authorize(watcher, uri).state() == WatcherState.ACTIVE ? presence(uri) : Presence.offline(uri);
    }

    // helpers

    private boolean isRegistered(String aor) {
        LocationStore l = locations;
        if (l == null) {
            return true;
        }
        Instant now = clock.instant();
        return l.bindings(aor).stream().anyMatch(b -> !b.isExpired(now));
    }

    /**
     * Stores the publication within the user's bound (max.publications.per.user): without one, a client
     * that publishes anew instead of refreshing (or in a loop) would keep every publication for its whole
     * expiry and fill the heap. The publication nearest its expiry, the least recently refreshed, gives
     * way; a client still holding its tag gets 412 at its next refresh and publishes anew (RFC 3903 §6).
     */
    private void putPublication(Publication p) {
        Set<String> tags = publicationsByAor.computeIfAbsent(p.aor(), k -> ConcurrentHashMap.newKeySet());
        while (tags.size() >= settings.maxPublicationsPerUser()) {
            Publication first = null;
            for (String t : tags) {
                Publication q = state.publication(t).orElse(null);
                if (q == null) {
                    tags.remove(t); // ended meanwhile
                } else if (first == null || q.expires().isBefore(first.expires())) {
                    first = q;
                }
            }
            if (first == null) {
                break;
            }
            removePublication(first);
            LOG.debug("{} holds {} publications (max.publications.per.user): {} gives way to {}",
                    p.aor(), settings.maxPublicationsPerUser(), first.etag(), p.etag());
        }
        state.putPublication(p);
        tags.add(p.etag());
    }

    private void removePublication(Publication p) {
        state.removePublication(p.etag());
        Set<String> tags = publicationsByAor.get(p.aor());
        if (tags != null) {
            tags.remove(p.etag());
        }
    }

    /** The served, enabled user the Request-URI names. */
    private String target(SipRequest request) {
        if (!(request.requestUri() instanceof SipUri uri) || uri.user() == null) {
            throw new Reject(404, "Not Found");
        }
        String host = uri.host().toLowerCase(Locale.ROOT);
        if (!domains.isServed(host)) {
            throw new Reject(404, "Domain not served");
        }
        String aor = uri.aor();
        if (!users.find(aor).map(User::enabled).orElse(false)) {
            throw new Reject(404, "Not Found");
        }
        return aor;
    }

    /** RFC 3261 §22.3: as a proxy would (407), like the router. */
    private String authenticate(ServerTransaction tx, SipRequest request, List<AuthResult.Header> out) {
        AuthResult result = Authentication.check(authenticator, request, tx.flow(), ChallengeKind.PROXY,
                settings.retryAfter());
        if (!result.isAuthenticated()) {
            throw new Reject(result.status(), result.reason(), result.headers());
        }
        out.addAll(result.headers());
        SipUri id;
        try {
            id = SipUri.parseSip(result.identity());
        } catch (Exception e) {
            throw new Reject(403, "Unknown identity");
        }
        return id.aor();
    }

    /** The granted expiry: default when absent, 423 when too brief, cut to the maximum. */
    private int expires(SipRequest request) {
        int e;
        try {
            e = request.expires();
        } catch (RuntimeException ex) {
            throw new Reject(400, "Bad Expires header");
        }
        if (e < 0) {
            return settings.defaultExpires();
        }
        if (e > 0 && e < settings.minExpires()) {
            throw new Reject(423, "Interval Too Brief", List.of(
                    new AuthResult.Header(HeaderNames.MIN_EXPIRES, Integer.toString(settings.minExpires()))));
        }
        return Math.min(e, settings.maxExpires());
    }

    /** The event package token, lower case (RFC 6665 §8.2.1); 489 without one. */
    static String event(SipRequest request) {
        String ev = request.header(HeaderNames.EVENT);
        if (ev == null || ev.isBlank()) {
            throw new Reject(489, "Bad Event", List.of(new AuthResult.Header(ALLOW_EVENTS, PRESENCE + ", " + WINFO)));
        }
        int semi = ev.indexOf(';');
        return (semi < 0 ? ev : ev.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static void answer(ServerTransaction tx, int status, String reason, List<AuthResult.Header> headers) {
        if (tx.isCompleted()) {
            return;
        }
        SipResponse r = tx.createResponse(status);
        if (reason != null && !reason.equals(r.reason())) {
            SipResponse out = new SipResponse(status, reason);
            for (String name : r.headerNames()) {
                if (!out.hasHeader(name)) {
                    for (String v : r.headers(name)) {
                        out.addHeader(name, v);
                    }
                }
            }
            r = out;
        }
        addAll(r, headers);
        tx.respond(r);
    }

    private static void addAll(SipResponse r, List<AuthResult.Header> headers) {
        for (AuthResult.Header h : headers) {
            r.addHeader(h.name(), h.value());
        }
    }

    private static String newTag() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
