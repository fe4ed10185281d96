package org.confab.registrar.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed credentials or challenge header value: {@code scheme name=value, name="quoted \" value"}
 * (RFC 3261 §25.1 auth-param, RFC 7235 §2.1). Names are lower-cased; quoted values are unescaped.
 * Anything that does not follow the grammar (an unterminated quote, a parameter without '=', a
 * name given twice) is refused with an {@link IllegalArgumentException} that says what was wrong.
 */
final class AuthParams {

    // the parameters of Digest credentials and challenges (RFC 7616 §3.3, §3.4): their names are
    // these constants, not a new lower-cased substring per parameter per request
    private static final String[] KNOWN_NAMES = {
        "username", "realm", "nonce", "uri", "response", "algorithm", "cnonce", "opaque", "qop", "nc",
        "stale", "domain", "userhash", "charset", "rspauth", "nextnonce",
    };

    private final String scheme;
    private final Map<String, String> params;

    private AuthParams(String scheme, Map<String, String> params) {
        this.scheme = scheme;
        this.params = Collections.unmodifiableMap(params);
    }

    String scheme() {
        return scheme;
    }

    /** The value of a parameter (name case-insensitive), or null. */
    String get(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    Map<String, String> params() {
        return params;
    }

    /** The scheme token that starts a header value, or "" when there is none. */
    static String schemeOf(String value) {
        if (value == null) {
            return "";
        }
        String s = value.strip();
        int i = 0;
        while (i < s.length() && isTokenChar(s.charAt(i))) {
            i++;
        }
        return s.substring(0, i);
    }

    /**
     * Whether the header value starts with this scheme token, compared as {@code schemeOf(value)} lower-cased
     * against the scheme lower-cased, without making either string (once per request with credentials).
     */
    static boolean hasScheme(String value, String scheme) {
        for (int k = 0; k < scheme.length(); k++) {
            if (scheme.charAt(k) >= 0x80) {     // never a token: compared the plain way, for the same answer
                return schemeOf(value).toLowerCase(Locale.ROOT).equals(scheme.toLowerCase(Locale.ROOT));
            }
        }
        String v = value == null ? "" : value;
        int start = 0;
        while (start < v.length() && Character.isWhitespace(v.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < v.length() && isTokenChar(v.charAt(end))) {
            end++;
        }
        // both ASCII here, where lower-casing the strings is lower-casing each character
        return end - start == scheme.length() && v.regionMatches(true, start, scheme, 0, scheme.length());
    }

    static AuthParams parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("no credentials");
        }
        String s = value.strip();
        int i = 0;
        int n = s.length();
        while (i < n && isTokenChar(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("no scheme");
        }
        String scheme = s.substring(0, i);
        if (i < n && !isSpace(s.charAt(i))) {
            throw new IllegalArgumentException("bad character after scheme at " + i);
        }
        Map<String, String> params = new LinkedHashMap<>();
        while (true) {
            i = skipSpace(s, i);
            while (i < n && s.charAt(i) == ',') {     // empty list elements are allowed (RFC 7230 §7)
                i = skipSpace(s, i + 1);
            }
            if (i >= n) {
                break;
            }
            int start = i;
            while (i < n && isTokenChar(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                throw new IllegalArgumentException("expected a parameter name at " + i);
            }
            String name = name(s, start, i);
            i = skipSpace(s, i);
            if (i >= n || s.charAt(i) != '=') {
                throw new IllegalArgumentException("parameter " + name + " has no '='");
            }
            i = skipSpace(s, i + 1);
            String val;
            int plainEnd = i < n && s.charAt(i) == '"' ? plainQuotedEnd(s, i + 1) : -1;
            if (plainEnd >= 0) {
                val = s.substring(i + 1, plainEnd);     // no quoted-pair inside: the text as it stands
                i = plainEnd + 1;
            } else if (i < n && s.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = s.charAt(i++);
                    if (c == '\\') {                    // quoted-pair (RFC 3261 §25.1)
                        if (i >= n) {
                            break;
                        }
                        sb.append(s.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        sb.append(c);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("unterminated quoted value of " + name);
                }
                val = sb.toString();
            } else {
                int vs = i;
                while (i < n && isTokenChar(s.charAt(i))) {
                    i++;
                }
                if (i == vs) {
                    throw new IllegalArgumentException("parameter " + name + " has no value");
                }
                val = s.substring(vs, i);
            }
            if (params.putIfAbsent(name, val) != null) {
                throw new IllegalArgumentException("parameter " + name + " given twice");
            }
            i = skipSpace(s, i);
            if (i < n && s.charAt(i) != ',') {
                throw new IllegalArgumentException("expected ',' after " + name);
            }
        }
        return new AuthParams(scheme, params);
    }

    /** The lower-case name of the token {@code s[start, end)}. */
    private static String name(String s, int start, int end) {
        int len = end - start;
        for (String k : KNOWN_NAMES) {
            // token characters are ASCII, where this is the same as comparing lower-cased text
            if (k.length() == len && s.regionMatches(true, start, k, 0, len)) {
                return k;
            }
        }
        return s.substring(start, end).toLowerCase(Locale.ROOT);
    }

    /** Where the quoted value starting at {@code from} closes, or -1 if it has a quoted-pair or never closes. */
    private static int plainQuotedEnd(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\') {
                return -1;
            }
        }
        return -1;
    }

    /** Quotes a value as a quoted-string, escaping '"' and '\'. */
    static String quote(String v) {
        StringBuilder sb = new StringBuilder(v.length() + 2).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    // RFC 3261 §25.1 token characters, widened by '/', ':', '@', '?', '[', ']' because clients
    // send unquoted URIs (uri=sip:alice@example.com) and the value is still unambiguous
    private static boolean isTokenChar(char c) {
        return c > ' ' && c < 127 && "\"(),;<=>\\{}".indexOf(c) < 0;
    }
}
