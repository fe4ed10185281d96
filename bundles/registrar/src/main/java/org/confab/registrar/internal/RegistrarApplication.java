package org.confab.registrar.internal;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.confab.api.auth.AuthResult;
import org.confab.api.auth.Authenticator;
import org.confab.api.auth.ChallengeKind;
import org.confab.api.store.Binding;
import org.confab.api.store.DomainStore;
import org.confab.api.store.LocationStore;
import org.confab.api.store.StoreException;
import org.confab.api.store.User;
import org.confab.api.store.UserStore;
import org.confab.api.transport.Flow;
import org.confab.api.transport.ServerTransaction;
import org.confab.api.transport.SipApplication;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.NameAddr;
import org.confab.sip.message.SipParseException;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.confab.sip.message.SipUri;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registrar (RFC 3261 §10.3, RFC 5626 §6): authenticates REGISTER, checks the address of
 * record, and adds, refreshes, removes and lists its bindings in the {@link LocationStore}.
 * It holds no state of its own, so it can be updated while users stay registered; its
 * references are dynamic so that a replaced store service does not unregister it.
 */
@Component(name = "org.confab.registrar", service = SipApplication.class,
        property = SipApplication.METHOD_PROPERTY + "=REGISTER")
@Designate(ocd = RegistrarConfig.class)
public class RegistrarApplication implements SipApplication {

    private static final Logger LOG = LoggerFactory.getLogger(RegistrarApplication.class);

    /** The transaction attribute under which the authenticated identity is left for later stages. */
    static final String IDENTITY_ATTRIBUTE = "confab.auth.identity";

    /** Option tags accepted in Require (RFC 3261 §8.2.2.3); "gruu" is accepted but no GRUU is minted yet. */
    static final Set<String> ACCEPTED_OPTIONS = Set.of("outbound", "path", "gruu");

    /** Option tags announced in Supported. */
    static final String SUPPORTED = "outbound, path";

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile UserStore userStore;
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile DomainStore domainStore;
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile LocationStore locationStore;
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Authenticator authenticator;

    /** Replaced by tests to move time. */
    Clock clock = Clock.systemUTC();

    private volatile Settings settings;
    /** The last Date header made, reused within its second (every 401 and 200 carries one). */
    private volatile DateText lastDate = new DateText(Long.MIN_VALUE, "");

    private record DateText(long epochSecond, String text) {
    }

    /** The expiry limits in force, checked for consistency. */
    record Settings(int defaultExpires, int minExpires, int maxExpires, int maxEndpoints) {
        static Settings of(RegistrarConfig c) {
            int min = Math.max(1, c.min_expires());
            int max = Math.max(min, c.max_expires());
            int def = Math.min(max, Math.max(min, c.default_expires()));
            if (min != c.min_expires() || max != c.max_expires() || def != c.default_expires()) {
                LOG.warn("Registrar expiry settings adjusted to min.expires={} default.expires={} max.expires={}", min, def, max);
            }
            return new Settings(def, min, max, Math.max(1, c.max_endpoints_per_user()));
        }
    }

    /** One Contact of the request, validated. */
    private record Change(String contact, long expires, String instanceId, int regId, int q) {
    }

    /** Ends processing with a response. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String reason;

        Refusal(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
            this.reason = reason;
        }
    }

    @Activate
    void activate(RegistrarConfig config) {
        settings = Settings.of(config);
        LOG.info("Registrar started");
    }

    @Modified
    void modified(RegistrarConfig config) {
        settings = Settings.of(config);
        LOG.info("Registrar reconfigured: {}", settings);
    }

    @Deactivate
    void deactivate() {
        LOG.info("Registrar stopped");
    }

    @Override
    public void onRequest(ServerTransaction tx) {
        if (tx.isStateless()) {
            return;
        }
        try {
            handle(tx);
        } catch (Refusal r) {
            respond(tx, response(tx, r.status, r.reason));
        } catch (StoreException e) {
            LOG.warn("REGISTER {} failed in the store: {}", tx.request().callId(), e.getMessage());
            SipResponse resp = response(tx, 500, "Location service unavailable");
            resp.setHeader(HeaderNames.RETRY_AFTER, "5");
            respond(tx, resp);
        } catch (RuntimeException e) {
            LOG.warn("REGISTER {} failed", tx.request().callId(), e);
            respond(tx, response(tx, 500, null));
        }
    }

    private void handle(ServerTransaction tx) throws Refusal {
        SipRequest req = tx.request();
        Settings s = settings;
        Instant now = clock.instant();

        // RFC 3261 §10.3 step 1: the Request-URI names a domain served here
        if (!(req.requestUri() instanceof SipUri ruri) || !domainStore.isServed(ruri.host())) {
            throw new Refusal(403, "Domain not served");
        }
        // step 2: extensions the client requires (RFC 3261 §8.2.2.3)
        List<String> unsupported = new ArrayList<>();
        for (String option : req.headerValues(HeaderNames.REQUIRE)) {
            if (!ACCEPTED_OPTIONS.contains(option.trim().toLowerCase(Locale.ROOT))) {
                unsupported.add(option.trim());
            }
        }
        if (!unsupported.isEmpty()) {
            SipResponse r = response(tx, 420, null);
            r.setHeader(HeaderNames.UNSUPPORTED, String.join(", ", unsupported));
            respond(tx, r);
            return;
        }
        // step 3: authenticate before saying anything about the user
        AuthResult auth = authenticator.authenticate(req, tx.flow(), ChallengeKind.SERVER);
        if (!auth.isAuthenticated()) {
            SipResponse r = response(tx, auth.status(), auth.reason());
            addHeaders(r, auth.headers());
            r.setHeader(HeaderNames.DATE, date(now));     // MS-DIALECT §3.1: Date in every 401
            if (auth.status() == 503) {
                r.setHeader(HeaderNames.RETRY_AFTER, "5");
            }
            respond(tx, r);
            return;
        }
        tx.setAttribute(IDENTITY_ATTRIBUTE, auth.identity());
        // step 4: the address of record must be a user of ours, and the one who authenticated
        NameAddr to = req.to();
        if (to == null || !(to.uri() instanceof SipUri toUri) || toUri.user() == null) {
            throw new Refusal(400, "To is not a SIP address of record");
        }
        String aor = toUri.aor();
        Optional<User> user = userStore.find(aor);
        if (user.isEmpty()) {
            throw new Refusal(404, "User not found");
        }
        if (!user.get().enabled()) {
            throw new Refusal(403, "User disabled");
        }
        if (!aor.equals(auth.identity())) {
            throw new Refusal(403, "Authenticated identity does not match To");
        }

        long headerExpires = parseExpires(req.header(HeaderNames.EXPIRES), "Bad Expires header");
        String callId = req.callId();
        long cseq = req.cseq().number();
        List<Binding> current = locationStore.bindings(aor);

        // step 5/6: Contact: * removes everything, and only with Expires: 0
        List<String> contactValues = req.headerValues(HeaderNames.CONTACT);
        if (req.isWildcardContact() || hasStar(contactValues)) {
            if (headerExpires != 0 || contactValues.size() != 1) {
                throw new Refusal(400, "Contact * needs Expires: 0 and no other Contact");
            }
            for (Binding b : current) {
                checkOrder(b, callId, cseq);
            }
            int n = locationStore.removeAll(aor);
            LOG.debug("REGISTER {}: removed all {} bindings", aor, n);
            respond(tx, ok(tx, aor, auth, List.of(), now));
            return;
        }

        List<Change> changes = changes(req, headerExpires, s);
        // step 7: older requests of the same Call-ID must not undo newer ones
        List<Binding> remaining = new ArrayList<>(current);
        List<Binding> matched = new ArrayList<>(changes.size());
        int added = 0;
        for (Change c : changes) {
            Binding existing = find(remaining, c);
            if (existing != null) {
                checkOrder(existing, callId, cseq);
                remaining.remove(existing);
            }
            matched.add(existing);
            if (c.expires() > 0) {
                added++;
            }
        }
        int after = remaining.size() + added;
        if (after > s.maxEndpoints() && after > current.size()) {
            throw new Refusal(403, "Too many endpoints");
        }

        Flow flow = tx.flow();
        String userAgent = req.header(HeaderNames.USER_AGENT);
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            Binding existing = matched.get(i);
            if (c.expires() == 0) {
                locationStore.remove(aor, existing != null ? existing.contact() : c.contact());
            } else {
                locationStore.put(new Binding(aor, c.contact(), flow.id(), flow.transport(), source(flow),
                        now.plusSeconds(c.expires()), c.instanceId(), c.regId(), callId, cseq, userAgent, c.q()));
            }
        }
        if (LOG.isDebugEnabled() && !changes.isEmpty()) {
            LOG.debug("REGISTER {} from {}: {}", aor, flow.remoteAddress(), changes);
        }
        respond(tx, ok(tx, aor, auth, changes, now));
    }

    private SipResponse ok(ServerTransaction tx, String aor, AuthResult auth, List<Change> changes, Instant now) {
        SipRequest req = tx.request();
        SipResponse r = response(tx, 200, null);
        for (Binding b : locationStore.bindings(aor)) {
            long left = Math.max(0, Duration.between(now, b.expires()).toSeconds());
            if (left == 0) {
                continue;
            }
            StringBuilder sb = new StringBuilder("<").append(b.contact()).append(">;expires=").append(left);
            if (b.instanceId() != null) {
                sb.append(";+sip.instance=\"<").append(b.instanceId()).append(">\"");    // RFC 5626 §6
                if (b.regId() > 0) {
                    sb.append(";reg-id=").append(b.regId());
                }
            }
            if (b.q() != 1000) {
                sb.append(";q=").append(qText(b.q()));
            }
            r.addHeader(HeaderNames.CONTACT, sb.toString());
        }
        long granted = 0;
        boolean outboundUsed = false;
        for (Change c : changes) {
            granted = Math.max(granted, c.expires());
            outboundUsed |= c.instanceId() != null && c.regId() > 0;
        }
        if (granted > 0) {
            r.setHeader(HeaderNames.EXPIRES, Long.toString(granted));   // MS-DIALECT §1: the client reads Expires only
        }
        if (outboundUsed && supportsOutbound(req)) {
            r.setHeader(HeaderNames.REQUIRE, "outbound");                // RFC 5626 §6 item 4
        }
        for (String path : req.headers("Path")) {
            r.addHeader("Path", path);                                   // RFC 3327 §5.3
        }
        r.setHeader(HeaderNames.SUPPORTED, SUPPORTED);
        r.setHeader(HeaderNames.DATE, date(now));                        // RFC 3261 §10.3 step 8
        addHeaders(r, auth.headers());
        return r;
    }

    // the format has whole seconds: the same text for every instant of one second
    String date(Instant now) {
        long second = now.getEpochSecond();
        DateText d = lastDate;
        if (d.epochSecond() != second) {
            d = new DateText(second, DATE.format(Instant.ofEpochSecond(second)));
            lastDate = d;
        }
        return d.text();
    }

    private List<Change> changes(SipRequest req, long headerExpires, Settings s) throws Refusal {
        List<NameAddr> contacts;
        try {
            contacts = req.contacts();
        } catch (RuntimeException e) {
            throw new Refusal(400, "Bad Contact");
        }
        List<Change> out = new ArrayList<>(contacts.size());
        boolean tooBrief = false;
        for (NameAddr c : contacts) {
            long exp = parseExpires(c.parameter("expires"), "Bad Contact expires parameter");
            if (exp < 0) {
                exp = headerExpires >= 0 ? headerExpires : s.defaultExpires();
            }
            exp = Math.min(exp, s.maxExpires());
            if (exp > 0 && exp < s.minExpires()) {
                tooBrief = true;
            }
            String instance = unquoteInstance(c.parameter("+sip.instance"));
            int regId = 0;
            String regIdText = c.parameter("reg-id");
            if (regIdText != null && instance != null) {     // RFC 5626 §6: reg-id without instance is ignored
                try {
                    regId = Integer.parseInt(regIdText.trim());
                } catch (NumberFormatException e) {
                    throw new Refusal(400, "Bad reg-id");
                }
                if (regId < 1) {
                    throw new Refusal(400, "Bad reg-id");
                }
            }
            out.add(new Change(c.uri().toString(), exp, instance, regId, parseQ(c.parameter("q"))));
        }
        if (tooBrief) {
            throw new Refusal(423, null);     // RFC 3261 §10.3 step 6; response() adds Min-Expires
        }
        return out;
    }

    private static void respond(ServerTransaction tx, SipResponse r) {
        tx.respond(r);
    }

    // a 423 carries Min-Expires; a 403/404 a Warning with its reason
    private SipResponse response(ServerTransaction tx, int status, String reason) {
        SipResponse base = tx.createResponse(status);
        SipResponse r = base;
        if (reason != null && !reason.equals(base.reason())) {
            r = new SipResponse(status, reason);
            for (String name : new LinkedHashSet<>(base.headerNames())) {
                for (String v : base.headers(name)) {
                    r.addHeader(name, v);
                }
            }
        }
        if (status == 423) {
            r.setHeader(HeaderNames.MIN_EXPIRES, Integer.toString(settings.minExpires()));
        }
        if ((status == 403 || status == 404) && reason != null) {
            r.setHeader("Warning", "399 confab " + AuthParams.quote(reason));   // MS-DIALECT §1: shown to the user
        }
        return r;
    }

    // RFC 3261 §10.3 step 7: the same Call-ID with a CSeq not higher aborts the request
    private static void checkOrder(Binding b, String callId, long cseq) throws Refusal {
        if (callId.equals(b.callId()) && cseq <= b.cseq()) {
            throw new Refusal(500, "CSeq out of order");
        }
    }

    // the binding a contact refreshes, by the LocationStore.put rule: same instance and reg-id
    // (RFC 5626 §6), or else the same contact URI (RFC 3261 §10.3 step 7, §19.1.4)
    private static Binding find(List<Binding> bindings, Change c) {
        if (c.instanceId() != null) {
            for (Binding b : bindings) {
                if (c.instanceId().equals(b.instanceId()) && c.regId() == b.regId()) {
                    return b;
                }
            }
        }
        for (Binding b : bindings) {
            if (sameUri(b.contact(), c.contact())) {
                return b;
            }
        }
        return null;
    }

    private static boolean sameUri(String a, String b) {
        if (a.equalsIgnoreCase(b)) {
            return true;
        }
        try {
            return SipUri.parseSip(a).equals(SipUri.parseSip(b));
        } catch (SipParseException | RuntimeException e) {
            return false;
        }
    }

    private static boolean hasStar(List<String> contactValues) {
        for (String v : contactValues) {
            if (v.trim().equals("*")) {
                return true;
            }
        }
        return false;
    }

    private static boolean supportsOutbound(SipRequest req) {
        for (String v : req.headerValues(HeaderNames.SUPPORTED)) {
            if (v.trim().equalsIgnoreCase("outbound")) {
                return true;
            }
        }
        return false;
    }

    private static long parseExpires(String text, String error) throws Refusal {
        if (text == null) {
            return -1;
        }
        String t = text.trim();
        if (t.isEmpty() || t.length() > 18 || !allDigits(t)) {
            throw new Refusal(400, error);
        }
        return Long.parseLong(t);
    }

    // Character.isDigit as before (Long.parseLong takes any Unicode digit too)
    private static boolean allDigits(String t) {
        for (int i = 0; i < t.length(); i++) {
            if (!Character.isDigit(t.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    // RFC 3261 §25.1 qvalue: "0" [ "." 0*3DIGIT ] / "1" [ "." 0*3("0") ]
    static int parseQ(String text) throws Refusal {
        if (text == null) {
            return 1000;
        }
        String t = text.trim();
        int n = t.length();
        boolean form = n >= 1 && n <= 5 && (t.charAt(0) == '0' || t.charAt(0) == '1') && (n == 1 || t.charAt(1) == '.');
        int thousandths = 0;
        for (int i = 2; form && i < 5; i++) {
            int d = i < n ? t.charAt(i) - '0' : 0;
            form = d >= 0 && d <= 9;
            thousandths = thousandths * 10 + d;
        }
        int q = (t.isEmpty() ? 0 : t.charAt(0) - '0') * 1000 + thousandths;
        if (!form || q > 1000) {
            throw new Refusal(400, "Bad q value");
        }
        return q;
    }

    static String qText(int q) {
        if (q == 1000) {
            return "1";
        }
        if (q < 0 || q > 999) {
            return String.format(Locale.ROOT, "0.%03d", q).replaceAll("0+$", "");   // never from parseQ
        }
        // "0." and three digits without the trailing zeros, as "0.%03d" less "0+$" was
        char[] c = {'0', '.', (char) ('0' + q / 100 % 10), (char) ('0' + q / 10 % 10), (char) ('0' + q % 10)};
        int end = c.length;
        while (end > 0 && c[end - 1] == '0') {
            end--;
        }
        return new String(c, 0, end);
    }

    // +sip.instance="<urn:uuid:...>" is stored as urn:uuid:...
    private static String unquoteInstance(String v) {
        if (v == null) {
            return null;
        }
        String s = v.trim();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1).trim();
        }
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1).trim();
        }
        return s.isEmpty() ? null : s;
    }

    // "host:port" of the flow's peer, IPv6 in brackets (Binding.source)
    private static String source(Flow flow) {
        InetSocketAddress a = flow.remoteAddress();
        if (a == null) {
            return null;
        }
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        int pct = host.indexOf('%');
        if (pct >= 0) {
            host = host.substring(0, pct);
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static void addHeaders(SipResponse r, List<AuthResult.Header> headers) {
        for (AuthResult.Header h : headers) {
            r.addHeader(h.name(), h.value());
        }
    }
}
