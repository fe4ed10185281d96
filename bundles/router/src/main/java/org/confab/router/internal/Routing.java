package org.confab.router.internal;

import java.util.List;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.NameAddr;
import org.confab.sip.message.SipParseException;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipUri;
import org.confab.sip.message.Uri;

/** Route header processing of a request about to be forwarded (RFC 3261 §16.4, §16.6 step 6). */
final class Routing {

    private Routing() {
    }

    /**
     * RFC 3261 §16.4: undoes a strict router's rewrite (the Request-URI is our own Record-Route
     * value: the real target is the last Route) and pops the Route values naming us.
     */
    static void preprocess(SipRequest request, Self self) {
        Uri ruri = request.requestUri();
        List<String> routes = request.headerValues(HeaderNames.ROUTE);
        if (ruri instanceof SipUri sip && sip.user() == null && self.isSentBy(sip) && !routes.isEmpty()) {
            String last = routes.get(routes.size() - 1);
            request.setRequestUri(routeUri(last));
            request.removeHeader(HeaderNames.ROUTE);
            for (String value : routes.subList(0, routes.size() - 1)) {
                request.addHeader(HeaderNames.ROUTE, value);
            }
        }
        while (true) {
            SipUri top = topRoute(request);
            if (top == null || !self.isUs(top)) {
                return;
            }
            request.removeFirstValue(HeaderNames.ROUTE);
        }
    }

    /** The URI of the first Route value, or null when there is none. */
    static SipUri topRoute(SipRequest request) {
        List<String> routes = request.headerValues(HeaderNames.ROUTE);
        if (routes.isEmpty()) {
            return null;
        }
        Uri uri = routeUri(routes.get(0));
        if (!(uri instanceof SipUri sip)) {
            throw new RejectException(416, "Unsupported URI Scheme in Route");
        }
        return sip;
    }

    /**
     * RFC 3261 §16.6 step 6: when the next hop is a strict router (no lr), the Request-URI goes
     * to the end of the Route set and the first Route becomes the Request-URI.
     */
    static void strictNextHop(SipRequest request, SipUri top) {
        if (top.parameter("lr") != null) {
            return;
        }
        String ruri = request.requestUri().toString();
        request.removeFirstValue(HeaderNames.ROUTE);
        request.addHeader(HeaderNames.ROUTE, "<" + ruri + ">");
        request.setRequestUri(top);
    }

    private static Uri routeUri(String value) {
        try {
            return NameAddr.parse(value).uri();
        } catch (SipParseException | RuntimeException e) {
            throw new RejectException(400, "Bad Route header");
        }
    }
}
