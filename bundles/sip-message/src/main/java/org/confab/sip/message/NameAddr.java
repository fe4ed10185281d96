package org.confab.sip.message;

import java.util.Map;

import org.confab.sip.message.internal.Params;
import org.confab.sip.message.internal.Text;

/**
 * A name-addr or addr-spec with header parameters, as in From, To, Contact, Route and
 * Record-Route (RFC 3261 §20.10, §25.1). Immutable. The display name is unquoted and
 * unescaped; parameter names are lower-case and values kept as written (quoted values keep
 * their quotes). A parsed value prints exactly as written until changed.
 */
public final class NameAddr {

    private final String displayName;
    private final Uri uri;
    private final Map<String, String> parameters;
    private String text;

    /**
     * @param displayName the display name (unquoted) or null
     * @param uri the URI
     */
    public NameAddr(String displayName, Uri uri) {
        this(displayName, uri, Map.of(), null);
    }

    private NameAddr(String displayName, Uri uri, Map<String, String> parameters, String text) {
        if (uri == null) {
            throw new IllegalArgumentException("uri is null");
        }
        this.displayName = displayName;
        this.uri = uri;
        this.parameters = parameters;
        this.text = text;
    }

    /**
     * Parses {@code "Display Name" <uri>;params}, {@code Name <uri>}, {@code <uri>} or an
     * addr-spec {@code uri;params}; in the addr-spec form the parameters after ';' belong to the
     * header, not to the URI (RFC 3261 §20.10).
     *
     * @param text one header value (one element of a comma list)
     * @return the parsed value
     * @throws SipParseException when malformed
     */
    public static NameAddr parse(String text) throws SipParseException {
        String s = Text.trimLws(text);
        if (s.isEmpty()) {
            throw new SipParseException("Bad address: empty");
        }
        String display = null;
        int lt = -1;
        if (s.charAt(0) == '"') {
            int q = Text.closingQuote(s, 0);
            if (q < 0) {
                throw new SipParseException("Bad address: unterminated quoted string in display name: " + s);
            }
            display = Text.unquote(s.substring(0, q + 1));
            int i = Params.skipLws(s, q + 1);
            if (i >= s.length() || s.charAt(i) != '<') {
                throw new SipParseException("Bad address: '<' expected after display name: " + s);
            }
            lt = i;
        } else if (s.charAt(0) == '<') {
            lt = 0;
        } else {
            // token display name only if every character before '<' is a token char, LWS or non-ASCII
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '<') {
                    lt = i;
                    break;
                }
                if (!(Text.isToken(c) || Text.isLws(c) || c >= 128)) {
                    break;
                }
                i++;
            }
            if (lt > 0) {
                display = Text.trimLws(s.substring(0, lt));
            }
        }
        Uri uri;
        int after;
        if (lt >= 0) {
            int gt = s.indexOf('>', lt);
            if (gt < 0) {
                throw new SipParseException("Bad address: missing '>': " + s);
            }
            uri = Uri.parse(s.substring(lt + 1, gt));
            after = gt + 1;
        } else {
            int i = 0;
            while (i < s.length() && s.charAt(i) != ';' && !Text.isLws(s.charAt(i))) {
                i++;
            }
            String spec = s.substring(0, i);
            // RFC 3261 §20: a URI with a question mark must be in <> (RFC 4475 §3.1.2.13); commas split the list
            if (spec.indexOf('?') >= 0) {
                throw new SipParseException("Bad address: a URI containing '?' must be enclosed in '<>': " + s);
            }
            uri = Uri.parse(spec);
            after = i;
        }
        Map<String, String> params = Params.parse(s, after, "address parameters");
        return new NameAddr(display, uri, params, s);
    }

    /** @return the display name, unquoted and unescaped, or null */
    public String displayName() {
        return displayName;
    }

    /** @return the URI */
    public Uri uri() {
        return uri;
    }

    /**
     * @param name the parameter name, any case
     * @return the value as written, "" for a flag, null when absent
     */
    public String parameter(String name) {
        return parameters.get(Text.lower(name));
    }

    /** @return the header parameters (names lower-case), ordered, unmodifiable */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** @return the tag parameter or null (RFC 3261 §19.3) */
    public String tag() {
        return parameters.get("tag");
    }

    /**
     * @param name the parameter name
     * @param value the value as it should be written (quote it yourself if needed); null or "" for a flag
     * @return a copy with the parameter set
     */
    public NameAddr withParameter(String name, String value) {
        if (!Text.isToken(name)) {
            throw new IllegalArgumentException("Bad parameter name: " + name);
        }
        return new NameAddr(displayName, uri, Params.with(parameters, name, value, false), null);
    }

    /**
     * @param tag the tag
     * @return a copy with the tag parameter set
     */
    public NameAddr withTag(String tag) {
        if (!Text.isToken(tag)) {
            throw new IllegalArgumentException("Bad tag: " + tag);
        }
        return withParameter("tag", tag);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NameAddr)) {
            return false;
        }
        NameAddr n = (NameAddr) o;
        return uri.equals(n.uri) && parameters.equals(n.parameters)
                && (displayName == null ? n.displayName == null : displayName.equals(n.displayName));
    }

    @Override
    public int hashCode() {
        return uri.hashCode() * 31 + parameters.hashCode();
    }

    /** @return the wire form; a changed value is written in the {@code <uri>} form */
    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            StringBuilder sb = new StringBuilder(64);
            if (displayName != null) {
                sb.append(Text.quote(displayName)).append(' ');
            }
            sb.append('<').append(uri).append('>');
            Params.write(sb, parameters);
            t = sb.toString();
            text = t;
        }
        return t;
    }
}
