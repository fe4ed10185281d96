package org.confab.store.internal;

import java.util.Locale;
import java.util.Optional;
import org.confab.api.store.StoreException;

/**
 * Canonical forms of the names the store keys on. Domains are lower case host names; user URIs
 * are {@code sip:user@domain} with the user part kept as given (RFC 3261 §19.1.4: it is case
 * sensitive) and the domain lower-cased.
 */
final class Names {

    static final int MAX_DOMAIN = 253;
    static final int MAX_USER = 256;

    private Names() {
    }

    /** The canonical domain, or {@link StoreException} saying what is wrong with it. */
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

    /** The canonical domain, or empty when it cannot be one (for lookups on the hot path). */
    static Optional<String> domainOrEmpty(String domain) {
        if (domain == null) {
            return Optional.empty();
        }
        if (isCanonicalHost(domain, 0, domain.length())) {
            return Optional.of(domain);     // trim and lower-casing would return it unchanged
        }
        String d = domain.trim().toLowerCase(Locale.ROOT);
        return domainProblem(d) == null ? Optional.of(d) : Optional.empty();
    }

    /** The canonical user URI for {@code sip:user@domain} or {@code user@domain}, or {@link StoreException}. */
    static String userUri(String uri) {
        if (isCanonicalUserUri(uri)) {
            return uri;     // every lookup comes here: the already canonical form costs a scan, no allocation
        }
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

    /** The canonical user URI, or empty when it cannot be one (for lookups on the hot path). */
    static Optional<String> userUriOrEmpty(String uri) {
        try {
            return Optional.of(userUri(uri));
        } catch (StoreException e) {
            return Optional.empty();
        }
    }

    /** The domain part of a canonical user URI. */
    static String domainOf(String canonicalUri) {
        return canonicalUri.substring(canonicalUri.lastIndexOf('@') + 1);
    }

    /**
     * True when the text is {@code sip:user@domain} exactly as {@link #userUri} would return it:
     * lower-case scheme, a valid user part, and a valid domain already in lower case. Anything else
     * (upper case, spaces, IDN, IPv6 literals, bad parts) is left to the full path and its messages.
     */
    private static boolean isCanonicalUserUri(String uri) {
        if (uri == null || !uri.startsWith("sip:")) {
            return false;
        }
        int at = uri.indexOf('@', 4);
        if (at <= 4 || at - 4 > MAX_USER) {
            return false;
        }
        for (int i = 4; i < at; i++) {
            if (!isUserChar(uri.charAt(i))) {
                return false;
            }
        }
        return isCanonicalHost(uri, at + 1, uri.length());
    }

    /** True when {@code s[from, to)} is a valid domain already in canonical form; allocates nothing. */
    private static boolean isCanonicalHost(String s, int from, int to) {
        int n = to - from;
        if (n == 0 || n > MAX_DOMAIN) {
            return false;
        }
        int labelStart = from;
        for (int i = from; i <= to; i++) {
            char c = i < to ? s.charAt(i) : '.';
            if (c == '.') {
                int len = i - labelStart;
                if (len == 0 || len > 63 || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
            } else if (!isHostChar(c)) {
                return false;
            }
        }
        return true;
    }

    /** Host name rules (RFC 1035 §2.3.1, RFC 1123 §2.1): dot-separated labels of letters, digits and hyphens. */
    private static String domainProblem(String d) {
        if (d.isEmpty()) {
            return "it is empty";
        }
        if (d.length() > MAX_DOMAIN) {
            return "longer than " + MAX_DOMAIN + " characters";
        }
        // label by label, in order, so the first problem found is the one reported (as with split)
        int n = d.length();
        int start = 0;
        while (start <= n) {
            int end = d.indexOf('.', start);
            if (end < 0) {
                end = n;
            }
            if (end == start) {
                return "it has an empty label";
            }
            if (end - start > 63) {
                return "a label is longer than 63 characters";
            }
            if (d.charAt(start) == '-' || d.charAt(end - 1) == '-') {
                return "a label starts or ends with '-'";
            }
            for (int i = start; i < end; i++) {
                char c = d.charAt(i);
                if (!isHostChar(c)) {
                    return "'" + c + "' is not allowed in a domain name";
                }
            }
            start = end + 1;
        }
        return null;
    }

    private static boolean isHostChar(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-';
    }

    private static boolean isUserChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-_.!~*'()%&=+$,".indexOf(c) >= 0;
    }

    /** RFC 3261 §25.1 user: unreserved, escaped and user-unreserved, less ';', '?' and '/' which would make it ambiguous. */
    private static String userProblem(String user) {
        if (user.length() > MAX_USER) {
            return "user part longer than " + MAX_USER + " characters";
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (!isUserChar(c)) {
                return "'" + c + "' is not allowed in the user part";
            }
        }
        return null;
    }
}
