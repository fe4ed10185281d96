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
    /** The wire form of a parsed or edited value; null for one built or changed by a map copy. */
    private final String text;
    /** The wire form written for a value whose text is null. */
    private String rendered;
    /** Where the parameters start in text; -1 when there is no text. */
    private final int paramsAt;
    /** Value range of the tag in text, -1 when absent: tags are read on every message, other parameters rarely. */
    private final int tagAt;
    private final int tagEnd;
    /** The text is what writing the parts would give ({@code "name" <uri>;params}): withParameter may edit it in place. */
    private final boolean canonical;
    /** The parameters of a value built or changed by a map copy; null for a parsed or edited one. */
    private final Map<String, String> given;
    /** The parameters read from text when asked. */
    private Map<String, String> parsed;
    private String tag;

    /**
     * @param displayName the display name (unquoted) or null
     * @param uri the URI
     */
    public NameAddr(String displayName, Uri uri) {
        this(displayName, uri, Map.of());
    }

    private NameAddr(String displayName, Uri uri, Map<String, String> parameters) {
        if (uri == null) {
            throw new IllegalArgumentException("uri is null");
        }
        this.displayName = displayName;
        this.uri = uri;
        this.given = parameters;
        this.text = null;
        this.paramsAt = -1;
        this.tagAt = -1;
        this.tagEnd = -1;
        this.canonical = false;
    }

    /** A value whose parameters, checked already, stay in text from paramsAt on. */
    private NameAddr(String displayName, Uri uri, String text, int paramsAt, boolean canonical) {
        this.displayName = displayName;
        this.uri = uri;
        this.text = text;
        this.given = null;
        this.paramsAt = paramsAt;
        long t = Params.find(text, paramsAt, "tag");
        this.tagAt = t < 0 ? -1 : (int) (t >>> 32);
        this.tagEnd = t < 0 ? -1 : (int) t;
        this.canonical = canonical;
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
            // without quoted-pairs the display name is the text between the quotes: no copy to resolve them
            int pair = s.indexOf('\\', 1);
            display = pair < 0 || pair > q ? s.substring(1, q) : Text.unquote(s.substring(0, q + 1));
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
        Params.check(s, after, "address parameters");
        // canonical when writing the parts gives the text back: "<uri>" or a quoted display name that
        // needs no quoted-pair, one SP, "<uri>", then canonical parameters
        boolean canonical = lt >= 0;
        if (canonical && lt > 0) {
            canonical = s.charAt(0) == '"' && s.charAt(lt - 1) == ' ' && s.charAt(lt - 2) == '"' && plainQuoted(s, 1, lt - 2);
        }
        if (canonical) {
            String u = uri.toString();
            canonical = u.length() == after - lt - 2 && s.startsWith(u, lt + 1) && Params.isCanonical(s, after);
        }
        return new NameAddr(display, uri, s, after, canonical);
    }

    /** Whether Text.quote gives back the quoted string's inside [from, to) as it is. */
    private static boolean plainQuoted(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 && c != '\t' || c == 0x7f) {
                return false;
            }
        }
        return true;
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
        String key = Text.lower(name);
        return key.equals("tag") ? tag() : parameters().get(key);
    }

    /** @return the header parameters (names lower-case), ordered, unmodifiable */
    public Map<String, String> parameters() {
        if (given != null) {
            return given;
        }
        Map<String, String> p = parsed;
        if (p == null) {
            try {
                p = Params.parse(text, paramsAt, "address parameters");
            } catch (SipParseException e) {
                // checked when parsed
                throw new IllegalStateException(e);
            }
            parsed = p;
        }
        return p;
    }

    /** @return the tag parameter or null (RFC 3261 §19.3) */
    public String tag() {
        if (given != null) {
            return given.get("tag");
        }
        String t = tag;
        if (t == null && tagAt >= 0) {
            t = text.substring(tagAt, tagEnd);
            tag = t;
        }
        return t;
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
        String v = value == null ? "" : value;
        if (canonical && Params.isPlainValue(v)) {
            // a To tag on every response: edit the text, the same as copying the map and writing it all anew
            return new NameAddr(displayName, uri, Params.edit(text, paramsAt, Text.lower(name), v), paramsAt, true);
        }
        return new NameAddr(displayName, uri, Params.with(parameters(), name, value, false));
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
        return uri.equals(n.uri) && parameters().equals(n.parameters())
                && (displayName == null ? n.displayName == null : displayName.equals(n.displayName));
    }

    @Override
    public int hashCode() {
        return uri.hashCode() * 31 + parameters().hashCode();
    }

    /** @return the wire form; a changed value is written in the {@code <uri>} form */
    @Override
    public String toString() {
        if (text != null) {
            return text;
        }
        String t = rendered;
        if (t == null) {
            StringBuilder sb = new StringBuilder(64);
            if (displayName != null) {
                sb.append(Text.quote(displayName)).append(' ');
            }
            sb.append('<').append(uri).append('>');
            Params.write(sb, given);
            t = sb.toString();
            rendered = t;
        }
        return t;
    }
}
