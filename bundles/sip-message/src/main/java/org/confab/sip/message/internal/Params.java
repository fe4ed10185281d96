package org.confab.sip.message.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.confab.sip.message.SipParseException;

/** Parses and writes {@code ;name[=value]} parameter lists (header parameters, RFC 3261 §25.1 generic-param). */
public final class Params {

    private Params() {
    }

    /**
     * Parses header parameters starting at {@code from}, which must be at a ';' (after optional LWS) or the end.
     * Names are stored lower-case; values keep their quotes. A flag parameter maps to "".
     */
    public static Map<String, String> parse(String s, int from, String what) throws SipParseException {
        int n = s.length();
        int i = skipLws(s, from);
        if (i >= n) {
            return Collections.emptyMap();
        }
        Map<String, String> out = new LinkedHashMap<>(4);
        while (i < n) {
            if (s.charAt(i) != ';') {
                throw new SipParseException("Bad " + what + ": unexpected '" + s.charAt(i) + "' where ';' was expected");
            }
            i = skipLws(s, i + 1);
            if (i >= n) {
                // a trailing ';' with nothing after it is outside the grammar but common in the wild: tolerated
                break;
            }
            int ns = i;
            while (i < n && Text.isToken(s.charAt(i))) {
                i++;
            }
            if (i == ns) {
                throw new SipParseException("Bad " + what + ": parameter name expected at '" + s.substring(ns) + "'");
            }
            String name = Text.lower(s.substring(ns, i));
            i = skipLws(s, i);
            String value = "";
            if (i < n && s.charAt(i) == '=') {
                i = skipLws(s, i + 1);
                if (i < n && s.charAt(i) == '"') {
                    int q = Text.closingQuote(s, i);
                    if (q < 0) {
                        throw new SipParseException("Bad " + what + ": unterminated quoted string in parameter " + name);
                    }
                    value = s.substring(i, q + 1);
                    i = q + 1;
                } else {
                    int vs = i;
                    while (i < n && s.charAt(i) != ';' && !Text.isLws(s.charAt(i)) && s.charAt(i) != ',') {
                        i++;
                    }
                    if (i == vs) {
                        throw new SipParseException("Bad " + what + ": missing value of parameter " + name);
                    }
                    value = s.substring(vs, i);
                    if (value.indexOf('"') >= 0) {
                        throw new SipParseException("Bad " + what + ": stray quote in parameter " + name);
                    }
                }
                i = skipLws(s, i);
            }
            out.put(name, value);
        }
        return Collections.unmodifiableMap(out);
    }

    /** Appends {@code ;name[=value]} for each entry. */
    public static void write(StringBuilder sb, Map<String, String> params) {
        for (Map.Entry<String, String> e : params.entrySet()) {
            sb.append(';').append(e.getKey());
            if (!e.getValue().isEmpty()) {
                sb.append('=').append(e.getValue());
            }
        }
    }

    /** A copy with one parameter set (value null or "" means a flag) or removed ({@code remove}). */
    public static Map<String, String> with(Map<String, String> params, String name, String value, boolean remove) {
        Map<String, String> out = new LinkedHashMap<>(params);
        String key = Text.lower(name);
        if (remove) {
            out.remove(key);
        } else {
            out.put(key, value == null ? "" : value);
        }
        return Collections.unmodifiableMap(out);
    }

    public static int skipLws(String s, int i) {
        while (i < s.length() && Text.isLws(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
