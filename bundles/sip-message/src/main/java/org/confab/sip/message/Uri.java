package org.confab.sip.message;

import org.confab.sip.message.internal.Text;

/** A URI as SIP carries it: {@link SipUri} (sip, sips), {@link TelUri} (tel) or {@link AbsoluteUri} (anything else). */
public abstract class Uri {

    Uri() {
    }

    /** @return the scheme, lower-case */
    public abstract String scheme();

    /**
     * Parses a URI; the scheme chooses the class.
     *
     * @param text the URI, without surrounding angle brackets
     * @return the URI
     * @throws SipParseException when the text is not a URI
     */
    public static Uri parse(String text) throws SipParseException {
        if (text == null || text.isEmpty()) {
            throw new SipParseException("Bad URI: empty");
        }
        int colon = -1;
        // RFC 3261 §25.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ':') {
                colon = i;
                break;
            }
            if (!(Text.isAlpha(c) || (i > 0 && (Text.isDigit(c) || c == '+' || c == '-' || c == '.')))) {
                break;
            }
        }
        if (colon <= 0) {
            throw new SipParseException("Bad URI: no scheme in '" + text + "'");
        }
        if (colon == 3 && text.regionMatches(true, 0, "sip", 0, 3)
                || colon == 4 && text.regionMatches(true, 0, "sips", 0, 4)) {
            return SipUri.parseSip(text);
        }
        if (colon == 3 && text.regionMatches(true, 0, "tel", 0, 3)) {
            return TelUri.parseTel(text);
        }
        for (int i = colon + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == '<' || c == '>' || c == '"' || c >= 127) {
                throw new SipParseException("Bad URI: illegal character in '" + text + "'");
            }
        }
        if (colon == text.length() - 1) {
            throw new SipParseException("Bad URI: nothing after the scheme in '" + text + "'");
        }
        return new AbsoluteUri(Text.lower(text.substring(0, colon)), text);
    }

    /** @return the wire form */
    @Override
    public abstract String toString();
}
