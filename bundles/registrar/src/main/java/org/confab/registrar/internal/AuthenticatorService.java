package org.confab.registrar.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.confab.api.auth.AuthResult;
import org.confab.api.auth.AuthScheme;
import org.confab.api.auth.Authenticator;
import org.confab.api.auth.ChallengeKind;
import org.confab.api.store.User;
import org.confab.api.store.UserStore;
import org.confab.api.transport.Flow;
import org.confab.sip.message.SipRequest;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Authenticator}: offers the challenges of every installed {@link AuthScheme}
 * (whiteboard, highest service ranking first) and hands credentials to the scheme they name.
 * Schemes come and go at run time (NTLM, Kerberos later) without a change here.
 */
@Component(name = "org.confab.registrar.authenticator", service = Authenticator.class)
public class AuthenticatorService implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticatorService.class);

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile UserStore userStore;

    private record Entry(AuthScheme scheme, int ranking, long id) {
    }

    private static final Comparator<Entry> ORDER =
            Comparator.comparingInt((Entry e) -> -e.ranking()).thenComparingLong(Entry::id);

    private final Object lock = new Object();
    private volatile List<Entry> schemes = List.of();

    @Reference(service = AuthScheme.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeScheme")
    void addScheme(AuthScheme scheme, Map<String, Object> props) {
        Object r = props.get(Constants.SERVICE_RANKING);
        Object id = props.get(Constants.SERVICE_ID);
        synchronized (lock) {
            List<Entry> next = new ArrayList<>(schemes);
            next.add(new Entry(scheme, r instanceof Integer i ? i : 0, id instanceof Long l ? l : Long.MAX_VALUE));
            next.sort(ORDER);
            schemes = List.copyOf(next);
        }
        LOG.info("Authentication scheme {} available", scheme.name());
    }

    void removeScheme(AuthScheme scheme) {
        synchronized (lock) {
            List<Entry> next = new ArrayList<>(schemes);
            next.removeIf(e -> e.scheme() == scheme);
            schemes = List.copyOf(next);
        }
        LOG.info("Authentication scheme {} withdrawn", scheme.name());
    }

    @Override
    public AuthResult authenticate(SipRequest request, Flow flow, ChallengeKind kind) {
        List<Entry> installed = schemes;
        if (installed.isEmpty()) {
            return AuthResult.rejected(503, "No authentication scheme available");
        }
        // the header values are not split on commas: credentials contain commas (RFC 3261 §20.7)
        for (String credentials : request.headers(kind.credentialsHeader())) {
            for (Entry e : installed) {
                if (AuthParams.hasScheme(credentials, e.scheme().name())) {
                    return checkUser(e.scheme().verify(request, flow, kind, credentials), request, flow, kind, installed);
                }
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("Credentials of unknown scheme '{}' ignored", AuthParams.schemeOf(credentials).toLowerCase(Locale.ROOT));
            }
        }
        return challengeAll(request, flow, kind, installed);
    }

    private AuthResult checkUser(AuthResult result, SipRequest request, Flow flow, ChallengeKind kind, List<Entry> installed) {
        if (!result.isAuthenticated()) {
            return result;
        }
        Optional<User> user = userStore.find(result.identity());
        if (user.isEmpty()) {
            // the credential outlived its user (deleted meanwhile): as good as no credentials
            LOG.debug("Authenticated identity {} has no user", result.identity());
            return challengeAll(request, flow, kind, installed);
        }
        if (!user.get().enabled()) {
            return AuthResult.rejected(403, "User disabled");
        }
        return result;
    }

    private static AuthResult challengeAll(SipRequest request, Flow flow, ChallengeKind kind, List<Entry> installed) {
        List<AuthResult.Header> headers = new ArrayList<>();
        for (Entry e : installed) {
            for (String c : e.scheme().challenges(request, flow, kind, false)) {
                headers.add(new AuthResult.Header(kind.challengeHeader(), c));
            }
        }
        return AuthResult.challenge(kind.status(), headers);
    }
}
