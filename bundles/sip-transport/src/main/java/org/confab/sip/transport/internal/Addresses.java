package org.confab.sip.transport.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** IP literal helpers that never trigger a name lookup (the I/O and timer threads must not block). */
final class Addresses {

    private Addresses() {
    }

    static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    static boolean isIpLiteral(String host) {
        // on every request (Via checks, response routing): plain loops, no split or streams
        String h = stripBrackets(host);
        int n = h.length();
        if (h.indexOf(':') >= 0) {
            for (int i = 0; i < n; i++) {
                char c = h.charAt(i);
                if (Character.digit(c, 16) < 0 && c != ':' && c != '.' && c != '%') {
                    return false;
                }
            }
            return true;
        }
        int parts = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? h.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || value > 255 || ++parts > 4) {
                    return false;
                }
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                value = value * 10 + (c - '0');
                digits++;
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    /** @throws IllegalArgumentException when the text is not an IP literal */
    static InetAddress literal(String host) {
        String h = stripBrackets(host);
        if (!isIpLiteral(h)) {
            throw new IllegalArgumentException("Not an IP address: " + host);
        }
        try {
            return InetAddress.getByName(h);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Not an IP address: " + host, e);
        }
    }

    /** True when the Via sent-by host names exactly this address (RFC 3261 §18.2.1). */
    static boolean sameAddress(String viaHost, InetAddress address) {
        String h = stripBrackets(viaHost);
        if (!isIpLiteral(h)) {
            return false;
        }
        if (h.indexOf(':') < 0) {
            return address instanceof Inet4Address a && isTextOf(h, a);
        }
        return literal(h).equals(address);
    }

    /**
     * True when a dotted quad (already checked by {@link #isIpLiteral}) is exactly what
     * {@code address.getHostAddress()} would print: the same octets, none with a leading zero.
     * Compares without making that string: it runs for every request (Via) and response (target).
     */
    static boolean isTextOf(String dottedQuad, Inet4Address address) {
        byte[] octets = address.getAddress();
        int n = dottedQuad.length();
        int part = 0;
        int value = 0;
        int digits = 0;
        boolean leadingZero = false;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? dottedQuad.charAt(i) : '.';
            if (c == '.') {
                if (part >= 4 || digits == 0 || leadingZero && digits > 1 || value != (octets[part] & 0xff)) {
                    return false;
                }
                part++;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                leadingZero = digits == 0 ? c == '0' : leadingZero;
                value = value * 10 + (c - '0');
                digits++;
                if (digits > 3) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return part == 4;
    }

    /** The address as written in a received= parameter: IPv6 without brackets, no scope. */
    static String receivedForm(InetAddress address) {
        String h = address.getHostAddress();
        int pct = h.indexOf('%');
        return (pct >= 0 ? h.substring(0, pct) : h).toLowerCase(Locale.ROOT);
    }
}
