package org.confab.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.confab.api.store.StoreException;
import org.junit.Test;

/**
 * The allocation-free fast paths of {@link Names} give the same answers, and the same error
 * messages, as the plain implementation they replaced (kept below as {@link Reference}).
 */
public class NamesTest {

    private static final String[] ODD = {
        "example.com", "EXAMPLE.com", "Example.Com", " example.com", "example.com ", "\texample.com\n",
        "example.com.", ".example.com", "example..com", "", " ", ".", "..", "a", "a.", "-a.com", "a-.com",
        "a-b.com", "xn--bcher-kva.example", "bücher.example", "\u212Aelvin.example", "\u0130stanbul.example",
        "[::1]", "::1", "[2001:db8::1]", "2001:db8::1", "192.0.2.1", "192.0.2.1.", "a_b.com", "a b.com",
        "a@b.com", "a:5060", "123", "0.0.0.0", "a".repeat(63) + ".com", "a".repeat(64) + ".com",
        ("a".repeat(62) + ".").repeat(4) + "a", ("a".repeat(50) + ".").repeat(5) + "a",
        ("a".repeat(50) + ".").repeat(4) + "a".repeat(52), "a.b-.c", "a._b", "-", "a.-", "A", "\u00e9.com",
    };

    private static final String[] USERS = {
        "alice", "Alice", "a.b", "a-b_c!~*'()%&=+$,", "", "a b", "a;b", "a?b", "a/b", "a:b", "a@b", "é",
        "x".repeat(256), "x".repeat(257), "%41",
    };

    private static final String[] SCHEMES = {"sip:", "SIP:", "Sip:", "", "sips:", "tel:", " sip:", "sip: ", ":"};

    @Test
    public void domainsAnswerAsBefore() {
        for (String d : ODD) {
            assertDomain(d);
        }
        assertDomain(null);
    }

    @Test
    public void userUrisAnswerAsBefore() {
        for (String scheme : SCHEMES) {
            for (String user : USERS) {
                for (String host : ODD) {
                    assertUserUri(scheme + user + "@" + host);
                }
            }
        }
        for (String odd : new String[] {null, "", " ", "sip:", "sip:@", "sip:a@", "sip:@b", "a@b@c.com",
            "sip:a@b@c.com", "sip:a@b.com ", " sip:a@b.com", "alice@example.com", "sip:alice@example.com:5060",
            "sip:alice@example.com;transport=tcp"}) {
            assertUserUri(odd);
        }
    }

    @Test
    public void randomInputAnswersAsBefore() {
        SplittableRandom r = new SplittableRandom(42);
        String alphabet = "abzAZ09-._@:; \t!%[]\u00e9\u212A\u0130";
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(r.nextBoolean() ? "sip:" : "");
            int n = r.nextInt(24);
            for (int j = 0; j < n; j++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            inputs.add(sb.toString());
        }
        for (String s : inputs) {
            assertDomain(s);
            assertUserUri(s);
        }
    }

    @Test
    public void canonicalInputIsReturnedAsIs() {
        String uri = "sip:alice@example.com";
        assertSame(uri, Names.userUri(uri));
        String domain = "example.com";
        assertSame(domain, Names.domainOrEmpty(domain).orElseThrow());
    }

    private static void assertDomain(String d) {
        assertEquals("domain(" + d + ")", outcome(() -> Reference.domain(d)), outcome(() -> Names.domain(d)));
        assertEquals("domainOrEmpty(" + d + ")", Reference.domainOrEmpty(d), Names.domainOrEmpty(d));
    }

    private static void assertUserUri(String u) {
        assertEquals("userUri(" + u + ")", outcome(() -> Reference.userUri(u)), outcome(() -> Names.userUri(u)));
        assertEquals("userUriOrEmpty(" + u + ")", Reference.userUriOrEmpty(u), Names.userUriOrEmpty(u));
    }

    private interface Call {
        String run();
    }

    private static String outcome(Call c) {
        try {
            return "= " + c.run();
        } catch (StoreException e) {
            return "! " + e.getMessage();
        }
    }

    /** The implementation before the fast paths: split, substring and lower-case on every call. */
    private static final class Reference {

        static String domain(String domain) {
            if (domain == null || domain.isBlank()) {
                throw new StoreException("A domain name is required");
            }
            String d = domain.trim().toLowerCase(Locale.ROOT);
            String problem = domainProblem(d);
            if (problem != null) {
                throw new StoreException("Bad domain name \"" + domain + "\": " + problem);
            }
            return d;
        }

        static Optional<String> domainOrEmpty(String domain) {
            if (domain == null) {
                return Optional.empty();
            }
            String d = domain.trim().toLowerCase(Locale.ROOT);
            return domainProblem(d) == null ? Optional.of(d) : Optional.empty();
        }

        static String userUri(String uri) {
            if (uri == null || uri.isBlank()) {
                throw new StoreException("A user URI is required");
            }
            String s = uri.trim();
            int colon = s.indexOf(':');
            if (colon >= 0) {
                String scheme = s.substring(0, colon);
                if (!scheme.equalsIgnoreCase("sip")) {
                    throw new StoreException("Bad user URI \"" + uri + "\": only sip:user@domain is accepted");
                }
                s = s.substring(colon + 1);
            }
            int at = s.lastIndexOf('@');
            if (at <= 0 || at == s.length() - 1) {
                throw new StoreException("Bad user URI \"" + uri + "\": expected sip:user@domain");
            }
            String user = s.substring(0, at);
            String problem = userProblem(user);
            if (problem != null) {
                throw new StoreException("Bad user URI \"" + uri + "\": " + problem);
            }
            String host = s.substring(at + 1).toLowerCase(Locale.ROOT);
            problem = domainProblem(host);
            if (problem != null) {
                throw new StoreException("Bad user URI \"" + uri + "\": domain " + problem);
            }
            return "sip:" + user + "@" + host;
        }

        static Optional<String> userUriOrEmpty(String uri) {
            try {
                return Optional.of(userUri(uri));
            } catch (StoreException e) {
                return Optional.empty();
            }
        }

        private static String domainProblem(String d) {
            if (d.isEmpty()) {
                return "it is empty";
            }
            if (d.length() > Names.MAX_DOMAIN) {
                return "longer than " + Names.MAX_DOMAIN + " characters";
            }
            for (String label : d.split("\\.", -1)) {
                if (label.isEmpty()) {
                    return "it has an empty label";
                }
                if (label.length() > 63) {
                    return "a label is longer than 63 characters";
                }
                if (label.startsWith("-") || label.endsWith("-")) {
                    return "a label starts or ends with '-'";
                }
                for (int i = 0; i < label.length(); i++) {
                    char c = label.charAt(i);
                    if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                        return "'" + c + "' is not allowed in a domain name";
                    }
                }
            }
            return null;
        }

        private static String userProblem(String user) {
            if (user.length() > Names.MAX_USER) {
                return "user part longer than " + Names.MAX_USER + " characters";
            }
            for (int i = 0; i < user.length(); i++) {
                char c = user.charAt(i);
                boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                        || "-_.!~*'()%&=+$,".indexOf(c) >= 0;
                if (!ok) {
                    return "'" + c + "' is not allowed in the user part";
                }
            }
            return null;
        }
    }
}
