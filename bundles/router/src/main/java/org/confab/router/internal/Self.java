package org.confab.router.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.confab.api.store.DomainStore;
import org.confab.api.transport.SipClient;
import org.confab.sip.message.SipUri;

/**
 * Answers "is this URI us?" for Route processing (RFC 3261 §16.4) and builds our Record-Route.
 * Built per request: the transport's listeners and the served domains may change at run time.
 */
final class Self {

    private static final List<String> TRANSPORTS = List.of("UDP", "TCP", "TLS");

    private final SipClient client;
    private final DomainStore domains;
    private final List<HostPort> sentBys = new ArrayList<>();

    Self(SipClient client, DomainStore domains) {
        this.client = client;
        this.domains = domains;
        for (String transport : TRANSPORTS) {
            String sentBy = sentBy(client, transport);
            if (sentBy != null) {
                try {
                    sentBys.add(HostPort.parse(sentBy, HostPort.defaultPort(transport)));
                } catch (IllegalArgumentException e) {
                    // a listener we cannot parse is simply not one we recognise as us
                }
            }
        }
    }

    /** The transport's sent-by for a transport without a listener is null (or an exception): none. */
    private static String sentBy(SipClient client, String transport) {
        try {
            String s = client.localSentBy(transport);
            return s == null || s.isBlank() ? null : s.trim();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** True when host and port are one of our sent-by addresses (a value we put in Record-Route). */
    boolean isSentBy(SipUri uri) {
        String host = HostPort.bare(uri.host());
        int port = effectivePort(uri);
        for (HostPort hp : sentBys) {
            if (hp.host().equals(host) && hp.port() == port) {
                return true;
            }
        }
        return false;
    }

    /** True for our sent-by addresses and for a served domain on no port or one of our ports. */
    boolean isUs(SipUri uri) {
        if (isSentBy(uri)) {
            return true;
        }
        String host = HostPort.bare(uri.host());
        if (!domains.isServed(host)) {
            return false;
        }
        if (uri.port() <= 0) {
            return true;
        }
        for (HostPort hp : sentBys) {
            if (hp.port() == uri.port()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Our Record-Route value for requests that arrived over this transport (RFC 3261 §16.6 step 4),
     * or null when the transport has no listener.
     */
    String recordRoute(String transport) {
        String sentBy = sentBy(client, transport);
        if (sentBy == null) {
            return null;
        }
        return "<sip:" + sentBy + ";transport=" + transport.toLowerCase(Locale.ROOT) + ";lr>";
    }

    /** Our sent-by for a transport, or null. */
    String sentBy(String transport) {
        return sentBy(client, transport);
    }

    /** RFC 3261 §19.1.2: the port a URI means when it names none. */
    static int effectivePort(SipUri uri) {
        if (uri.port() > 0) {
            return uri.port();
        }
        return uri.isSecure() || "tls".equals(uri.transport()) ? 5061 : 5060;
    }
}
