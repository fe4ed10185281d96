package org.confab.sip.message;

import java.util.Map;

import org.confab.sip.message.internal.Params;
import org.confab.sip.message.internal.Text;

/** A tel URI (RFC 3966): the number and its parameters. Immutable. */
public final class TelUri extends Uri {

    private final String number;
    private final Map<String, String> parameters;
    private final String text;

    private TelUri(String number, Map<String, String> parameters, String text) {
        this.number = number;
        this.parameters = parameters;
        this.text = text;
    }

    static TelUri parseTel(String text) throws SipParseException {
        // text starts with "tel:" in any case
        int semi = text.indexOf(';', 4);
        String number = semi < 0 ? text.substring(4) : text.substring(4, semi);
        if (number.isEmpty()) {
            throw new SipParseException("Bad URI: tel URI without a number: '" + text + "'");
        }
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            // RFC 3966 §3: digits, visual separators, '+', '*', '#', hex digits of local numbers
            if (!(Text.isHex(c) || c == '+' || c == '-' || c == '.' || c == '(' || c == ')' || c == '*' || c == '#')) {
                throw new SipParseException("Bad URI: illegal character '" + c + "' in tel number '" + number + "'");
            }
        }
        Map<String, String> params = semi < 0 ? Map.of() : Params.parse(text, semi, "URI");
        return new TelUri(number, params, text);
    }

    @Override
    public String scheme() {
        return "tel";
    }

    /** @return the number as written, e.g. {@code "+1-201-555-0123"} */
    public String number() {
        return number;
    }

    /** @return the parameters, names lower-case, ordered, unmodifiable */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** RFC 3966 §4: numbers compare without visual separators, parameters as a set. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TelUri)) {
            return false;
        }
        TelUri t = (TelUri) o;
        return stripped(number).equalsIgnoreCase(stripped(t.number)) && parameters.equals(t.parameters);
    }

    @Override
    public int hashCode() {
        return Text.lower(stripped(number)).hashCode();
    }

    private static String stripped(String n) {
        StringBuilder sb = new StringBuilder(n.length());
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c != '-' && c != '.' && c != '(' && c != ')') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
