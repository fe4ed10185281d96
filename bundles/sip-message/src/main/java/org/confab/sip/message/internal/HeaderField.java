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
    private final int lineEnd;
    private final int nameStart;
    private final int nameEnd;
    private final int valueStart;
    private final int valueEnd;
    private String name;
    private String value;
    private byte[] wire;

    private HeaderField(String key, int known, byte[] src, int lineStart, int lineEnd, int nameStart, int nameEnd,
            int valueStart, int valueEnd, String name, String value) {
        this.key = key;
        this.known = known;
        this.src = src;
        this.lineStart = lineStart;
        this.lineEnd = lineEnd;
        this.nameStart = nameStart;
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
        return new HeaderField(key, known, src, lineStart, lineEnd, lineStart, nameEnd, valueStart, valueEnd, null, null);
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
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 && (i == 0 || value.charAt(i - 1) != '\\')) {
                throw new IllegalArgumentException("Header " + name + " value contains CR, LF or NUL");
            }
        }
        int known = HeaderTable.lookup(name);
        String key = known >= 0 ? HeaderTable.canonical(known) : Text.lower(name);
        return new HeaderField(key, known, null, 0, 0, 0, 0, 0, 0, name, Text.trimLws(value));
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
            n = new String(src, nameStart, nameEnd - nameStart, StandardCharsets.US_ASCII);
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
        return wire().length;
    }

    /** Writes the field and returns the position after it. */
    public int writeTo(byte[] out, int pos) {
        if (src != null) {
            int len = lineEnd - lineStart;
            System.arraycopy(src, lineStart, out, pos, len);
            return pos + len;
        }
        byte[] w = wire();
        System.arraycopy(w, 0, out, pos, w.length);
        return pos + w.length;
    }

    private byte[] wire() {
        byte[] w = wire;
        if (w == null) {
            w = (name + ": " + value + "\r\n").getBytes(StandardCharsets.UTF_8);
            wire = w;
        }
        return w;
    }

    @Override
    public String toString() {
        return name() + ": " + value();
    }
}
