package org.confab.sip.message;

import java.util.Locale;
import java.util.Map;

import org.confab.sip.message.internal.Params;
import org.confab.sip.message.internal.Text;

/**
 * One via-parm of a Via header (RFC 3261 §20.42, RFC 3581 rport). Immutable; a parsed value
 * prints exactly as written until changed with {@link #withParameter}.
 */
public final class Via {

    /** RFC 3261 §8.1.1.7: branches of RFC 3261 elements start with this cookie. */
    private static final String MAGIC_COOKIE = "z9hG4bK";
    private static final String[] TRANSPORTS = {"UDP", "TCP", "TLS", "SCTP", "WS", "WSS"};

    private final String protocol;
    private final String transport;
    private final String host;
    private final int port;
    /** The wire form: as received, as built, or as edited by {@link #withParameter}. */
    private final String text;
    /** Where the parameters start in {@link #text}. */
    private final int paramsAt;
    // value ranges [at, end) in text of the last branch, received and rport; -1 when absent, at == end for a
    // flag. The parameters stay unparsed: a Via is read for these three and a map per Via was the parser's
    // largest allocation.
    private final int branchAt;
    private final int branchEnd;
    private final int receivedAt;
    private final int receivedEnd;
    private final int rportAt;
    private final int rportEnd;
    /**
     * The text is exactly what writing the parts and parameters would give (no LWS, lower-case names, no
     * repeated name, canonical port...), so {@link #withParameter} may edit it in place and still return
     * what re-writing the whole Via would have.
     */
    private final boolean canonical;
    /** The parameters are {@link #given}, not the text's ranges: set by code in a form the text cannot carry. */
    private final boolean mapped;
    /** The parameters when mapped, else null. */
    private final Map<String, String> given;
    /** The parameters read from text when asked. */
    private Map<String, String> parsed;
    private String branch;
    private String received;

    /**
     * A SIP/2.0 Via.
     *
     * @param transport UDP, TCP, TLS, SCTP, WS or WSS (any case)
     * @param host the sent-by host (IPv6 in brackets)
     * @param port the sent-by port, -1 for none
     * @param branch the branch parameter or null
     */
    public Via(String transport, String host, int port, String branch) {
        String t = checkTransport(transport);
        if (host == null || SipUri.hostProblem(host) != null) {
            throw new IllegalArgumentException("Bad Via host: " + host);
        }
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("Bad Via port: " + port);
        }
        if (branch != null && !Text.isToken(branch)) {
            throw new IllegalArgumentException("Bad branch: " + branch);
        }
        StringBuilder sb = head(new StringBuilder(64), "SIP/2.0", t, host, port);
        int at = sb.length();
        if (branch != null) {
            sb.append(";branch=").append(branch);
        }
        this.protocol = "SIP/2.0";
        this.transport = t;
        this.host = host;
        this.port = port;
        this.text = sb.toString();
        this.paramsAt = at;
        this.branchAt = branch == null ? -1 : at + 8;
        this.branchEnd = branch == null ? -1 : text.length();
        this.receivedAt = -1;
        this.receivedEnd = -1;
        this.rportAt = -1;
        this.rportEnd = -1;
        this.canonical = true;
        this.mapped = false;
        this.given = null;
        this.branch = branch;
    }

    /** A Via whose parameters are the map (written into text from paramsAt on). */
    private Via(String protocol, String transport, String host, int port, String text, int paramsAt, Map<String, String> parameters) {
        this.protocol = protocol;
        this.transport = transport;
        this.host = host;
        this.port = port;
        this.text = text;
        this.paramsAt = paramsAt;
        this.branchAt = -1;
        this.branchEnd = -1;
        this.receivedAt = -1;
        this.receivedEnd = -1;
        this.rportAt = -1;
        this.rportEnd = -1;
        this.canonical = false;
        this.mapped = true;
        this.given = parameters;
    }

    /**
     * A Via whose parameters are read from text at paramsAt, RFC 3261 §25.1 generic-param grammar; with
     * {@code validate}, branch, ttl, rport and received are checked too. One pass does what Params.check,
     * Params.find (four names) and Params.isCanonical do, with the same errors: this runs for every Via.
     */
    private Via(String protocol, String transport, String host, int port, String text, int paramsAt, boolean canonicalHead,
            boolean validate) throws SipParseException {
        String s = text;
        int n = s.length();
        int bAt = -1;
        int bEnd = -1;
        int recAt = -1;
        int recEnd = -1;
        int rpAt = -1;
        int rpEnd = -1;
        int ttlAt = -1;
        int ttlEnd = -1;
        boolean canon = canonicalHead;
        int i = Params.skipLws(s, paramsAt);
        canon &= i == paramsAt;
        while (i < n) {
            if (s.charAt(i) != ';') {
                throw new SipParseException("Bad Via: unexpected '" + s.charAt(i) + "' where ';' was expected");
            }
            int j = Params.skipLws(s, i + 1);
            canon &= j == i + 1;
            i = j;
            if (i >= n) {
                // a trailing ';' with nothing after it is outside the grammar but common in the wild: tolerated
                canon = false;
                break;
            }
            int ns = i;
            while (i < n && Text.isToken(s.charAt(i))) {
                char c = s.charAt(i);
                canon &= c < 'A' || c > 'Z';
                i++;
            }
            if (i == ns) {
                throw new SipParseException("Bad Via: parameter name expected at '" + s.substring(ns) + "'");
            }
            int ne = i;
            j = Params.skipLws(s, i);
            canon &= j == i;
            i = j;
            int vs = ne;
            int ve = ne;
            if (i < n && s.charAt(i) == '=') {
                j = Params.skipLws(s, i + 1);
                canon &= j == i + 1;
                i = j;
                if (i < n && s.charAt(i) == '"') {
                    int q = Text.closingQuote(s, i);
                    if (q < 0) {
                        throw new SipParseException("Bad Via: unterminated quoted string in parameter " + Params.name(s, ns, ne));
                    }
                    vs = i;
                    ve = q + 1;
                    i = q + 1;
                } else {
                    vs = i;
                    while (i < n && s.charAt(i) != ';' && !Text.isLws(s.charAt(i)) && s.charAt(i) != ',') {
                        i++;
                    }
                    if (i == vs) {
                        throw new SipParseException("Bad Via: missing value of parameter " + Params.name(s, ns, ne));
                    }
                    ve = i;
                    int quote = s.indexOf('"', vs);
                    if (quote >= 0 && quote < ve) {
                        throw new SipParseException("Bad Via: stray quote in parameter " + Params.name(s, ns, ne));
                    }
                }
                j = Params.skipLws(s, i);
                canon &= j == i;
                i = j;
            }
            canon = canon && !Params.seenBefore(s, paramsAt, ns, ne);
            int len = ne - ns;
            if (len == 6 && s.regionMatches(true, ns, "branch", 0, 6)) {
                bAt = vs;
                bEnd = ve;
            } else if (len == 8 && s.regionMatches(true, ns, "received", 0, 8)) {
                recAt = vs;
                recEnd = ve;
            } else if (len == 5 && s.regionMatches(true, ns, "rport", 0, 5)) {
                rpAt = vs;
                rpEnd = ve;
            } else if (len == 3 && s.regionMatches(true, ns, "ttl", 0, 3)) {
                ttlAt = vs;
                ttlEnd = ve;
            }
        }
        if (validate) {
            if (bAt >= 0 && !Text.isToken(s, bAt, bEnd)) {
                throw new SipParseException("Bad Via: bad branch '" + s.substring(bAt, bEnd) + "'");
            }
            if (ttlAt >= 0 && Text.parseDigits(s, ttlAt, ttlEnd, 255) < 0) {
                throw new SipParseException("Bad Via: bad ttl '" + s.substring(ttlAt, ttlEnd) + "'");
            }
            if (rpAt >= 0 && rpEnd > rpAt && Text.parseDigits(s, rpAt, rpEnd, 65535) < 0) {
                throw new SipParseException("Bad Via: bad rport '" + s.substring(rpAt, rpEnd) + "'");
            }
            if (recAt >= 0 && recEnd == recAt) {
                throw new SipParseException("Bad Via: received without a value");
            }
        }
        this.protocol = protocol;
        this.transport = transport;
        this.host = host;
        this.port = port;
        this.text = s;
        this.paramsAt = paramsAt;
        this.branchAt = bAt;
        this.branchEnd = bEnd;
        this.receivedAt = recAt;
        this.receivedEnd = recEnd;
        this.rportAt = rpAt;
        this.rportEnd = rpEnd;
        this.canonical = canon;
        this.mapped = false;
        this.given = null;
    }

    private static String checkTransport(String t) {
        if (!Text.isToken(t)) {
            throw new IllegalArgumentException("Bad transport: " + t);
        }
        return t.toUpperCase(Locale.ROOT);
    }

    private static StringBuilder head(StringBuilder sb, String protocol, String transport, String host, int port) {
        sb.append(protocol).append('/').append(transport).append(' ').append(host);
        if (port >= 0) {
            sb.append(':').append(port);
        }
        return sb;
    }

    /**
     * Parses one via-parm, e.g. {@code SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776;rport}.
     * LWS is allowed around the slashes of the sent-protocol.
     *
     * @param text one element of a Via header
     * @return the Via
     * @throws SipParseException when malformed
     */
    public static Via parse(String text) throws SipParseException {
        String s = Text.trimLws(text);
        int n = s.length();
        int nameEnd = tokenEnd(s, 0, "protocol name");
        int vs = slash(s, nameEnd);
        boolean canon = vs == nameEnd + 1;
        int ve = tokenEnd(s, vs, "protocol version");
        int ts = slash(s, ve);
        canon &= ts == ve + 1;
        int te = tokenEnd(s, ts, "transport");
        int i = te;
        if (i >= n || !Text.isLws(s.charAt(i))) {
            throw new SipParseException("Bad Via: missing sent-by host in '" + s + "'");
        }
        canon &= s.charAt(i) == ' ';
        i = Params.skipLws(s, i);
        canon &= i == te + 1;
        int hs = i;
        if (i < n && s.charAt(i) == '[') {
            int close = s.indexOf(']', i);
            if (close < 0) {
                throw new SipParseException("Bad Via: unterminated IPv6 reference in '" + s + "'");
            }
            i = close + 1;
        } else {
            while (i < n && (Text.isAlpha(s.charAt(i)) || Text.isDigit(s.charAt(i)) || s.charAt(i) == '-' || s.charAt(i) == '.')) {
                i++;
            }
        }
        String host = s.substring(hs, i);
        String problem = SipUri.hostProblem(host);
        if (problem != null) {
            throw new SipParseException("Bad Via: " + problem + " in '" + s + "'");
        }
        int port = -1;
        int j = Params.skipLws(s, i);
        if (j < n && s.charAt(j) == ':') {
            canon &= j == i;
            int ps = Params.skipLws(s, j + 1);
            canon &= ps == j + 1;
            j = ps;
            while (j < n && Text.isDigit(s.charAt(j))) {
                j++;
            }
            long p = Text.parseDigits(s, ps, j, 65535);
            if (p < 0) {
                throw new SipParseException("Bad Via: bad port in '" + s + "'");
            }
            // a leading zero would not be written back
            canon &= s.charAt(ps) != '0' || j == ps + 1;
            port = (int) p;
            i = j;
        }
        String protocol = nameEnd == 3 && ve - vs == 3 && s.startsWith("SIP") && s.startsWith("2.0", vs) ? "SIP/2.0"
                : s.substring(0, nameEnd) + "/" + s.substring(vs, ve);
        for (int k = ts; k < te; k++) {
            char c = s.charAt(k);
            canon &= c < 'a' || c > 'z';
        }
        return new Via(protocol, transport(s, ts, te), host, port, s, i, canon, true);
    }

    /** The transport in upper case; the usual ones are shared constants, not cut out of the text. */
    private static String transport(String s, int ts, int te) {
        int len = te - ts;
        for (String k : TRANSPORTS) {
            if (k.length() == len && s.regionMatches(true, ts, k, 0, len)) {
                return k;
            }
        }
        return s.substring(ts, te).toUpperCase(Locale.ROOT);
    }

    /** End of the token starting at {@code from}. */
    private static int tokenEnd(String s, int from, String what) throws SipParseException {
        int i = from;
        while (i < s.length() && Text.isToken(s.charAt(i))) {
            i++;
        }
        if (i == from) {
            throw new SipParseException("Bad Via: " + what + " missing in '" + s + "'");
        }
        return i;
    }

    /** Position after the slash at or after {@code pos} and the LWS that follows it. */
    private static int slash(String s, int pos) throws SipParseException {
        // RFC 3261 §25.1: SLASH = SWS "/" SWS
        int i = Params.skipLws(s, pos);
        if (i >= s.length() || s.charAt(i) != '/') {
            throw new SipParseException("Bad Via: '/' expected in sent-protocol of '" + s + "'");
        }
        return Params.skipLws(s, i + 1);
    }

    /** @return the protocol name and version, "SIP/2.0" */
    public String protocol() {
        return protocol;
    }

    /** @return the transport in upper case: UDP, TCP, TLS, SCTP, WS, WSS */
    public String transport() {
        return transport;
    }

    /** @return the sent-by host as written (IPv6 in brackets) */
    public String host() {
        return host;
    }

    /** @return the sent-by port, -1 when absent */
    public int port() {
        return port;
    }

    /** @return the branch or null */
    public String branch() {
        if (mapped) {
            return given.get("branch");
        }
        String b = branch;
        if (b == null && branchAt >= 0) {
            b = text.substring(branchAt, branchEnd);
            branch = b;
        }
        return b;
    }

    /** @return the received parameter (RFC 3261 §18.2.1) or null */
    public String received() {
        if (mapped) {
            return given.get("received");
        }
        String r = received;
        if (r == null && receivedAt >= 0) {
            r = text.substring(receivedAt, receivedEnd);
            received = r;
        }
        return r;
    }

    /** @return the rport value (RFC 3581), -1 when absent or valueless */
    public int rport() {
        if (mapped) {
            String r = given.get("rport");
            return r == null || r.isEmpty() ? -1 : Integer.parseInt(r);
        }
        if (rportAt < 0 || rportAt == rportEnd) {
            return -1;
        }
        long v = Text.parseDigits(text, rportAt, rportEnd, Integer.MAX_VALUE);
        // a value set by code that is not plain digits: whatever Integer.parseInt makes of it, as before
        return v >= 0 ? (int) v : Integer.parseInt(text.substring(rportAt, rportEnd));
    }

    /** @return true when an rport parameter is present, with or without a value */
    public boolean hasRport() {
        return mapped ? given.containsKey("rport") : rportAt >= 0;
    }

    /**
     * @param name the parameter name, any case
     * @return the value, "" for a flag, null when absent
     */
    public String parameter(String name) {
        String key = Text.lower(name);
        if (!mapped) {
            switch (key) {
                case "branch": return branch();
                case "received": return received();
                case "rport": return rportAt < 0 ? null : text.substring(rportAt, rportEnd);
                default: break;
            }
        }
        return parameters().get(key);
    }

    /** @return the parameters (names lower-case), ordered, unmodifiable */
    public Map<String, String> parameters() {
        if (mapped) {
            return given;
        }
        Map<String, String> p = parsed;
        if (p == null) {
            try {
                p = Params.parse(text, paramsAt, "Via");
            } catch (SipParseException e) {
                // the text was parsed before, or written here from checked values
                throw new IllegalStateException(e);
            }
            parsed = p;
        }
        return p;
    }

    /**
     * @param name e.g. received, rport
     * @param value the value, null or "" for a flag
     * @return a copy with the parameter set (replaced in place when present, else appended)
     */
    public Via withParameter(String name, String value) {
        if (!Text.isToken(name)) {
            throw new IllegalArgumentException("Bad parameter name: " + name);
        }
        String key = Text.lower(name);
        String v = value == null ? "" : value;
        if (canonical && !mapped && Params.isPlainValue(v)) {
            // the transport stamps received and rport on every request: edit the text instead of
            // copying a map and writing the whole Via anew (same result, the text being canonical)
            try {
                return new Via(protocol, transport, host, port, Params.edit(text, paramsAt, key, v), paramsAt, true, false);
            } catch (SipParseException e) {
                throw new IllegalStateException(e);
            }
        }
        Map<String, String> params = Params.with(parameters(), name, value, false);
        StringBuilder sb = head(new StringBuilder(text.length() + 32), protocol, transport, host, port);
        int at = sb.length();
        Params.write(sb, params);
        return new Via(protocol, transport, host, port, sb.toString(), at, params);
    }

    /** @return true when the branch starts with the RFC 3261 magic cookie z9hG4bK */
    public boolean hasMagicCookie() {
        String b = branch();
        return b != null && b.startsWith(MAGIC_COOKIE);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Via)) {
            return false;
        }
        Via v = (Via) o;
        return transport.equals(v.transport) && host.equalsIgnoreCase(v.host) && port == v.port
                && protocol.equals(v.protocol) && parameters().equals(v.parameters());
    }

    @Override
    public int hashCode() {
        return Text.lower(host).hashCode() * 31 + port;
    }

    /** @return the wire form */
    @Override
    public String toString() {
        return text;
    }
}
