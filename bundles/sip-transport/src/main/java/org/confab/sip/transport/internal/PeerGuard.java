package org.confab.sip.transport.internal;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.SipRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Defences against hostile peers applied to every received request before the transaction layer:
 * known scanner User-Agents are dropped silently, and each source address gets at most
 * {@code rateRequests} requests per {@code rateWindowMs} (like Kamailio's pike) unless it holds a
 * registered binding (a 2xx to its REGISTER went out). Over the limit a request is answered 503 or
 * dropped, as configured. The table of sources is bounded (oldest evicted first).
 */
final class PeerGuard {

    private static final Logger LOG = LoggerFactory.getLogger(PeerGuard.class);

    /** What to do with a request. */
    enum Verdict { ACCEPT, DROP, REJECT }

    private final int rateRequests;
    private final long rateWindowMs;
    private final boolean dropWhenLimited;
    private final List<String> scannerAgents;
    private final int maxSources;
    private final Map<InetAddress, Source> sources;

    private static final class Source {
        long windowStart;
        int count;
        long registeredUntil;
        boolean limitedLogged;
    }

    /**
     * @param rateRequests requests allowed per window and source; 0 turns the limit off
     * @param rateWindowMs the window
     * @param dropWhenLimited drop instead of 503 over the limit
     * @param scannerAgents lower-case substrings of User-Agent values dropped silently
     * @param maxSources most source addresses tracked
     */
    PeerGuard(int rateRequests, long rateWindowMs, boolean dropWhenLimited, List<String> scannerAgents, int maxSources) {
        this.rateRequests = rateRequests;
        this.rateWindowMs = rateWindowMs;
        this.dropWhenLimited = dropWhenLimited;
        this.scannerAgents = scannerAgents;
        this.maxSources = maxSources;
        this.sources = new LinkedHashMap<>(1024, 0.75f, true);
    }

    static PeerGuard of(StackConfig c) {
        return new PeerGuard(c.rateLimitRequests(), c.rateLimitWindowMs(), c.rateLimitDrop(), c.scannerUserAgents(),
                c.maxTrackedSources());
    }

    /** @return true when the User-Agent (or Server) names a known scanner */
    boolean isScanner(SipRequest request) {
        String ua = request.header(HeaderNames.USER_AGENT);
        if (ua == null || scannerAgents.isEmpty()) {
            return false;
        }
        String lower = ua.toLowerCase(Locale.ROOT);
        for (String s : scannerAgents) {
            if (lower.contains(s)) {
                return true;
            }
        }
        return false;
    }

    Verdict check(SipRequest request, InetAddress source, long nowMs) {
        if (isScanner(request)) {
            LOG.debug("Dropped request from scanner at {} (User-Agent '{}')", source.getHostAddress(),
                    request.header(HeaderNames.USER_AGENT));
            return Verdict.DROP;
        }
        if (rateRequests <= 0) {
            return Verdict.ACCEPT;
        }
        synchronized (sources) {
            Source s = source(source);
            if (s.registeredUntil > nowMs) {
                return Verdict.ACCEPT;
            }
            if (nowMs - s.windowStart >= rateWindowMs) {
                s.windowStart = nowMs;
                s.count = 0;
                s.limitedLogged = false;
            }
            if (++s.count <= rateRequests) {
                return Verdict.ACCEPT;
            }
            if (!s.limitedLogged) {
                s.limitedLogged = true;
                LOG.warn("Source {} sent more than {} requests in {} ms: {} until the window ends",
                        source.getHostAddress(), rateRequests, rateWindowMs, dropWhenLimited ? "dropping" : "answering 503");
            }
            return dropWhenLimited ? Verdict.DROP : Verdict.REJECT;
        }
    }

    /** A 2xx to a REGISTER from this address went out: exempt it from the rate limit until then. */
    void registered(InetAddress source, long untilMs) {
        synchronized (sources) {
            Source s = source(source);
            s.registeredUntil = Math.max(s.registeredUntil, untilMs);
        }
    }

    int trackedSources() {
        synchronized (sources) {
            return sources.size();
        }
    }

    private Source source(InetAddress a) {
        Source s = sources.get(a);
        if (s == null) {
            if (sources.size() >= maxSources) {
                Iterator<Source> it = sources.values().iterator();
                it.next();
                it.remove();
            }
            s = new Source();
            s.windowStart = Long.MIN_VALUE / 2;
            sources.put(a, s);
        }
        return s;
    }
}
