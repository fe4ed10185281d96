package org.confab.sip.transport.internal;

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
        String h = stripBrackets(host);
        if (h.indexOf(':') >= 0) {
            return h.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%');
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
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
            return h.equals(address.getHostAddress());
        }
        return literal(h).equals(address);
    }

    /** The address as written in a received= parameter: IPv6 without brackets, no scope. */
    static String receivedForm(InetAddress address) {
        String h = address.getHostAddress();
        int pct = h.indexOf('%');
        return (pct >= 0 ? h.substring(0, pct) : h).toLowerCase(Locale.ROOT);
    }
}
