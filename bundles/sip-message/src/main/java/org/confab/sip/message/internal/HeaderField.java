package org.confab.sip.message.internal;

import java.nio.charset.StandardCharsets;

/**
 * One header field: an index into the received bytes (name, value, whole line with its
 * terminator and folds), or a field set by code. Immutable; a field never changes, a message
 * replaces it. Strings are made only when asked for.
 */
public final class HeaderField {

    private final String key;
    private final int known;
    private final byte[] src;
    private final int lineStart;
    /** Received: end of the line in src, terminator included. Set by code: its wire length when all ASCII, else -1. */
    private final int lineEnd;
    private final int nameEnd;
    private final int valueStart;
    private final int valueEnd;
    private String name;
    private String value;
    private byte[] wire;

    // the name starts the line: no field of its own (13 fields a message, 8 bytes each)
    private HeaderField(String key, int known, byte[] src, int lineStart, int lineEnd, int nameEnd,
            int valueStart, int valueEnd, String name, String value) {
        this.key = key;
        this.known = known;
        this.src = src;
        this.lineStart = lineStart;
        this.lineEnd = lineEnd;
        this.nameEnd = nameEnd;
        this.valueStart = valueStart;
        this.valueEnd = valueEnd;
        this.name = name;
        this.value = value;
    }

    /** A field found in received bytes; lineEnd includes the line terminator of the last (folded) line. */
    public static HeaderField parsed(byte[] src, int lineStart, int lineEnd, int nameEnd, int valueStart, int valueEnd) {
        int known = HeaderTable.lookup(src, lineStart, nameEnd);
        String key = known >= 0 ? HeaderTable.canonical(known)
                : Text.lower(new String(src, lineStart, nameEnd - lineStart, StandardCharsets.US_ASCII));
        return new HeaderField(key, known, src, lineStart, lineEnd, nameEnd, valueStart, valueEnd, null, null);
    }

    /**
     * A field set by code.
     *
     * @throws IllegalArgumentException when the name is not a token or the value holds CR or LF, or a NUL
     *         that is not escaped as a quoted-pair (RFC 3261 §25.1; RFC 4475 §3.1.1.2 has one)
     */
    public static HeaderField of(String name, String value) {
        if (!Text.isToken(name)) {
            throw new IllegalArgumentException("Bad header name: '" + name + "'");
        }
        if (value == null) {
            throw new IllegalArgumentException("Null value for header " + name);
        }
        boolean ascii = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 && (i == 0 || value.charAt(i - 1) != '\\')) {
                throw new IllegalArgumentException("Header " + name + " value contains CR, LF or NUL");
            }
            ascii &= c <= 0x7F;
        }
        int known = HeaderTable.lookup(name);
        String key = known >= 0 ? HeaderTable.canonical(known) : Text.lower(name);
        String v = Text.trimLws(value);
        // the name is a token, so ASCII; an ASCII field is written straight into the message's bytes
        int wireLength = ascii ? name.length() + 2 + v.length() + 2 : -1;
        return new HeaderField(key, known, null, 0, wireLength, 0, 0, 0, name, v);
    }

    /** The lookup key: canonical spelling of known headers, lower case otherwise. */
    public String key() {
        return key;
    }

    /** Whether the value is a comma-separated list (unknown headers count as lists). */
    public boolean isList() {
        return HeaderTable.isList(known);
    }

    /** The name as it appeared. */
    public String name() {
        String n = name;
        if (n == null) {
            n = new String(src, lineStart, nameEnd - lineStart, StandardCharsets.US_ASCII);
            name = n;
        }
        return n;
    }

    /** The value, unfolded (RFC 3261 §7.3.1: a fold is equivalent to one SP) and trimmed. */
    public String value() {
        String v = value;
        if (v == null) {
            v = decode(src, valueStart, valueEnd);
            value = v;
        }
        return v;
    }

    /**
     * The value read as 1*DIGIT no larger than {@code max}, straight from the received bytes (no string
     * for Content-Length, Max-Forwards, Expires); -1 when it is anything else: ask {@link #value()} then.
     */
    public long digits(long max) {
        if (src == null || valueEnd <= valueStart || valueEnd - valueStart > 18) {
            return -1;
        }
        long v = 0;
        for (int i = valueStart; i < valueEnd; i++) {
            byte c = src[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v > max ? -1 : v;
    }

    private static String decode(byte[] b, int s, int e) {
        boolean folded = false;
        for (int i = s; i < e; i++) {
            if (b[i] == '\r' || b[i] == '\n') {
                folded = true;
                break;
            }
        }
        if (!folded) {
            return new String(b, s, e - s, StandardCharsets.UTF_8);
        }
        byte[] out = new byte[e - s];
        int n = 0;
        int i = s;
        while (i < e) {
            byte c = b[i];
            if (c == '\r' || c == '\n' || ((c == ' ' || c == '\t') && foldFollows(b, i, e))) {
                // collapse [WSP] CRLF 1*WSP into one SP
                while (i < e && Text.isLws(b[i])) {
                    i++;
                }
                out[n++] = ' ';
                continue;
            }
            out[n++] = c;
            i++;
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static boolean foldFollows(byte[] b, int i, int e) {
        while (i < e && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i < e && (b[i] == '\r' || b[i] == '\n');
    }

    /** Bytes this field takes on the wire (original bytes for a received field). */
    public int wireLength() {
        if (src != null) {
            return lineEnd - lineStart;
        }
        return lineEnd >= 0 ? lineEnd : wire().length;
    }

    /** Writes the field and returns the position after it. */
    public int writeTo(byte[] out, int pos) {
        if (src != null) {
            int len = lineEnd - lineStart;
            System.arraycopy(src, lineStart, out, pos, len);
            return pos + len;
        }
        if (lineEnd >= 0) {
            // ASCII: chars are bytes, no array of its own (name + ": " + value + CRLF then getBytes made two)
            int p = ascii(name, out, pos);
            out[p++] = ':';
            out[p++] = ' ';
            p = ascii(value, out, p);
            out[p++] = '\r';
            out[p++] = '\n';
            return p;
        }
        byte[] w = wire();
        System.arraycopy(w, 0, out, pos, w.length);
        return pos + w.length;
    }

    /** The UTF-8 form of a field set by code with characters above 0x7F. */
    private byte[] wire() {
        byte[] w = wire;
        if (w == null) {
            w = (name + ": " + value + "\r\n").getBytes(StandardCharsets.UTF_8);
            wire = w;
        }
        return w;
    }

    /** Copies the ASCII string s into out at pos; returns the position after it. */
    @SuppressWarnings("deprecation")
    private static int ascii(String s, byte[] out, int pos) {
        // deprecated for dropping the high byte of each char, which ASCII does not have; for a compact
        // (Latin-1) string it is one array copy, much faster than a loop over charAt
        s.getBytes(0, s.length(), out, pos);
        return pos + s.length();
    }

    @Override
    public String toString() {
        return name() + ": " + value();
    }
}
