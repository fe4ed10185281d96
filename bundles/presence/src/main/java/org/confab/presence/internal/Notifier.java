package org.confab.presence.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.confab.api.presence.Authorization;
import org.confab.api.presence.Presence;
import org.confab.api.presence.PresenceStateStore;
import org.confab.api.presence.Subscription;
import org.confab.api.presence.WatcherInfo;
import org.confab.api.presence.WatcherState;
import org.confab.api.transport.Destination;
import org.confab.api.transport.ResponseListener;
import org.confab.api.transport.SipClient;
import org.confab.api.transport.TransportException;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.NameAddr;
import org.confab.sip.message.SipParseException;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.confab.sip.message.Uri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends NOTIFYs (RFC 6665 §4.2.2) on the fan-out executor, never on the transport's threads. Per
 * subscription at most one NOTIFY is queued: changes arriving while one waits are coalesced into
 * it, and two NOTIFYs to one watcher are at least {@code minIntervalMillis} apart. Each NOTIFY
 * renders the state current when it is sent; dialog state is read from and written back to the
 * {@link PresenceStateStore} (memory), so nothing here touches the database.
 */
final class Notifier {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    /** The event value a resource list subscription (RFC 4662) is kept under; its NOTIFYs say "presence". */
    static final String LIST = "presence-list";

    /** What a NOTIFY of one subscription carries. */
    record Content(String state, String contentType, String body) {
    }

    private final SipClient client;
    private final PresenceStateStore state;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final long minIntervalNanos;
    private final Function<Subscription, Content> renderer;
    private final Map<String, Runtime> runtimes = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> byPresentity = new ConcurrentHashMap<>();
    /**
     * The same by presentity and package: a change reaches its package's subscribers without a
     * look at the others (every new SUBSCRIBE tells the presentity's watcher-info subscribers, and
     * scanning all N watchers for them made setting up N watchers O(N²): bench/PRESENCE.md).
     */
    private final Map<String, Set<String>> byPresentityAndEvent = new ConcurrentHashMap<>();
    final AtomicLong sent = new AtomicLong();
    private volatile Consumer<String> presenceListener = aor -> { };

    /** Scheduling state of one subscription (not worth keeping across an update). */
    private static final class Runtime {
        long lastSentNanos = Long.MIN_VALUE / 2;
        boolean queued;
    }

    Notifier(SipClient client, PresenceStateStore state, ScheduledExecutorService executor, Clock clock,
             long minIntervalMillis, Function<Subscription, Content> renderer) {
        this.client = client;
        this.state = state;
        this.executor = executor;
        this.clock = clock;
        this.minIntervalNanos = TimeUnit.MILLISECONDS.toNanos(minIntervalMillis);
        this.renderer = renderer;
        for (Subscription s : state.subscriptions()) {
            index(s);
        }
    }

    void index(Subscription s) {
        byPresentity.computeIfAbsent(s.presentity(), k -> ConcurrentHashMap.newKeySet()).add(s.id());
        byPresentityAndEvent.computeIfAbsent(eventKey(s.presentity(), s.event()), k -> ConcurrentHashMap.newKeySet())
                .add(s.id());
    }

    void unindex(Subscription s) {
        remove(byPresentity, s.presentity(), s.id());
        remove(byPresentityAndEvent, eventKey(s.presentity(), s.event()), s.id());
        runtimes.remove(s.id());
    }

    private static void remove(Map<String, Set<String>> index, String key, String id) {
        Set<String> ids = index.get(key);
        if (ids != null) {
            ids.remove(id);
            if (ids.isEmpty()) {
                index.remove(key, ids);
            }
        }
    }

    private static String eventKey(String presentity, String event) {
        return presentity + '\n' + event;
    }

    /** Presentities with at least one subscription. */
    Set<String> watched() {
        return byPresentity.keySet();
    }

    /** The subscriptions to this presentity (any package). */
    List<Subscription> subscriptionsTo(String presentity) {
        Set<String> ids = byPresentity.get(presentity);
        if (ids == null) {
            return List.of();
        }
        return ids.stream().map(state::subscription).flatMap(java.util.Optional::stream).toList();
    }

    /** Also told of every presence change of a presentity (resource lists follow their members). */
    void onPresenceChange(Consumer<String> listener) {
        presenceListener = listener;
    }

    /** Something the subscribers of this package to the presentity see changed. */
    void changed(String presentity, String event) {
        if ("presence".equals(event)) {
            presenceListener.accept(presentity);
        }
        Set<String> ids = byPresentityAndEvent.get(eventKey(presentity, event));
        if (ids != null) {
            for (String id : ids) {
                if (state.subscription(id).isPresent()) { // not one ended meanwhile
                    queue(id);
                }
            }
        }
    }

    /** Queues one NOTIFY for the subscription, coalescing with one already queued. */
    void queue(String id) {
        Runtime rt = runtimes.computeIfAbsent(id, k -> new Runtime());
        long delayNanos;
        synchronized (rt) {
            if (rt.queued) {
                return;
            }
            rt.queued = true;
            delayNanos = Math.max(0, rt.lastSentNanos + minIntervalNanos - System.nanoTime());
        }
        try {
            executor.schedule(() -> sendQueued(id, rt), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Notifier stopped; NOTIFY for {} not sent", id);
        }
    }

    private void sendQueued(String id, Runtime rt) {
        synchronized (rt) {
            rt.queued = false;
            rt.lastSentNanos = System.nanoTime();
        }
        state.subscription(id).ifPresent(s -> {
            Content c = renderer.apply(s);
            send(s, c);
        });
    }

    /** Ends a subscription with a final NOTIFY (RFC 6665 §4.2.2: Subscription-State terminated). */
    void terminate(Subscription s, String reason) {
        state.removeSubscription(s.id());
        unindex(s);
        Content c = renderer.apply(s);
        String st = "terminated" + (reason == null ? "" : ";reason=" + reason);
        Runnable r = () -> send(s, new Content(st, c.contentType(), c.body()));
        try {
            executor.execute(r);
        } catch (RejectedExecutionException e) {
            r.run();
        }
    }

    /**
     * Ends every subscription at once with a final NOTIFY carrying the reason, sent on the calling
     * thread, and waits at most the time for their answers (server stop). Returns how many ended.
     */
    int terminateAll(String reason, long waitMillis) {
        List<Subscription> all = List.copyOf(state.subscriptions());
        CountDownLatch answered = new CountDownLatch(all.size());
        for (Subscription s : all) {
            Content c;
            try {
                c = renderer.apply(s);
            } catch (RuntimeException e) {
                LOG.debug("Cannot render the final NOTIFY of {}: {}", s.id(), e.toString());
                c = new Content("terminated", null, null);
            }
            state.removeSubscription(s.id());
            unindex(s);
            if (!send(s, new Content("terminated;reason=" + reason, c.contentType(), c.body()), answered::countDown)) {
                answered.countDown();
            }
        }
        try {
            if (!answered.await(waitMillis, TimeUnit.MILLISECONDS)) {
                LOG.info("{} final NOTIFY(s) unanswered after {} ms", answered.getCount(), waitMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return all.size();
    }

    private void send(Subscription s, Content content) {
        send(s, content, null);
    }

    /** Sends one NOTIFY; done runs once its outcome is known. False if nothing could be sent. */
    private boolean send(Subscription s, Content content, Runnable done) {
        Subscription current = state.subscription(s.id()).orElse(s);
        long cseq = current.cseq() + 1;
        long version = current.version() + 1;
        if (state.subscription(s.id()).isPresent()) {
            state.putSubscription(current.withCseq(cseq, version));
        }
        SipRequest notify;
        try {
            notify = build(current, cseq, content);
        } catch (SipParseException | RuntimeException e) {
            LOG.warn("Cannot build a NOTIFY for {}: {}", s.id(), e.toString());
            return false;
        }
        Destination to = current.flowId() != null && current.remoteHost() != null
                ? Destination.flowOrAddress(current.flowId(), current.transport(), current.remoteHost(), current.remotePort())
                : current.flowId() != null ? Destination.flow(current.flowId())
                : Destination.address(current.transport(), current.remoteHost(), current.remotePort());
        try {
            client.send(notify, to, new Outcome(current, done));
            sent.incrementAndGet();
            return true;
        } catch (RuntimeException e) {
            LOG.debug("NOTIFY for {} could not be sent: {}", s.id(), e.toString());
            drop(current, "send failed");
            return false;
        }
    }

    private SipRequest build(Subscription s, long cseq, Content content) throws SipParseException {
        SipRequest r = new SipRequest("NOTIFY", Uri.parse(s.remoteTarget()));
        for (String route : s.routeSet()) {
            r.addHeader(HeaderNames.ROUTE, route); // RFC 3261 §12.2.1.1
        }
        r.setHeader(HeaderNames.MAX_FORWARDS, "70");
        r.setHeader(HeaderNames.FROM, new NameAddr(null, Uri.parse(s.localUri())).withTag(s.localTag()).toString());
        r.setHeader(HeaderNames.TO, new NameAddr(null, Uri.parse(s.remoteUri())).withTag(s.remoteTag()).toString());
        r.setHeader(HeaderNames.CALL_ID, s.callId());
        r.setHeader(HeaderNames.CSEQ, cseq + " NOTIFY");
        String sentBy = client.localSentBy(s.transport());
        if (sentBy != null) {
            r.setHeader(HeaderNames.CONTACT, "<sip:" + sentBy + ";transport=" + s.transport().toLowerCase(java.util.Locale.ROOT) + ">");
        }
        if (LIST.equals(s.event())) {
            r.setHeader(HeaderNames.EVENT, "presence");
            r.setHeader("Require", "eventlist"); // RFC 4662 §5.3
        } else {
            r.setHeader(HeaderNames.EVENT, s.event()); // RFC 6665 §8.2.1
        }
        String st = content.state();
        if (!st.startsWith("terminated")) {
            long left = Math.max(0, s.expires().getEpochSecond() - clock.instant().getEpochSecond());
            st = st + ";expires=" + left;
        }
        r.setHeader("Subscription-State", st); // RFC 6665 §8.2.3
        if (content.body() != null) {
            r.setBody(content.contentType(), content.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else {
            r.setHeader(HeaderNames.CONTENT_LENGTH, "0");
        }
        return r;
    }

    /** A NOTIFY answered 481, timed out or unsendable ends the subscription (RFC 6665 §4.1.3). */
    private void drop(Subscription s, String why) {
        if (state.removeSubscription(s.id())) {
            unindex(s);
            LOG.debug("Subscription {} of {} to {} ended: {}", s.event(), s.watcher(), s.presentity(), why);
            if ("presence".equals(s.event())) {
                changed(s.presentity(), "presence.winfo");
            }
        }
    }

    private final class Outcome implements ResponseListener {
        private final Subscription s;
        private final Runnable done;

        Outcome(Subscription s, Runnable done) {
            this.s = s;
            this.done = done;
        }

        @Override
        public void onResponse(SipResponse response) {
            int st = response.status();
            if (st == 481 || st == 408 || st >= 500 && st != 503 || st == 489) {
                drop(s, "NOTIFY answered " + st);
            }
            if (st >= 200) {
                finish();
            }
        }

        @Override
        public void onTimeout() {
            drop(s, "NOTIFY timed out");
            finish();
        }

        @Override
        public void onTransportError(TransportException cause) {
            drop(s, "transport error " + cause.getMessage());
            finish();
        }

        private void finish() {
            if (done != null) {
                done.run();
            }
        }
    }

    /** State of a watcher for introspection. */
    static WatcherInfo info(Subscription s, Authorization a) {
        return new WatcherInfo(s.watcher(), s.presentity(), s.event(), a.state(), s.expires());
    }

    /** The Subscription-State value for a watcher (polite blocking: a blocked one is "active"). */
    static String stateFor(WatcherState w) {
        return w == WatcherState.PENDING ? "pending" : "active";
    }

    static boolean expired(Subscription s, Instant now) {
        return !s.expires().isAfter(now);
    }

    /** Offline presence shown to a watcher that may not see more. */
    static Presence neutral(String presentity) {
        return Presence.offline(presentity);
    }
}
