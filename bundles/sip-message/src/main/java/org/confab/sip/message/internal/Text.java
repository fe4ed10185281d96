package org.confab.sip.message.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Character classes and small string helpers of the RFC 3261 §25 grammar. No regular
 * expressions: these run for every message.
 */
public final class Text {

    private static final boolean[] TOKEN = new boolean[128];
    private static final boolean[] UNRESERVED = new boolean[128];
    private static final boolean[] USER_UNRESERVED = new boolean[128];
    private static final boolean[] PASSWORD_EXTRA = new boolean[128];
    private static final boolean[] PARAM_UNRESERVED = new boolean[128];
    private static final boolean[] HNV_UNRESERVED = new boolean[128];
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** Methods shared as constants instead of cut out of each request line and CSeq (RFC 3261, 3262, 3265, 3311, 3428, 3515, 3903, 6086). */
    private static final String[] METHODS = {"REGISTER", "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "MESSAGE", "NOTIFY",
        "SUBSCRIBE", "PUBLISH", "INFO", "UPDATE", "PRACK", "REFER"};

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            mark(c);
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            mark(c);
        }
        for (char c = '0'; c <= '9'; c++) {
            mark(c);
        }
        // RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
        for (char c : "-.!%*_+`'~".toCharArray()) {
            TOKEN[c] = true;
        }
        // unreserved = alphanum / mark; mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
        for (char c : "-_.!~*'()".toCharArray()) {
            UNRESERVED[c] = true;
        }
        for (char c : "&=+$,;?/".toCharArray()) {
            USER_UNRESERVED[c] = true;
        }
        for (char c : "&=+$,".toCharArray()) {
            PASSWORD_EXTRA[c] = true;
        }
        for (char c : "[]/:&+$".toCharArray()) {
            PARAM_UNRESERVED[c] = true;
        }
        for (char c : "[]/?:+$".toCharArray()) {
            HNV_UNRESERVED[c] = true;
        }
    }

    private Text() {
    }

    private static void mark(char c) {
        TOKEN[c] = true;
        UNRESERVED[c] = true;
    }

    public static boolean isToken(char c) {
        return c < 128 && TOKEN[c];
    }

    public static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isToken(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether [from, to) of s is a token (not empty). */
    public static boolean isToken(String s, int from, int to) {
        if (to <= from) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!isToken(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public static boolean isWsp(int c) {
        return c == ' ' || c == '\t';
    }

    public static boolean isLws(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    public static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    public static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    public static boolean isAlpha(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** RFC 3261 §25.1 user: unreserved / escaped / user-unreserved. */
    public static boolean isUserChar(char c) {
        return c < 128 && (UNRESERVED[c] || USER_UNRESERVED[c]);
    }

    /** RFC 3261 §25.1 password: unreserved / escaped / "&" / "=" / "+" / "$" / ",". */
    public static boolean isPasswordChar(char c) {
        return c < 128 && (UNRESERVED[c] || PASSWORD_EXTRA[c]);
    }

    /** RFC 3261 §25.1 paramchar: param-unreserved / unreserved / escaped. */
    public static boolean isParamChar(char c) {
        return c < 128 && (UNRESERVED[c] || PARAM_UNRESERVED[c]);
    }

    /** RFC 3261 §25.1 hname / hvalue: hnv-unreserved / unreserved / escaped. */
    public static boolean isHeaderChar(char c) {
        return c < 128 && (UNRESERVED[c] || HNV_UNRESERVED[c]);
    }

    /** Checks every character against the class, allowing %HH escapes; returns the offending index or -1. */
    public static int checkEscaped(String s, int kind) {
        return checkEscaped(s, 0, s.length(), kind);
    }

    /** {@link #checkEscaped(String, int)} over {@code [from, to)} of s, without a substring; the index is into s. */
    public static int checkEscaped(String s, int from, int to, int kind) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= to || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
                    return i;
                }
                i += 2;
                continue;
            }
            boolean ok;
            switch (kind) {
                case 0: ok = isUserChar(c); break;
                case 1: ok = isPasswordChar(c); break;
                case 2: ok = isParamChar(c); break;
                default: ok = isHeaderChar(c); break;
            }
            if (!ok) {
                return i;
            }
        }
        return -1;
    }

    /** Resolves %HH escapes (RFC 3261 §19.1.4: escaped and unescaped forms are equivalent). */
    public static String unescape(String s) {
        if (s == null || s.indexOf('%') < 0) {
            return s;
        }
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                out[n++] = (byte) Integer.parseInt(s.substring(i + 1, i + 3), 16);
                i += 2;
            } else if (c < 128) {
                out[n++] = (byte) c;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (n + b.length > out.length) {
                    out = Arrays.copyOf(out, out.length + b.length + 16);
                }
                System.arraycopy(b, 0, out, n, b.length);
                n += b.length;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** Escapes every character outside the class (0 user, 1 password, 2 param, 3 header). */
    public static String escape(String s, int kind) {
        StringBuilder sb = null;
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean ok;
            if (b >= 128 || b == '%') {
                ok = false;
            } else {
                char c = (char) b;
                switch (kind) {
                    case 0: ok = isUserChar(c); break;
                    case 1: ok = isPasswordChar(c); break;
                    case 2: ok = isParamChar(c); break;
                    default: ok = isHeaderChar(c); break;
                }
            }
            if (ok && sb == null) {
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(bytes.length + 8);
                sb.append(new String(bytes, 0, i, StandardCharsets.US_ASCII));
            }
            if (ok) {
                sb.append((char) b);
            } else {
                sb.append('%').append(HEX[b >> 4]).append(HEX[b & 15]);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** ASCII lower case without allocation when already lower case. */
    public static String lower(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] cs = s.toCharArray();
                for (int j = i; j < cs.length; j++) {
                    if (cs[j] >= 'A' && cs[j] <= 'Z') {
                        cs[j] = (char) (cs[j] + 32);
                    }
                }
                return new String(cs);
            }
        }
        return s;
    }

    /** Trims SP, HTAB, CR and LF from both ends. */
    public static String trimLws(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && isLws(s.charAt(b))) {
            b++;
        }
        while (e > b && isLws(s.charAt(e - 1))) {
            e--;
        }
        return b == 0 && e == s.length() ? s : s.substring(b, e);
    }

    /** Index of the closing quote of a quoted-string opened at {@code open}, honouring quoted-pairs; -1 if unterminated. */
    public static int closingQuote(String s, int open) {
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    /** Removes the quotes and resolves quoted-pairs (RFC 3261 §25.1 quoted-pair). */
    public static String unquote(String quoted) {
        StringBuilder sb = new StringBuilder(quoted.length());
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length() - 1) {
                c = quoted.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Wraps in quotes, escaping backslash, quote and control characters as quoted-pairs. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new IllegalArgumentException("CR or LF cannot be written in a quoted string");
            }
            // RFC 3261 §25.1: qdtext has no '"', '\\' or controls other than tab: those go as quoted-pair
            if (c == '"' || c == '\\' || c < 0x20 && c != '\t' || c == 0x7f) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /**
     * Splits a header value on commas that are outside quoted strings and outside {@code <...>}
     * (RFC 3261 §7.3.1). Empty elements are dropped; elements are trimmed.
     *
     * @throws IllegalArgumentException for an unterminated quoted string or angle bracket
     */
    public static List<String> splitCommas(String value) {
        List<String> out = new ArrayList<>(2);
        int start = 0;
        int i = 0;
        int n = value.length();
        while (i < n) {
            char c = value.charAt(i);
            if (c == '"') {
                int q = closingQuote(value, i);
                if (q < 0) {
                    throw new IllegalArgumentException("unterminated quoted string");
                }
                i = q + 1;
                continue;
            }
            if (c == '<') {
                int a = value.indexOf('>', i);
                if (a < 0) {
                    throw new IllegalArgumentException("unterminated '<'");
                }
                i = a + 1;
                continue;
            }
            if (c == ',') {
                addTrimmed(out, value, start, i);
                start = i + 1;
            }
            i++;
        }
        addTrimmed(out, value, start, n);
        return out;
    }

    /**
     * True when {@link #splitCommas} would find one element or none without looking: no comma, quote or
     * angle bracket. Callers then skip the list (a Via is nearly always alone on its line).
     */
    public static boolean isSingleValue(String value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '<') {
                return false;
            }
        }
        return true;
    }

    /** End index (exclusive) of the first comma-separated element, or -1 when the value holds a single element. */
    public static int firstCommaOutside(String value) {
        int i = 0;
        int n = value.length();
        while (i < n) {
            char c = value.charAt(i);
            if (c == '"') {
                int q = closingQuote(value, i);
                if (q < 0) {
                    return -1;
                }
                i = q + 1;
                continue;
            }
            if (c == '<') {
                int a = value.indexOf('>', i);
                if (a < 0) {
                    return -1;
                }
                i = a + 1;
                continue;
            }
            if (c == ',') {
                return i;
            }
            i++;
        }
        return -1;
    }

    private static void addTrimmed(List<String> out, String s, int b, int e) {
        while (b < e && isLws(s.charAt(b))) {
            b++;
        }
        while (e > b && isLws(s.charAt(e - 1))) {
            e--;
        }
        if (e > b) {
            out.add(s.substring(b, e));
        }
    }

    /** Parses 1*DIGIT as a non-negative long; -1 for empty, non-digits or a value above {@code max}. */
    public static long parseDigits(String s, long max) {
        return parseDigits(s, 0, s.length(), max);
    }

    /** {@link #parseDigits(String, long)} over {@code [from, to)} of s, without a substring. */
    public static long parseDigits(String s, int from, int to, long max) {
        if (to <= from || to - from > 19) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v > max ? -1 : v;
    }

    /** The method at [from, to) of s as a shared constant (same case only), or a new string. */
    public static String method(String s, int from, int to) {
        int len = to - from;
        for (String m : METHODS) {
            if (m.length() == len && s.regionMatches(from, m, 0, len)) {
                return m;
            }
        }
        return s.substring(from, to);
    }

    /** The method in ASCII bytes [from, to) of b as a shared constant (same case only), or a new string. */
    public static String method(byte[] b, int from, int to) {
        int len = to - from;
        for (String m : METHODS) {
            if (m.length() == len && sameAscii(b, from, m)) {
                return m;
            }
        }
        return new String(b, from, len, StandardCharsets.US_ASCII);
    }

    private static boolean sameAscii(byte[] b, int from, String m) {
        for (int i = 0; i < m.length(); i++) {
            if (b[from + i] != m.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** True when all characters are digits (any length). */
    public static boolean allDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
