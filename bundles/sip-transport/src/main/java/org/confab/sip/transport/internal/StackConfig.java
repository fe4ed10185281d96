package org.confab.sip.transport.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The transport's settings (PID org.confab.sip.transport), as plain values so that the core
 * can be built without OSGi. Immutable; {@code with...} methods return a changed copy.
 */
public final class StackConfig {

    /** The methods for which a missing application means "being upgraded" (503) rather than 405. */
    public static final String DEFAULT_EXPECTED_METHODS =
            "REGISTER,MESSAGE,INVITE,ACK,BYE,CANCEL,OPTIONS,INFO,SUBSCRIBE,NOTIFY,PUBLISH,SERVICE,PRACK,UPDATE,REFER";

    private int maxMessageSize = 65535;
    private long t1 = 500;
    private long t2 = 4000;
    private long t4 = 5000;
    private int tcpIdleTimeoutSeconds = 600;
    private Set<String> expectedMethods = parseMethods(DEFAULT_EXPECTED_METHODS);
    private int retryAfterSeconds = 5;
    private int maxTransactions = 100_000;
    private int maxCompletedTransactions = 400_000;
    private String advertisedHost = "127.0.0.1";
    private boolean appInline = true;
    private int appThreads = 0;
    private int appQueueSize = 10_000;
    private int udpReceivers;
    private long inviteTimeoutMs = 180_000;
    private int rateLimitRequests = 40;
    private long rateLimitWindowMs = 2000;
    private boolean rateLimitDrop;
    private List<String> scannerUserAgents = parseList(DEFAULT_SCANNERS);
    private int maxTrackedSources = 100_000;
    private int maxUdpFlows = 100_000;
    private int maxConnectionsPerSource = 100;
    private int headerTimeoutSeconds = 10;
    private Set<String> proxyRequireSupported = parseList(DEFAULT_PROXY_REQUIRE).stream()
            .collect(Collectors.toUnmodifiableSet());

    /** User-Agent substrings of known SIP scanners (lower-case). */
    public static final String DEFAULT_SCANNERS = "friendly-scanner,sipvicious,sipcli,sip-scan,sipsak,sundayddr,iwar,"
            + "smap,vaxasip,pplsip,cyberlink,sip-sc,voip sip";

    /** Proxy-Require option tags understood (MS-DIALECT §2: ms-benotify). */
    public static final String DEFAULT_PROXY_REQUIRE = "ms-benotify";

    /** @return the defaults of the shipped org.confab.sip.transport.cfg */
    public static StackConfig defaults() {
        return new StackConfig();
    }

    private StackConfig copy() {
        StackConfig c = new StackConfig();
        c.maxMessageSize = maxMessageSize;
        c.t1 = t1;
        c.t2 = t2;
        c.t4 = t4;
        c.tcpIdleTimeoutSeconds = tcpIdleTimeoutSeconds;
        c.expectedMethods = expectedMethods;
        c.retryAfterSeconds = retryAfterSeconds;
        c.maxTransactions = maxTransactions;
        c.maxCompletedTransactions = maxCompletedTransactions;
        c.advertisedHost = advertisedHost;
        c.appInline = appInline;
        c.appThreads = appThreads;
        c.appQueueSize = appQueueSize;
        c.udpReceivers = udpReceivers;
        c.inviteTimeoutMs = inviteTimeoutMs;
        c.rateLimitRequests = rateLimitRequests;
        c.rateLimitWindowMs = rateLimitWindowMs;
        c.rateLimitDrop = rateLimitDrop;
        c.scannerUserAgents = scannerUserAgents;
        c.maxTrackedSources = maxTrackedSources;
        c.maxUdpFlows = maxUdpFlows;
        c.maxConnectionsPerSource = maxConnectionsPerSource;
        c.headerTimeoutSeconds = headerTimeoutSeconds;
        c.proxyRequireSupported = proxyRequireSupported;
        return c;
    }

    static Set<String> parseMethods(String list) {
        Set<String> s = new LinkedHashSet<>();
        if (list != null) {
            Arrays.stream(list.split("[,\\s]+")).map(String::trim).filter(m -> !m.isEmpty())
                    .map(m -> m.toUpperCase(Locale.ROOT)).forEach(s::add);
        }
        return Collections.unmodifiableSet(s);
    }

    static List<String> parseList(String list) {
        List<String> l = new ArrayList<>();
        if (list != null) {
            for (String x : list.split(",")) {
                String t = x.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    l.add(t);
                }
            }
        }
        return Collections.unmodifiableList(l);
    }

    /**
     * Per-source request limit (like Kamailio's pike) for sources without a registered binding.
     *
     * @param requests requests per window; 0 turns the limit off
     * @param windowMs the window in milliseconds
     * @param drop drop the excess silently instead of answering 503
     */
    public StackConfig withRateLimit(int requests, long windowMs, boolean drop) {
        if (requests < 0) {
            throw new IllegalArgumentException("rate.limit.requests must not be negative, not " + requests);
        }
        StackConfig c = copy();
        c.rateLimitRequests = requests;
        c.rateLimitWindowMs = positive("rate.limit.window.ms", windowMs);
        c.rateLimitDrop = drop;
        return c;
    }

    public StackConfig withScannerUserAgents(String commaList) {
        StackConfig c = copy();
        c.scannerUserAgents = parseList(commaList);
        return c;
    }

    public StackConfig withMaxTrackedSources(int max) {
        StackConfig c = copy();
        c.maxTrackedSources = positive("max.tracked.sources", max);
        return c;
    }

    /** Most UDP flows (listener, remote address) remembered as recently seen; beyond it new ones are not recorded. */
    public StackConfig withMaxUdpFlows(int max) {
        StackConfig c = copy();
        c.maxUdpFlows = positive("max.udp.flows", max);
        return c;
    }

    /** Most simultaneous inbound TCP connections from one source address; more are closed at accept. */
    public StackConfig withMaxConnectionsPerSource(int max) {
        StackConfig c = copy();
        c.maxConnectionsPerSource = positive("max.connections.per.source", max);
        return c;
    }

    /** Seconds a TCP connection may take to send a whole header section once it has begun one. */
    public StackConfig withHeaderTimeoutSeconds(int seconds) {
        StackConfig c = copy();
        c.headerTimeoutSeconds = positive("header.timeout.s", seconds);
        return c;
    }

    public int maxConnectionsPerSource() {
        return maxConnectionsPerSource;
    }

    public int headerTimeoutSeconds() {
        return headerTimeoutSeconds;
    }

    public StackConfig withProxyRequireSupported(String commaList) {
        StackConfig c = copy();
        c.proxyRequireSupported = parseList(commaList).stream().collect(Collectors.toUnmodifiableSet());
        return c;
    }

    public int rateLimitRequests() {
        return rateLimitRequests;
    }

    public long rateLimitWindowMs() {
        return rateLimitWindowMs;
    }

    public boolean rateLimitDrop() {
        return rateLimitDrop;
    }

    public List<String> scannerUserAgents() {
        return scannerUserAgents;
    }

    public int maxTrackedSources() {
        return maxTrackedSources;
    }

    public int maxUdpFlows() {
        return maxUdpFlows;
    }

    public Set<String> proxyRequireSupported() {
        return proxyRequireSupported;
    }

    private static int positive(String key, long value) {
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be a positive number, not " + value);
        }
        return (int) value;
    }

    public StackConfig withMaxMessageSize(int bytes) {
        StackConfig c = copy();
        c.maxMessageSize = positive("max.message.size", bytes);
        return c;
    }

    /** RFC 3261 §17.1.1.1 T1, T2 and T4 in milliseconds. */
    public StackConfig withTimers(long t1Ms, long t2Ms, long t4Ms) {
        StackConfig c = copy();
        c.t1 = positive("t1.ms", t1Ms);
        c.t2 = positive("t2.ms", t2Ms);
        c.t4 = positive("t4.ms", t4Ms);
        if (c.t2 < c.t1) {
            throw new IllegalArgumentException("t2.ms (" + t2Ms + ") must not be below t1.ms (" + t1Ms + ")");
        }
        return c;
    }

    public StackConfig withTcpIdleTimeoutSeconds(int seconds) {
        StackConfig c = copy();
        c.tcpIdleTimeoutSeconds = positive("tcp.idle.timeout.s", seconds);
        return c;
    }

    public StackConfig withExpectedMethods(String commaList) {
        StackConfig c = copy();
        c.expectedMethods = parseMethods(commaList);
        return c;
    }

    public StackConfig withRetryAfterSeconds(int seconds) {
        StackConfig c = copy();
        c.retryAfterSeconds = positive("retry.after.s", seconds);
        return c;
    }

    public StackConfig withMaxTransactions(int max) {
        StackConfig c = copy();
        c.maxTransactions = positive("max.transactions", max);
        return c;
    }

    public StackConfig withAdvertisedHost(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("advertised.host must not be empty");
        }
        StackConfig c = copy();
        c.advertisedHost = host.trim();
        return c;
    }

    /** Application threads (0 = one per core, at least 2) and the queue before them. */
    public StackConfig withAppExecutor(int threads, int queueSize) {
        if (threads < 0) {
            throw new IllegalArgumentException("app.threads must be 0 (one per core) or more, not " + threads);
        }
        StackConfig c = copy();
        c.appThreads = threads;
        c.appQueueSize = positive("app.queue.size", queueSize);
        return c;
    }

    /**
     * Where a new request meets its role: {@code inline} on the thread that received it (no hand-off:
     * half the CPU per request of {@code pool} in BENCHMARKS.md), or {@code pool}, queued for the
     * application threads (app.threads, app.queue.size; a full queue answers 503).
     */
    public StackConfig withAppDispatch(String mode) {
        String m = mode == null ? "" : mode.trim().toLowerCase(java.util.Locale.ROOT);
        if (!m.equals("inline") && !m.equals("pool")) {
            throw new IllegalArgumentException("app.dispatch must be inline or pool, not '" + mode + "'");
        }
        StackConfig c = copy();
        c.appInline = m.equals("inline");
        return c;
    }

    /** Receiver threads per UDP listener; 0 = one per core (at least 2). */
    public StackConfig withUdpReceivers(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("udp.receivers must be 0 (one per core) or more, not " + threads);
        }
        StackConfig c = copy();
        c.udpReceivers = threads;
        return c;
    }

    public StackConfig withInviteTimeoutSeconds(int seconds) {
        StackConfig c = copy();
        c.inviteTimeoutMs = 1000L * positive("invite.timeout.s", seconds);
        return c;
    }

    public int maxMessageSize() {
        return maxMessageSize;
    }

    public long t1() {
        return t1;
    }

    public long t2() {
        return t2;
    }

    public long t4() {
        return t4;
    }

    /** RFC 3261 §17: Timers B, F, H, J, L and M are all 64*T1. */
    public long timeout64() {
        return 64 * t1;
    }

    public int tcpIdleTimeoutSeconds() {
        return tcpIdleTimeoutSeconds;
    }

    public Set<String> expectedMethods() {
        return expectedMethods;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Completed non-INVITE UDP transactions kept for Timer J at most (their last response only). */
    public StackConfig withMaxCompletedTransactions(int max) {
        StackConfig c = copy();
        c.maxCompletedTransactions = positive("max.completed.transactions", max);
        return c;
    }

    public int maxCompletedTransactions() {
        return maxCompletedTransactions;
    }

    public int maxTransactions() {
        return maxTransactions;
    }

    public String advertisedHost() {
        return advertisedHost;
    }

    /** @return true when new requests run their role on the receiving thread (app.dispatch = inline) */
    public boolean appInline() {
        return appInline;
    }

    /**
     * Application threads, resolved. One per core by default: the roles do not wait on the network,
     * so more threads than cores only add wake-ups. Each request handed to an idle thread costs a
     * futex wake and a park; with 16 threads every request found one idle, and REGISTER over TCP
     * cost 97-99 us per call against 75-79 us with two (BENCHMARKS.md, 2026-12-03).
     */
    public int appThreads() {
        return appThreads > 0 ? appThreads : Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    public int appQueueSize() {
        return appQueueSize;
    }

    /** Receiver threads per UDP listener; 0 means one per core. */
    public int udpReceivers() {
        return udpReceivers;
    }

    /** How long an INVITE server transaction may stay without a final response (like Timer C, RFC 3261 §16.6). */
    public long inviteTimeoutMs() {
        return inviteTimeoutMs;
    }
}
