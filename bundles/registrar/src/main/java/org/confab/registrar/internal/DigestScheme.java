package org.confab.registrar.internal;

import java.io.File;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.confab.api.auth.AuthResult;
import org.confab.api.auth.AuthScheme;
import org.confab.api.auth.ChallengeKind;
import org.confab.api.auth.DigestSecrets;
import org.confab.api.store.UserStore;
import org.confab.api.transport.Flow;
import org.confab.sip.message.NameAddr;
import org.confab.sip.message.SipParseException;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipUri;
import org.confab.sip.message.Uri;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Digest scheme (RFC 7616 with SHA-256 and MD5, RFC 3261 §22; RFC 2069 answers without qop
 * from old phones). Stored secrets are HA1 values looked up through {@link UserStore}; nonces
 * validate themselves ({@link NonceManager}).
 */
@Component(name = "org.confab.registrar.digest", configurationPid = "org.confab.registrar",
        service = AuthScheme.class, property = "confab.auth.scheme=Digest")
public class DigestScheme implements AuthScheme {

    private static final Logger LOG = LoggerFactory.getLogger(DigestScheme.class);
    private static final String QOP = "auth";

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile UserStore userStore;

    /** Replaced by tests to move time. */
    Clock clock = Clock.systemUTC();

    private volatile NonceManager nonces;
    private volatile AuthFailureGuard guard;
    private volatile List<String> offered = DigestSecrets.ALGORITHMS;
    private Path dataDir;
    // HA1 stand-ins for unknown users: the same hash work happens whether a user exists or not
    private final Map<String, String> dummyHa1 = new HashMap<>();

    @Activate
    void activate(BundleContext context, RegistrarConfig config) {
        File dir = context.getDataFile("digest");
        start(config, dir == null ? null : dir.toPath());
        LOG.info("Digest scheme started (nonce lifetime {} s, secret {})", config.nonce_lifetime_s(),
                dataDir == null ? "in memory" : "kept in " + dataDir);
    }

    /** Starts with a data directory for the secret and state, or null to keep them in memory. */
    void start(RegistrarConfig config, Path dir) {
        this.dataDir = dir;
        this.offered = offeredAlgorithms(config.digest_algorithms());
        byte[] secret = NonceFiles.loadOrCreateSecret(dir);
        NonceFiles.State state = NonceFiles.takeState(dir, clock.millis());
        NonceManager m = new NonceManager(secret, clock, Math.max(1, config.nonce_lifetime_s()) * 1000L,
                config.max_nonces(), state.floor());
        m.restore(state.tracked());
        byte[] r = new byte[16];
        new SecureRandom().nextBytes(r);
        for (String alg : DigestSecrets.ALGORITHMS) {
            dummyHa1.put(alg, DigestSecrets.hash(alg, HexFormat.of().formatHex(r)));
        }
        nonces = m;
        guard = new AuthFailureGuard(clock, config.auth_failures_max(), config.auth_failures_slow_after(),
                Math.max(1, config.auth_failures_window_s()) * 1000L, Math.max(0, config.auth_block_s()) * 1000L,
                config.auth_max_tracked());
    }

    AuthFailureGuard guard() {
        return guard;
    }

    /** The configured algorithms that Confab stores secrets for, in order; all of them if none is usable. */
    static List<String> offeredAlgorithms(String[] configured) {
        List<String> out = new ArrayList<>();
        for (String a : configured == null ? new String[0] : configured) {
            for (String one : a.split(",")) {
                String alg = one.trim().toUpperCase(Locale.ROOT);
                if (DigestSecrets.ALGORITHMS.contains(alg) && !out.contains(alg)) {
                    out.add(alg);
                } else if (!alg.isEmpty() && !out.contains(alg)) {
                    LOG.warn("Ignoring digest algorithm '{}': only {} are stored", one.trim(), DigestSecrets.ALGORITHMS);
                }
            }
        }
        return out.isEmpty() ? DigestSecrets.ALGORITHMS : List.copyOf(out);
    }

    @Deactivate
    void deactivate() {
        NonceManager m = nonces;
        if (m != null) {
            NonceFiles.saveState(dataDir, m.floor(), m.snapshot());
        }
        LOG.info("Digest scheme stopped");
    }

    NonceManager nonces() {
        return nonces;
    }

    @Override
    public String name() {
        return DigestSecrets.SCHEME;
    }

    // RFC 7616 §3.3, §3.7: one challenge per algorithm, in the configured order (SHA-256 first by default)
    @Override
    public List<String> challenges(SipRequest request, Flow flow, ChallengeKind kind, boolean stale) {
        String realm = realmOf(request);
        NonceManager m = nonces;
        String nonce = m.create(realm);
        String quotedRealm = AuthParams.quote(realm);
        String opaque = m.opaque();
        List<String> algorithms = offered;
        List<String> out = new ArrayList<>(algorithms.size());
        for (String alg : algorithms) {
            // sized for the whole value: one array, no regrowth
            StringBuilder sb = new StringBuilder(80 + quotedRealm.length() + nonce.length() + opaque.length() + alg.length())
                    .append("Digest realm=").append(quotedRealm)
                    .append(", nonce=\"").append(nonce).append('"')
                    .append(", opaque=\"").append(opaque).append('"')
                    .append(", algorithm=").append(alg)
                    .append(", qop=\"").append(QOP).append('"');
            if (stale) {
                sb.append(", stale=true");
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Override
    public AuthResult verify(SipRequest request, Flow flow, ChallengeKind kind, String credentials) {
        AuthParams p;
        try {
            p = AuthParams.parse(credentials);
        } catch (IllegalArgumentException e) {
            return refuse(request, flow, kind, "malformed credentials: " + e.getMessage(), false);
        }
        if (!DigestSecrets.SCHEME.equalsIgnoreCase(p.scheme())) {
            return refuse(request, flow, kind, "not Digest credentials", false);
        }
        String username = p.get("username");
        String realm = p.get("realm");
        String nonce = p.get("nonce");
        String uri = p.get("uri");
        String response = p.get("response");
        if (username == null || realm == null || nonce == null || uri == null || response == null) {
            return refuse(request, flow, kind, "credentials lack username, realm, nonce, uri or response", false);
        }
        String algorithm = p.get("algorithm") == null ? "MD5" : p.get("algorithm").toUpperCase(Locale.ROOT);
        boolean sess = algorithm.endsWith("-SESS");
        String baseAlg = sess ? algorithm.substring(0, algorithm.length() - 5) : algorithm;
        if (!offered.contains(baseAlg)) {
            return refuse(request, flow, kind, "unsupported algorithm " + algorithm, false);
        }
        String expectedRealm = realmOf(request);
        if (!expectedRealm.equalsIgnoreCase(realm)) {
            return refuse(request, flow, kind, "realm " + realm + " is not " + expectedRealm, false);
        }
        // brute-force protection before any hash work; unknown and known users are counted alike
        AuthFailureGuard g = guard;
        String guardKey = AuthFailureGuard.key(sourceOf(flow), expectedRealm, username.toLowerCase(Locale.ROOT));
        if (!g.allowed(guardKey)) {
            return AuthResult.rejected(403, AuthFailureGuard.REASON);
        }
        String qop = p.get("qop");
        String nc = p.get("nc");
        String cnonce = p.get("cnonce");
        long ncValue = 0;
        if (qop != null) {
            if (!QOP.equalsIgnoreCase(qop)) {
                return refuse(request, flow, kind, "unsupported qop " + qop, false);
            }
            if (nc == null || cnonce == null || nc.length() != 8 || !isHex(nc)) {
                return refuse(request, flow, kind, "qop without a valid nc and cnonce", false);
            }
            ncValue = Long.parseLong(nc, 16);
        } else if (sess) {
            return refuse(request, flow, kind, algorithm + " without qop", false);
        }
        String opaque = p.get("opaque");
        if (opaque != null && !opaque.equals(nonces.opaque())) {
            return refuse(request, flow, kind, "opaque does not match", false);
        }
        if (!uriMatches(uri, request, kind, flow)) {
            return refuse(request, flow, kind, "digest-uri " + uri + " does not match " + request.requestUri(), false);
        }
        NonceManager.Check check = nonces.check(nonce, expectedRealm);
        if (check.validity() == NonceManager.Validity.INVALID) {
            return refuse(request, flow, kind, "nonce not issued here", false);
        }

        Optional<UserStore.StoredCredential> stored = userStore.credential(DigestSecrets.SCHEME, expectedRealm, username, baseAlg);
        String ha1 = stored.isPresent() ? stored.get().credential().secret().toLowerCase(Locale.ROOT) : dummyHa1.get(baseAlg);
        if (sess) {
            ha1 = DigestHash.of(baseAlg).add(ha1).colon().add(nonce).colon().add(cnonce).hex();    // RFC 7616 §3.4.2
        }
        String ha2 = DigestHash.of(baseAlg).add(request.method()).colon().add(uri).hex();    // RFC 7616 §3.4.3
        String expected = qop != null
                ? DigestHash.of(baseAlg).add(ha1).colon().add(nonce).colon().add(nc).colon().add(cnonce).colon()
                        .add(qop).colon().add(ha2).hex()
                : DigestHash.of(baseAlg).add(ha1).colon().add(nonce).colon().add(ha2).hex();       // RFC 2069 §2.1.2
        boolean match = DigestHash.sameHex(expected, response);     // constant time
        if (!match || stored.isEmpty()) {
            // same answer for an unknown user and a wrong password
            g.failed(guardKey);
            return refuse(request, flow, kind, "wrong credentials for " + username, false);
        }
        if (check.validity() == NonceManager.Validity.STALE) {
            return refuse(request, flow, kind, "nonce expired", true);      // RFC 7616 §3.3 stale
        }
        List<AuthResult.Header> info = new ArrayList<>(1);
        if (qop != null) {
            // RFC 3261 §10.3 step 7 fails REGISTERs whose Call-ID and CSeq repeat; here the nc must grow (RFC 7616 §3.4)
            NonceManager.NcResult ncResult = nonces.acceptNc(nonce, check.issuedAt(), ncValue);
            if (ncResult == NonceManager.NcResult.REPLAYED) {
                return refuse(request, flow, kind, "nonce-count " + nc + " replayed", false);
            }
            if (ncResult == NonceManager.NcResult.FORGOTTEN) {
                return refuse(request, flow, kind, "nonce no longer tracked", true);
            }
            String rspHa2 = DigestHash.of(baseAlg).colon().add(uri).hex();
            String rspauth = DigestHash.of(baseAlg).add(ha1).colon().add(nonce).colon().add(nc).colon().add(cnonce).colon()
                    .add(qop).colon().add(rspHa2).hex();
            info.add(new AuthResult.Header(kind.infoHeader(), "qop=" + QOP + ", rspauth=\"" + rspauth
                    + "\", cnonce=" + AuthParams.quote(cnonce) + ", nc=" + nc));   // RFC 7616 §3.5
        }
        g.succeeded(guardKey);
        return AuthResult.authenticated(stored.get().userUri(), info);
    }

    private AuthResult refuse(SipRequest request, Flow flow, ChallengeKind kind, String why, boolean stale) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("Digest {} {} from {}: {}", request.method(), request.callId(),
                    flow == null ? "?" : flow.remoteAddress(), why);
        }
        List<AuthResult.Header> headers = new ArrayList<>(2);
        for (String c : challenges(request, flow, kind, stale)) {
            headers.add(new AuthResult.Header(kind.challengeHeader(), c));
        }
        return AuthResult.challenge(kind.status(), headers);
    }

    private static String sourceOf(Flow flow) {
        if (flow == null || flow.remoteAddress() == null) {
            return "?";
        }
        java.net.InetSocketAddress a = flow.remoteAddress();
        return a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    }

    /** The realm is the domain of the user: To for REGISTER (the AOR), else From. */
    static String realmOf(SipRequest request) {
        NameAddr who = "REGISTER".equals(request.method()) ? request.to() : request.from();
        if (who != null && who.uri() instanceof SipUri su && su.host() != null) {
            return su.host().toLowerCase(Locale.ROOT);
        }
        if (request.requestUri() instanceof SipUri ru) {
            return ru.host().toLowerCase(Locale.ROOT);
        }
        return "confab";
    }

    // RFC 3261 §22.4: the digest-uri names the Request-URI; compared loosely (user, host, port)
    // because a proxy on the way or the client's own formatting may change parameters. A digest-uri
    // naming this server's own address (no user part, the address the request arrived at) is
    // accepted too: clients that send to an outbound proxy by address (SIPp, some phones) use it.
    static boolean uriMatches(String digestUri, SipRequest request, ChallengeKind kind, Flow flow) {
        if (kind == ChallengeKind.PROXY && "(null)".equals(digestUri)) {
            return true;    // MS-DIALECT §3.8: Communicator-era clients send uri="(null)" to a 407
        }
        Uri ruri = request.requestUri();
        if (ruri.toString().equalsIgnoreCase(digestUri)) {
            return true;
        }
        try {
            Uri d = Uri.parse(digestUri);
            if (d instanceof SipUri du && ruri instanceof SipUri rs) {
                boolean sameResource = Objects.equals(du.user(), rs.user())
                        && du.host().equalsIgnoreCase(rs.host())
                        && (du.port() == rs.port() || du.port() < 0 || rs.port() < 0);
                return sameResource || namesThisServer(du, flow);
            }
        } catch (SipParseException | RuntimeException e) {
            return false;
        }
        return false;
    }

    private static boolean namesThisServer(SipUri digestUri, Flow flow) {
        if (digestUri.user() != null || flow == null || flow.localAddress() == null) {
            return false;
        }
        java.net.InetSocketAddress local = flow.localAddress();
        String host = digestUri.host().startsWith("[") ? digestUri.host().substring(1, digestUri.host().length() - 1)
                : digestUri.host();
        boolean sameHost = host.equalsIgnoreCase(local.getHostString())
                || (local.getAddress() != null && host.equalsIgnoreCase(local.getAddress().getHostAddress()));
        return sameHost && (digestUri.port() < 0 || digestUri.port() == local.getPort());
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
