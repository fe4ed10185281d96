package org.confab.router.internal;

import java.util.Locale;

/** A host (IPv6 without brackets, lower case) and a port, as in a Via sent-by or a binding's source. */
record HostPort(String host, int port) {

    /**
     * Parses "host:port", "[v6]:port", "host" or "[v6]".
     *
     * @throws IllegalArgumentException when the text is not of that form
     */
    static HostPort parse(String text, int defaultPort) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty address");
        }
        String s = text.trim();
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed IPv6 reference in '" + text + "'");
            }
            host = s.substring(1, close);
            if (close + 1 < s.length()) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("bad address '" + text + "'");
                }
                port = s.substring(close + 2);
            }
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
                host = s;
            } else if (colon >= 0) {
                host = s.substring(0, colon);
                port = s.substring(colon + 1);
            } else {
                host = s;
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host in '" + text + "'");
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in '" + text + "'", e);
            }
            if (p <= 0 || p > 65535) {
                throw new IllegalArgumentException("bad port in '" + text + "'");
            }
        }
        return new HostPort(host.toLowerCase(Locale.ROOT), p);
    }

    /** A URI host as {@code SipUri.host()} gives it (IPv6 in brackets) without the brackets, lower case. */
    static String bare(String uriHost) {
        String h = uriHost.startsWith("[") && uriHost.endsWith("]") ? uriHost.substring(1, uriHost.length() - 1) : uriHost;
        return h.toLowerCase(Locale.ROOT);
    }

    /** RFC 3261 §19.1.2: 5061 for sips or TLS, 5060 otherwise. */
    static int defaultPort(String transport) {
        return "TLS".equalsIgnoreCase(transport) ? 5061 : 5060;
    }
}
