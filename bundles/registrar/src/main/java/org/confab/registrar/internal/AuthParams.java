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
            String name = s.substring(start, i).toLowerCase(Locale.ROOT);
            i = skipSpace(s, i);
            if (i >= n || s.charAt(i) != '=') {
                throw new IllegalArgumentException("parameter " + name + " has no '='");
            }
            i = skipSpace(s, i + 1);
            String val;
            if (i < n && s.charAt(i) == '"') {
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
