package org.confab.sip.message;

import org.confab.sip.message.internal.Text;

/** The CSeq header: sequence number and method (RFC 3261 §20.16). Immutable. */
public final class CSeq {

    /** RFC 3261 §8.1.1.5: the number must be expressible as a 32-bit unsigned integer. */
    private static final long MAX = 0xFFFFFFFFL;

    private final long number;
    private final String method;

    /**
     * @param number the sequence number, 0 to 2^32-1
     * @param method the method token
     */
    public CSeq(long number, String method) {
        if (number < 0 || number > MAX) {
            throw new IllegalArgumentException("CSeq number out of range: " + number);
        }
        if (!Text.isToken(method)) {
            throw new IllegalArgumentException("CSeq method is not a token: " + method);
        }
        this.number = number;
        this.method = method;
    }

    /**
     * Parses a CSeq value such as {@code "4711 INVITE"}.
     *
     * @param text the header value
     * @return the CSeq
     * @throws SipParseException when the number or method is malformed
     */
    public static CSeq parse(String text) throws SipParseException {
        String s = Text.trimLws(text);
        int n = s.length();
        int i = 0;
        while (i < n && !Text.isLws(s.charAt(i))) {
            i++;
        }
        // indexes, not substrings: every message carries a CSeq
        boolean digits = i > 0;
        for (int k = 0; k < i && digits; k++) {
            digits = Text.isDigit(s.charAt(k));
        }
        if (!digits) {
            throw new SipParseException("Bad CSeq: sequence number is not a number: '" + s.substring(0, i) + "'");
        }
        long num = Text.parseDigits(s, 0, i, MAX);
        if (num < 0) {
            throw new SipParseException("Bad CSeq: sequence number larger than 2^32-1: " + s.substring(0, i));
        }
        int ms = i;
        while (ms < n && Text.isLws(s.charAt(ms))) {
            ms++;
        }
        if (ms == n) {
            throw new SipParseException("Bad CSeq: method missing");
        }
        String method = Text.method(s, ms, n);
        if (!Text.isToken(method)) {
            throw new SipParseException("Bad CSeq: method is not a token: '" + method + "'");
        }
        return new CSeq(num, method);
    }

    /** @return the sequence number */
    public long number() {
        return number;
    }

    /** @return the method, case as sent */
    public String method() {
        return method;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CSeq && ((CSeq) o).number == number && ((CSeq) o).method.equals(method);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(number) * 31 + method.hashCode();
    }

    /** @return the wire form, e.g. {@code "1 INVITE"} */
    @Override
    public String toString() {
        return number + " " + method;
    }
}
