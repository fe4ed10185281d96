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

    private final String protocol;
    private final String transport;
    private final String host;
    private final int port;
    private final Map<String, String> parameters;
    private String text;

    /**
     * A SIP/2.0 Via.
     *
     * @param transport UDP, TCP, TLS, SCTP, WS or WSS (any case)
     * @param host the sent-by host (IPv6 in brackets)
     * @param port the sent-by port, -1 for none
     * @param branch the branch parameter or null
     */
    public Via(String transport, String host, int port, String branch) {
        this("SIP/2.0", checkTransport(transport), host, port,
                branch == null ? Map.of() : Params.with(Map.of(), "branch", branch, false), null);
        if (host == null || SipUri.hostProblem(host) != null) {
            throw new IllegalArgumentException("Bad Via host: " + host);
        }
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("Bad Via port: " + port);
        }
        if (branch != null && !Text.isToken(branch)) {
            throw new IllegalArgumentException("Bad branch: " + branch);
        }
    }

    private Via(String protocol, String transport, String host, int port, Map<String, String> parameters, String text) {
        this.protocol = protocol;
        this.transport = transport;
        this.host = host;
        this.port = port;
        this.parameters = parameters;
        this.text = text;
    }

    private static String checkTransport(String t) {
        if (!Text.isToken(t)) {
            throw new IllegalArgumentException("Bad transport: " + t);
        }
        return t.toUpperCase(Locale.ROOT);
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
        int[] pos = {0};
        String name = token(s, pos, "protocol name");
        slash(s, pos);
        String version = token(s, pos, "protocol version");
        slash(s, pos);
        String transport = token(s, pos, "transport");
        int i = pos[0];
        if (i >= n || !Text.isLws(s.charAt(i))) {
            throw new SipParseException("Bad Via: missing sent-by host in '" + s + "'");
        }
        i = Params.skipLws(s, i);
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
            j = Params.skipLws(s, j + 1);
            int ps = j;
            while (j < n && Text.isDigit(s.charAt(j))) {
                j++;
            }
            long p = Text.parseDigits(s.substring(ps, j), 65535);
            if (p < 0) {
                throw new SipParseException("Bad Via: bad port in '" + s + "'");
            }
            port = (int) p;
            i = j;
        }
        Map<String, String> params = Params.parse(s, i, "Via");
        String branch = params.get("branch");
        if (branch != null && !Text.isToken(branch)) {
            throw new SipParseException("Bad Via: bad branch '" + branch + "'");
        }
        String ttl = params.get("ttl");
        if (ttl != null && Text.parseDigits(ttl, 255) < 0) {
            throw new SipParseException("Bad Via: bad ttl '" + ttl + "'");
        }
        String rport = params.get("rport");
        if (rport != null && !rport.isEmpty() && Text.parseDigits(rport, 65535) < 0) {
            throw new SipParseException("Bad Via: bad rport '" + rport + "'");
        }
        String received = params.get("received");
        if (received != null && received.isEmpty()) {
            throw new SipParseException("Bad Via: received without a value");
        }
        String protocol = name.equals("SIP") && version.equals("2.0") ? "SIP/2.0" : name + "/" + version;
        return new Via(protocol, transport.toUpperCase(Locale.ROOT), host, port, params, s);
    }

    private static String token(String s, int[] pos, String what) throws SipParseException {
        int i = pos[0];
        int st = i;
        while (i < s.length() && Text.isToken(s.charAt(i))) {
            i++;
        }
        if (i == st) {
            throw new SipParseException("Bad Via: " + what + " missing in '" + s + "'");
        }
        pos[0] = i;
        return s.substring(st, i);
    }

    private static void slash(String s, int[] pos) throws SipParseException {
        // RFC 3261 §25.1: SLASH = SWS "/" SWS
        int i = Params.skipLws(s, pos[0]);
        if (i >= s.length() || s.charAt(i) != '/') {
            throw new SipParseException("Bad Via: '/' expected in sent-protocol of '" + s + "'");
        }
        pos[0] = Params.skipLws(s, i + 1);
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
        return parameters.get("branch");
    }

    /** @return the received parameter (RFC 3261 §18.2.1) or null */
    public String received() {
        return parameters.get("received");
    }

    /** @return the rport value (RFC 3581), -1 when absent or valueless */
    public int rport() {
        String r = parameters.get("rport");
        return r == null || r.isEmpty() ? -1 : Integer.parseInt(r);
    }

    /** @return true when an rport parameter is present, with or without a value */
    public boolean hasRport() {
        return parameters.containsKey("rport");
    }

    /**
     * @param name the parameter name, any case
     * @return the value, "" for a flag, null when absent
     */
    public String parameter(String name) {
        return parameters.get(Text.lower(name));
    }

    /** @return the parameters (names lower-case), ordered, unmodifiable */
    public Map<String, String> parameters() {
        return parameters;
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
        return new Via(protocol, transport, host, port, Params.with(parameters, name, value, false), null);
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
                && protocol.equals(v.protocol) && parameters.equals(v.parameters);
    }

    @Override
    public int hashCode() {
        return Text.lower(host).hashCode() * 31 + port;
    }

    /** @return the wire form */
    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            StringBuilder sb = new StringBuilder(64).append(protocol).append('/').append(transport).append(' ').append(host);
            if (port >= 0) {
                sb.append(':').append(port);
            }
            Params.write(sb, parameters);
            t = sb.toString();
            text = t;
        }
        return t;
    }
}
