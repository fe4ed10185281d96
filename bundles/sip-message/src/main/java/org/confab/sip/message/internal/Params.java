package org.confab.sip.message.internal;

import java.util.Collections;
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
        if (skipLws(s, from) >= s.length()) {
            return Collections.emptyMap();
        }
        ParamMap.Builder out = new ParamMap.Builder(4);
        scan(s, from, what, out);
        return out.build();
    }

    /** Appends {@code ;name[=value]} for each entry. */
    public static void write(StringBuilder sb, Map<String, String> params) {
        if (params instanceof ParamMap) {
            // no entry objects
            ParamMap pm = (ParamMap) params;
            for (int i = 0, n = pm.size(); i < n; i++) {
                sb.append(';').append(pm.nameAt(i));
                if (!pm.valueAt(i).isEmpty()) {
                    sb.append('=').append(pm.valueAt(i));
                }
            }
            return;
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            sb.append(';').append(e.getKey());
            if (!e.getValue().isEmpty()) {
                sb.append('=').append(e.getValue());
            }
        }
    }

    /** A copy with one parameter set (value null or "" means a flag) or removed ({@code remove}). */
    public static Map<String, String> with(Map<String, String> params, String name, String value, boolean remove) {
        String key = Text.lower(name);
        ParamMap.Builder out = new ParamMap.Builder(params.size() + 1);
        if (params instanceof ParamMap) {
            ParamMap pm = (ParamMap) params;
            for (int i = 0, n = pm.size(); i < n; i++) {
                out.set(pm.nameAt(i), pm.valueAt(i));
            }
        } else {
            for (Map.Entry<String, String> e : params.entrySet()) {
                out.set(e.getKey(), e.getValue());
            }
        }
        return remove ? out.remove(key).build() : out.set(key, value == null ? "" : value).build();
    }

    /**
     * Checks header parameters as {@link #parse} does, with the same errors, without building them: a
     * parsed value then keeps its parameters as text and reads one when asked.
     */
    public static void check(String s, int from, String what) throws SipParseException {
        scan(s, from, what, null);
    }

    /** The grammar of {@link #parse} and {@link #check}: validates and, when {@code out} is given, collects. */
    private static void scan(String s, int from, String what, ParamMap.Builder out) throws SipParseException {
        int n = s.length();
        int i = skipLws(s, from);
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
            int ne = i;
            i = skipLws(s, i);
            int vs = -1;
            int ve = -1;
            if (i < n && s.charAt(i) == '=') {
                i = skipLws(s, i + 1);
                vs = i;
                if (i < n && s.charAt(i) == '"') {
                    int q = Text.closingQuote(s, i);
                    if (q < 0) {
                        throw new SipParseException("Bad " + what + ": unterminated quoted string in parameter " + name(s, ns, ne));
                    }
                    i = q + 1;
                } else {
                    while (i < n && s.charAt(i) != ';' && !Text.isLws(s.charAt(i)) && s.charAt(i) != ',') {
                        i++;
                    }
                    if (i == vs) {
                        throw new SipParseException("Bad " + what + ": missing value of parameter " + name(s, ns, ne));
                    }
                    int quote = s.indexOf('"', vs);
                    if (quote >= 0 && quote < i) {
                        throw new SipParseException("Bad " + what + ": stray quote in parameter " + name(s, ns, ne));
                    }
                }
                ve = i;
                i = skipLws(s, i);
            }
            if (out != null) {
                out.set(name(s, ns, ne), vs < 0 ? "" : s.substring(vs, ve));
            }
        }
    }

    /**
     * In parameters that passed {@link #check}: the value range of the last parameter of that name (any
     * case), start in the high half and end in the low half (equal for a flag); -1 when absent.
     */
    public static long find(String s, int from, String name) {
        int n = s.length();
        int len = name.length();
        long found = -1;
        int i = skipLws(s, from);
        while (i < n) {
            // at a ';'
            i = skipLws(s, i + 1);
            int ns = i;
            while (i < n && Text.isToken(s.charAt(i))) {
                i++;
            }
            int ne = i;
            int vs = ne;
            int ve = ne;
            i = skipLws(s, i);
            if (i < n && s.charAt(i) == '=') {
                i = skipLws(s, i + 1);
                vs = i;
                if (i < n && s.charAt(i) == '"') {
                    i = Text.closingQuote(s, i) + 1;
                } else {
                    while (i < n && s.charAt(i) != ';' && !Text.isLws(s.charAt(i)) && s.charAt(i) != ',') {
                        i++;
                    }
                }
                ve = i;
                i = skipLws(s, i);
            }
            if (ne - ns == len && s.regionMatches(true, ns, name, 0, len)) {
                found = ((long) vs << 32) | ve;
            }
        }
        return found;
    }

    /**
     * Whether parameters that passed {@link #check} are written exactly as {@link #write} would write
     * them: no LWS, lower-case names, no name twice, no trailing ';'. Such text can be edited in place.
     */
    public static boolean isCanonical(String s, int from) {
        int n = s.length();
        int i = from;
        while (i < n) {
            if (s.charAt(i) != ';') {
                return false;
            }
            int ns = ++i;
            while (i < n && Text.isToken(s.charAt(i))) {
                char c = s.charAt(i);
                if (c >= 'A' && c <= 'Z') {
                    return false;
                }
                i++;
            }
            if (i == ns || seenBefore(s, from, ns, i)) {
                return false;
            }
            if (i < n && s.charAt(i) == '=') {
                i++;
                if (i < n && s.charAt(i) == '"') {
                    i = Text.closingQuote(s, i) + 1;
                } else {
                    while (i < n && s.charAt(i) != ';' && !Text.isLws(s.charAt(i)) && s.charAt(i) != ',') {
                        i++;
                    }
                }
            }
        }
        return true;
    }

    /** Whether the canonical parameters from {@code from} up to ns already hold the name at [ns, ne). */
    public static boolean seenBefore(String s, int from, int ns, int ne) {
        int len = ne - ns;
        for (int k = s.indexOf(';', from); k >= 0 && k + 1 + len < ns; k = s.indexOf(';', k + 1)) {
            // a quoted value holding ";name=" also answers true: the caller then takes the slow way, still right
            char after = s.charAt(k + 1 + len);
            if ((after == '=' || after == ';') && s.regionMatches(k + 1, s, ns, len)) {
                return true;
            }
        }
        return false;
    }

    /** A value that {@link #parse} reads back as itself: a flag, a quoted string, or plain characters. */
    public static boolean isPlainValue(String v) {
        if (v.isEmpty()) {
            return true;
        }
        if (v.charAt(0) == '"') {
            return v.length() > 1 && Text.closingQuote(v, 0) == v.length() - 1;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ';' || c == ',' || c == '"' || Text.isLws(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Canonical parameters (see {@link #isCanonical}) with one set: its value replaced in place when
     * present, else appended; the value must be plain ({@link #isPlainValue}).
     */
    public static String edit(String s, int from, String key, String value) {
        long at = find(s, from, key);
        StringBuilder sb = new StringBuilder(s.length() + key.length() + value.length() + 2);
        if (at < 0) {
            sb.append(s).append(';').append(key);
            if (!value.isEmpty()) {
                sb.append('=').append(value);
            }
            return sb.toString();
        }
        int vs = (int) (at >>> 32);
        int ve = (int) at;
        // canonical: a value follows its name's '=' directly
        int nameEnd = vs == ve ? vs : vs - 1;
        sb.append(s, 0, nameEnd);
        if (!value.isEmpty()) {
            sb.append('=').append(value);
        }
        return sb.append(s, ve, s.length()).toString();
    }

    /** Names that nearly every message carries, shared instead of cut out of the text each time. */
    private static final String[] COMMON = {"tag", "branch", "rport", "received", "expires", "transport", "lr", "q", "maddr", "ttl", "user"};

    /** The lower-case parameter name at [from, to) of s. */
    public static String name(String s, int from, int to) {
        int len = to - from;
        for (String c : COMMON) {
            if (c.length() == len && s.regionMatches(from, c, 0, len)) {
                return c;
            }
        }
        return Text.lower(s.substring(from, to));
    }

    public static int skipLws(String s, int i) {
        while (i < s.length() && Text.isLws(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
