package org.confab.sip.message;

import java.util.Collections;
import java.util.Map;

import org.confab.sip.message.internal.ParamMap;
import org.confab.sip.message.internal.Params;
import org.confab.sip.message.internal.Text;

/**
 * A sip or sips URI (RFC 3261 §19.1). Immutable; the {@code with...} methods return changed
 * copies. {@link #user()} and {@link #password()} are unescaped; parameter and header values are
 * kept as written (escaped). Parameter names are lower-case. A parsed URI prints exactly as it
 * was written until it is changed.
 */
public final class SipUri extends Uri {

    private static final int USER = 0;
    private static final int PASSWORD = 1;
    private static final int PARAM = 2;
    private static final int HEADER = 3;

    private final String scheme;
    private final String user;
    private final String userRaw;
    private final String password;
    private final String host;
    private final int port;
    private final Map<String, String> parameters;
    private final Map<String, String> headers;
    private String text;

    /**
     * Builds a URI without parameters or headers.
     *
     * @param scheme "sip" or "sips"
     * @param user the user, unescaped; null for none
     * @param host a host name, IPv4 address or bracketed IPv6 reference
     * @param port the port, -1 when absent
     */
    public SipUri(String scheme, String user, String host, int port) {
        this(checkScheme(scheme), user, user == null ? null : Text.escape(user, USER), null, checkHost(host), checkPort(port),
                Collections.emptyMap(), Collections.emptyMap(), null);
    }

    private SipUri(String scheme, String user, String userRaw, String password, String host, int port,
            Map<String, String> parameters, Map<String, String> headers, String text) {
        this.scheme = scheme;
        this.user = user;
        this.userRaw = userRaw;
        this.password = password;
        this.host = host;
        this.port = port;
        this.parameters = parameters;
        this.headers = headers;
        this.text = text;
    }

    private static String checkScheme(String scheme) {
        String s = scheme == null ? "" : Text.lower(scheme);
        if (!s.equals("sip") && !s.equals("sips")) {
            throw new IllegalArgumentException("scheme must be sip or sips: " + scheme);
        }
        return s;
    }

    private static String checkHost(String host) {
        String problem = host == null ? "missing" : hostProblem(host);
        if (problem != null) {
            throw new IllegalArgumentException("Bad host: " + problem);
        }
        return host;
    }

    private static int checkPort(int port) {
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("Bad port: " + port);
        }
        return port;
    }

    /**
     * Parses a sip or sips URI.
     *
     * @param text the URI, without angle brackets
     * @return the URI
     * @throws SipParseException saying which part is malformed
     */
    public static SipUri parseSip(String text) throws SipParseException {
        if (text == null) {
            throw new SipParseException("Bad URI: null");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new SipParseException("Bad URI: no scheme in '" + text + "'");
        }
        String scheme = colon == 3 && text.regionMatches(true, 0, "sip", 0, 3) ? "sip"
                : colon == 4 && text.regionMatches(true, 0, "sips", 0, 4) ? "sips" : null;
        if (scheme == null) {
            throw new SipParseException("Bad URI: not a sip or sips URI: '" + text + "'");
        }
        int n = text.length();
        int i = colon + 1;
        String user = null;
        String userRaw = null;
        String password = null;
        int at = text.indexOf('@', i);
        if (at >= 0) {
            // indexes into the text rather than substrings of substrings: this runs for every URI of every message
            int pc = text.indexOf(':', i);
            if (pc > at) {
                pc = -1;
            }
            userRaw = text.substring(i, pc < 0 ? at : pc);
            if (userRaw.isEmpty()) {
                throw new SipParseException("Bad URI: empty user part in '" + text + "'");
            }
            int bad = Text.checkEscaped(userRaw, USER);
            if (bad >= 0) {
                throw new SipParseException("Bad URI: illegal character '" + userRaw.charAt(bad) + "' in user part of '" + text + "'");
            }
            user = Text.unescape(userRaw);
            if (pc >= 0) {
                bad = Text.checkEscaped(text, pc + 1, at, PASSWORD);
                if (bad >= 0) {
                    throw new SipParseException("Bad URI: illegal character '" + text.charAt(bad) + "' in password of '" + text + "'");
                }
                password = Text.unescape(text.substring(pc + 1, at));
            }
            i = at + 1;
        }
        // hostport
        String host;
        int port = -1;
        int hs = i;
        if (i < n && text.charAt(i) == '[') {
            int close = text.indexOf(']', i);
            if (close < 0) {
                throw new SipParseException("Bad URI: unterminated IPv6 reference in '" + text + "'");
            }
            i = close + 1;
        } else {
            while (i < n && text.charAt(i) != ':' && text.charAt(i) != ';' && text.charAt(i) != '?') {
                i++;
            }
        }
        host = text.substring(hs, i);
        String problem = hostProblem(host);
        if (problem != null) {
            throw new SipParseException("Bad URI: " + problem + " in '" + text + "'");
        }
        if (i < n && text.charAt(i) == ':') {
            int ps = ++i;
            while (i < n && text.charAt(i) != ';' && text.charAt(i) != '?') {
                i++;
            }
            long v = Text.parseDigits(text, ps, i, 65535);
            if (v < 0) {
                throw new SipParseException("Bad URI: bad port '" + text.substring(ps, i) + "' in '" + text + "'");
            }
            port = (int) v;
        } else if (i < n && text.charAt(i) != ';' && text.charAt(i) != '?') {
            throw new SipParseException("Bad URI: unexpected '" + text.charAt(i) + "' after host in '" + text + "'");
        }
        Map<String, String> params = Collections.emptyMap();
        if (i < n && text.charAt(i) == ';') {
            ParamMap.Builder pb = new ParamMap.Builder(4);
            while (i < n && text.charAt(i) == ';') {
                int ps = ++i;
                int eq = -1;
                while (i < n && text.charAt(i) != ';' && text.charAt(i) != '?') {
                    if (eq < 0 && text.charAt(i) == '=') {
                        eq = i;
                    }
                    i++;
                }
                int ne = eq < 0 ? i : eq;
                if (ne == ps || Text.checkEscaped(text, ps, ne, PARAM) >= 0
                        || (eq >= 0 && (eq + 1 == i || Text.checkEscaped(text, eq + 1, i, PARAM) >= 0))) {
                    throw new SipParseException("Bad URI: malformed parameter '" + text.substring(ps, i) + "' in '" + text + "'");
                }
                int pct = text.indexOf('%', ps);
                String name = pct < 0 || pct >= ne ? Params.name(text, ps, ne) : Text.lower(Text.unescape(text.substring(ps, ne)));
                pb.set(name, eq < 0 ? "" : text.substring(eq + 1, i));
            }
            params = pb.build();
        }
        Map<String, String> headers = Collections.emptyMap();
        if (i < n && text.charAt(i) == '?') {
            ParamMap.Builder hb = new ParamMap.Builder(2);
            i++;
            while (i <= n) {
                int hs2 = i;
                while (i < n && text.charAt(i) != '&') {
                    i++;
                }
                String h = text.substring(hs2, i);
                int eq = h.indexOf('=');
                if (eq <= 0 || Text.checkEscaped(h, 0, eq, HEADER) >= 0 || Text.checkEscaped(h, eq + 1, h.length(), HEADER) >= 0) {
                    throw new SipParseException("Bad URI: malformed header '" + h + "' in '" + text + "'");
                }
                hb.set(h.substring(0, eq), h.substring(eq + 1));
                i++;
            }
            headers = hb.build();
        }
        return new SipUri(scheme, user, userRaw, password, host, port, params, headers, text);
    }

    /**
     * RFC 3261 §25.1 IPv6address as corrected by RFC 5118 §4.10 (the RFC 3986 form): at most eight
     * 1-4 digit hex groups, one "::" at most, an optional trailing IPv4 address counting as two groups.
     */
    static boolean isIpv6(String a) {
        int dbl = a.indexOf("::");
        if (dbl < 0) {
            return groups(a, true) == 8;
        }
        if (a.indexOf("::", dbl + 1) >= 0) {
            return false;
        }
        String left = a.substring(0, dbl);
        String right = a.substring(dbl + 2);
        int l = left.isEmpty() ? 0 : groups(left, false);
        int r = right.isEmpty() ? 0 : groups(right, true);
        return l >= 0 && r >= 0 && l + r <= 7;
    }

    /** Number of 16-bit groups in a colon-separated run (a trailing IPv4 address counts two), or -1. */
    private static int groups(String run, boolean ipv4Tail) {
        String[] parts = run.split(":", -1);
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String g = parts[i];
            if (ipv4Tail && i == parts.length - 1 && g.indexOf('.') >= 0) {
                if (!isIpv4(g)) {
                    return -1;
                }
                n += 2;
                continue;
            }
            if (g.isEmpty() || g.length() > 4) {
                return -1;
            }
            for (int k = 0; k < g.length(); k++) {
                if (!Text.isHex(g.charAt(k))) {
                    return -1;
                }
            }
            n++;
        }
        return n;
    }

    private static boolean isIpv4(String a) {
        String[] q = a.split("\\.", -1);
        if (q.length != 4) {
            return false;
        }
        for (String o : q) {
            if (o.isEmpty() || o.length() > 3 || !Text.allDigits(o) || Integer.parseInt(o) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Returns null when the host is a hostname, IPv4 address or bracketed IPv6 reference; otherwise what is wrong. */
    static String hostProblem(String host) {
        if (host.isEmpty()) {
            return "missing host";
        }
        if (host.charAt(0) == '[') {
            if (host.length() < 4 || host.charAt(host.length() - 1) != ']') {
                return "bad IPv6 reference '" + host + "'";
            }
            return isIpv6(host.substring(1, host.length() - 1)) ? null : "bad IPv6 reference '" + host + "'";
        }
        // RFC 3261 §25.1 hostname: labels of alphanum and '-', optional trailing dot
        char prev = '.';
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '.') {
                if (prev == '.' || prev == '-') {
                    return "bad host '" + host + "'";
                }
            } else if (c == '-') {
                if (prev == '.') {
                    return "bad host '" + host + "'";
                }
            } else if (!Text.isAlpha(c) && !Text.isDigit(c)) {
                return "illegal character '" + c + "' in host '" + host + "'";
            }
            prev = c;
        }
        return prev == '-' ? "bad host '" + host + "'" : null;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    /** @return the user, unescaped; null when absent */
    public String user() {
        return user;
    }

    /** @return the password, unescaped; null when absent */
    public String password() {
        return password;
    }

    /** @return the host as written; an IPv6 reference keeps its brackets, e.g. {@code "[::1]"} */
    public String host() {
        return host;
    }

    /** @return the port, -1 when absent */
    public int port() {
        return port;
    }

    /**
     * @param name the parameter name, any case
     * @return its value as written, "" for a flag such as lr, null when absent
     */
    public String parameter(String name) {
        return parameters.get(Text.lower(name));
    }

    /** @return the parameters (names lower-case), ordered, unmodifiable */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** @return the {@code ?h=v} headers (names and values as written), ordered, unmodifiable */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * @param name parameter name
     * @param value value as it should be written (escaped), null or "" for a flag
     * @return a copy with the parameter set
     */
    public SipUri withParameter(String name, String value) {
        if (!Text.isToken(name)) {
            throw new IllegalArgumentException("Bad parameter name: " + name);
        }
        return new SipUri(scheme, user, userRaw, password, host, port, Params.with(parameters, name, value, false), headers, null);
    }

    /**
     * @param name parameter name
     * @return a copy without the parameter
     */
    public SipUri withoutParameter(String name) {
        if (!parameters.containsKey(Text.lower(name))) {
            return this;
        }
        return new SipUri(scheme, user, userRaw, password, host, port, Params.with(parameters, name, null, true), headers, null);
    }

    /** @return a copy without {@code ?headers} (RFC 3261 §19.1.5: not allowed in a Request-URI) */
    public SipUri withoutHeaders() {
        if (headers.isEmpty()) {
            return this;
        }
        return new SipUri(scheme, user, userRaw, password, host, port, parameters, Collections.emptyMap(), null);
    }

    /**
     * @param newUser the user, unescaped; null removes the user part
     * @return a copy with the user replaced
     */
    public SipUri withUser(String newUser) {
        return new SipUri(scheme, newUser, newUser == null ? null : Text.escape(newUser, USER), newUser == null ? null : password,
                host, port, parameters, headers, null);
    }

    /**
     * @param newHost host name, IPv4 address or bracketed IPv6 reference
     * @param newPort port, -1 for none
     * @return a copy with host and port replaced
     */
    public SipUri withHostPort(String newHost, int newPort) {
        return new SipUri(scheme, user, userRaw, password, checkHost(newHost), checkPort(newPort), parameters, headers, null);
    }

    /** @return the transport parameter in lower case, or null */
    public String transport() {
        String t = parameters.get("transport");
        return t == null ? null : Text.lower(t);
    }

    /** @return true for a sips URI */
    public boolean isSecure() {
        return scheme.equals("sips");
    }

    /**
     * The canonical address of record: {@code "sip:user@host"} with the host in lower case, no
     * port, parameters or headers; the scheme is sip even for a sips URI; the user is written
     * with the minimal escaping.
     *
     * @return the address of record
     */
    public String aor() {
        StringBuilder sb = new StringBuilder(host.length() + 24).append("sip:");
        if (user != null) {
            sb.append(Text.escape(user, USER)).append('@');
        }
        return sb.append(Text.lower(host)).toString();
    }

    /** RFC 3261 §19.1.4 URI comparison. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SipUri)) {
            return false;
        }
        SipUri u = (SipUri) o;
        if (!scheme.equals(u.scheme) || port != u.port || !host.equalsIgnoreCase(u.host)) {
            return false;
        }
        // user info is case-sensitive; escaped and unescaped forms are equivalent
        if (user == null ? u.user != null : !user.equals(u.user)) {
            return false;
        }
        if (password == null ? u.password != null : !password.equals(u.password)) {
            return false;
        }
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            String other = u.parameters.get(e.getKey());
            if (other == null) {
                if (isSticky(e.getKey())) {
                    return false;
                }
            } else if (!Text.unescape(e.getValue()).equalsIgnoreCase(Text.unescape(other))) {
                return false;
            }
        }
        for (String k : u.parameters.keySet()) {
            if (isSticky(k) && !parameters.containsKey(k)) {
                return false;
            }
        }
        // headers are never ignored: every header must be present in both and match
        if (headers.size() != u.headers.size()) {
            return false;
        }
        for (Map.Entry<String, String> e : headers.entrySet()) {
            String other = null;
            for (Map.Entry<String, String> f : u.headers.entrySet()) {
                if (f.getKey().equalsIgnoreCase(e.getKey())) {
                    other = f.getValue();
                    break;
                }
            }
            if (other == null || !Text.unescape(e.getValue()).equals(Text.unescape(other))) {
                return false;
            }
        }
        return true;
    }

    /** RFC 3261 §19.1.4: these parameters must match when present in either URI. */
    private static boolean isSticky(String name) {
        switch (name) {
            case "transport":
            case "user":
            case "ttl":
            case "method":
            case "maddr":
                return true;
            default:
                return false;
        }
    }

    @Override
    public int hashCode() {
        int h = scheme.hashCode();
        h = h * 31 + Text.lower(host).hashCode();
        h = h * 31 + (user == null ? 0 : user.hashCode());
        return h * 31 + port;
    }

    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            StringBuilder sb = new StringBuilder(48).append(scheme).append(':');
            if (userRaw != null) {
                sb.append(userRaw);
                if (password != null) {
                    sb.append(':').append(Text.escape(password, PASSWORD));
                }
                sb.append('@');
            }
            sb.append(host);
            if (port >= 0) {
                sb.append(':').append(port);
            }
            Params.write(sb, parameters);
            char sep = '?';
            for (Map.Entry<String, String> e : headers.entrySet()) {
                sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
                sep = '&';
            }
            t = sb.toString();
            text = t;
        }
        return t;
    }
}
