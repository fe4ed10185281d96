package org.confab.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.confab.api.store.Binding;
import org.confab.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The location service's bindings: every read from memory, every change applied to memory at
 * once and written behind. A change marks its AOR dirty; one writer thread, every
 * {@code location.flush.interval.ms}, rewrites the rows of all dirty AORs from memory in one
 * transaction (group commit). Many changes of one AOR between two flushes cost one write, and a
 * REGISTER never waits for a disk write of its own. A refresh that only moves a binding's expiry
 * (same contact, flow, instance; a new Call-ID or CSeq does not count: they only order REGISTERs
 * of a running server) is not written while the expiry on disk is at least half
 * the binding's lifetime away: so after a crash a binding comes back with an expiry at most half
 * its lifetime early, and a steady stream of refreshes costs no disk writes (it was a third of the
 * server's CPU under REGISTER load).
 */
final class Locations {

    /** Highest q first (RFC 3261 §16.6 tries higher q first); then the one that lasts longest. */
    static final Comparator<Binding> ORDER = Comparator.comparingInt(Binding::q).reversed()
            .thenComparing(Binding::expires, Comparator.reverseOrder())
            .thenComparing(Binding::contact);

    /** AORs per transaction at most, so that a burst (a mass re-registration) commits in bounded pieces. */
    static final int MAX_AORS_PER_COMMIT = 2000;

    private static final Logger LOG = LoggerFactory.getLogger(Locations.class);

    /** Commits of the writer: tests assert that many changes make few commits. */
    final AtomicLong commits = new AtomicLong();

    private final Database db;
    private final long flushIntervalMillis;
    private final int maxBindings;
    private final Clock clock;
    private final Map<String, List<Binding>> byAor = new ConcurrentHashMap<>();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    /** AORs whose last refreshes only moved expiries and were not written: an explicit flush writes them. */
    private final Set<String> refreshedOnly = ConcurrentHashMap.newKeySet();
    /** Per AOR, the earliest expiry (epoch ms) among its rows on disk; absent when it has none. */
    private final Map<String, Long> diskHorizon = new ConcurrentHashMap<>();
    /** Refreshes that did not need a write: tests and figures. */
    final AtomicLong refreshesNotWritten = new AtomicLong();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong lastFullSweep = new AtomicLong(Long.MIN_VALUE / 2);
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock loadLock = new ReentrantLock();
    /** Every binding on disk is in memory ({@link #load}). */
    private volatile boolean loaded;
    private volatile boolean cancelled;
    /**
     * AORs read from disk on their own before the load completed, whose memory the load must not
     * replace; never cleared (a request may still be between its check of {@link #loaded} and
     * {@link #touch}), it holds at most the AORs used in the first seconds.
     */
    private final Set<String> touched = ConcurrentHashMap.newKeySet();
    private Connection writerConnection;
    private ScheduledExecutorService writer;

    Locations(Database db, long flushIntervalMillis, int maxBindings, Clock clock) {
        this.db = db;
        this.flushIntervalMillis = flushIntervalMillis;
        this.maxBindings = maxBindings;
        this.clock = clock;
    }

    /** Starts the writer; {@link #load} then brings the bindings on disk into memory. */
    void start() {
        writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "confab-store-location-writer");
            t.setDaemon(true);
            return t;
        });
        writer.scheduleWithFixedDelay(this::flushInBackground, flushIntervalMillis, flushIntervalMillis,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Loads the unexpired bindings (deleting the lapsed rows). Runs once in the background at start
     * (125,000 bindings took a second); meanwhile the server already serves, and an AOR that a
     * request touches is read from disk first, on its own ({@link #touch}). An AOR touched before
     * the load reaches it keeps what memory has: it may have changed since the load's read.
     * {@link #all()} and {@link #size()} run the load themselves if it has not completed.
     */
    void load() {
        loadLock.lock();
        try {
            if (loaded) {
                return;
            }
            List<Binding> rows;
            int purged;
            // the writer's connection, so no flush runs between the purge and the read
            writeLock.lock();
            try {
                Connection c = connection();
                try {
                    purged = BindingTable.deleteExpired(c, clock.instant());
                    rows = BindingTable.loadAll(c, () -> cancelled);
                    c.commit();
                } catch (SQLException e) {
                    Database.rollbackQuietly(c);
                    throw new StoreException("Cannot load the bindings from " + db.shownUrl() + ": " + e.getMessage(), e);
                }
            } finally {
                writeLock.unlock();
            }
            Map<String, List<Binding>> grouped = new HashMap<>();
            for (Binding b : rows) {
                grouped.computeIfAbsent(b.aor(), k -> new ArrayList<>(1)).add(b);
            }
            if (cancelled) {
                throw new LoadCancelledException();
            }
            int[] kept = new int[1];
            grouped.forEach((aor, list) -> byAor.compute(aor, (k, old) -> {
                if (old != null || touched.contains(k)) {
                    return old;
                }
                kept[0] += list.size();
                return adopt(k, list);
            }));
            // touched stays: a request that saw the load unfinished may still be on its way to touch()
            loaded = true;
            LOG.info("Location store loaded {} binding(s) of {} AOR(s), deleted {} lapsed", kept[0],
                    grouped.size(), purged);
            if (held.get() > maxBindings) {
                LOG.warn("{} bindings exceed max.bindings.total {}: new ones are refused until some lapse",
                        held.get(), maxBindings);
            }
        } finally {
            loadLock.unlock();
        }
    }

    boolean loaded() {
        return loaded;
    }

    /** Makes a running or later load give up (the store stops). */
    void cancelLoad() {
        cancelled = true;
    }

    /** Compiles the one-AOR read used while the load runs (see {@link Users#prepareLookups}). */
    void prepareLookups() {
        db.inTransaction(c -> {
            BindingTable.prepareLoadAor(c);
            return null;
        });
    }

    /** Bindings read from disk become memory's: counted, sorted, their disk horizon noted. */
    private List<Binding> adopt(String aor, List<Binding> rows) {
        rows.sort(ORDER);
        held.addAndGet(rows.size());
        diskHorizon.put(aor, horizonOf(rows));
        return List.copyOf(rows);
    }

    /**
     * Before the load has completed: brings one AOR's rows from disk into memory, once; from then
     * on memory is the AOR's truth and the load leaves it alone. Runs inside the map's per-key
     * compute, so it and the load's insertion of the same AOR happen one after the other.
     */
    private void touch(String aor) {
        if (loaded) {
            return;
        }
        byAor.compute(aor, (k, old) -> {
            List<Binding> now = old;
            if (now == null && !touched.contains(k)) {
                // a failed read marks nothing: the load (or the next request) still brings the AOR in
                List<Binding> rows = db.inTransaction(c -> BindingTable.loadAor(c, k));
                Instant t = clock.instant();
                rows.removeIf(b -> b.isExpired(t));
                now = rows.isEmpty() ? null : adopt(k, rows);
            }
            touched.add(k);
            return now;
        });
    }

    /** Stops the writer and writes what is pending; the memory stays as it was. */
    void stop() {
        if (writer != null) {
            writer.shutdown();
            try {
                if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("The location writer did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            flush();
        } finally {
            writeLock.lock();
            try {
                Database.closeQuietly(writerConnection);
                writerConnection = null;
            } finally {
                writeLock.unlock();
            }
        }
    }

    long durabilityWindowMillis() {
        return flushIntervalMillis;
    }

    List<Binding> bindings(String aor) {
        String key = Names.userUriOrEmpty(aor).orElse(null);
        if (key != null) {
            touch(key);
        }
        List<Binding> list = key == null ? null : byAor.get(key);
        if (list == null) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Binding> out = new ArrayList<>(list.size());
        for (Binding b : list) {
            if (!b.isExpired(now)) {
                out.add(b);
            }
        }
        return out;
    }

    void put(Binding binding) {
        Binding b = checked(binding);
        touch(b.aor());
        Instant now = clock.instant();
        long last = lastFullSweep.get();
        // when full, lapsed bindings make room; at most one sweep a second, so a flood of REGISTERs
        // against a full store does not scan every binding each time
        if (held.get() >= maxBindings && now.toEpochMilli() - last >= 1000
                && lastFullSweep.compareAndSet(last, now.toEpochMilli())) {
            expire(now);
        }
        boolean[] refreshOnly = new boolean[1];
        byAor.compute(b.aor(), (aor, old) -> {
            List<Binding> next = new ArrayList<>();
            int dropped = 0;
            boolean refresh = false;
            if (old != null) {
                for (Binding e : old) {
                    if (replaces(b, e) || e.isExpired(now)) {
                        dropped++;
                        refresh = dropped == 1 && sameButExpiry(b, e);
                    } else {
                        next.add(e);
                    }
                }
            }
            if (dropped == 0) {
                if (held.incrementAndGet() > maxBindings) {
                    held.decrementAndGet();
                    throw new StoreException("The location store is full: " + maxBindings
                            + " bindings (max.bindings.total)");
                }
            } else {
                held.addAndGet(1 - dropped);
            }
            refreshOnly[0] = refresh && dropped == 1;
            next.add(b);
            next.sort(ORDER);
            return List.copyOf(next);
        });
        if (refreshOnly[0] && !diskExpiryTooClose(b, now)) {
            refreshesNotWritten.incrementAndGet();
            refreshedOnly.add(b.aor());
            return;
        }
        dirty.add(b.aor());
    }

    /**
     * A refresh: the same binding with a later expiry. Call-ID and CSeq may change (RFC 3261 §10.3
     * step 7 orders REGISTERs with them); stale ones on disk cost nothing after a crash: the next
     * REGISTER of the client is then simply newer.
     */
    private static boolean sameButExpiry(Binding fresh, Binding old) {
        return fresh.contact().equals(old.contact()) && Objects.equals(fresh.flowId(), old.flowId()) && Objects.equals(fresh.transport(), old.transport())
                && Objects.equals(fresh.source(), old.source()) && Objects.equals(fresh.instanceId(), old.instanceId())
                && fresh.regId() == old.regId() && Objects.equals(fresh.userAgent(), old.userAgent())
                && fresh.q() == old.q() && !fresh.expires().isBefore(old.expires());
    }

    /** True when the AOR's rows on disk would lapse within half of the refreshed binding's lifetime. */
    private boolean diskExpiryTooClose(Binding refreshed, Instant now) {
        Long horizon = diskHorizon.get(refreshed.aor());
        long nowMs = now.toEpochMilli();
        long halfLife = (refreshed.expires().toEpochMilli() - nowMs) / 2;
        return horizon == null || horizon < nowMs + halfLife;
    }

    private static long horizonOf(List<Binding> rows) {
        long min = Long.MAX_VALUE;
        for (Binding b : rows) {
            min = Math.min(min, b.expires().toEpochMilli());
        }
        return min;
    }

    boolean remove(String aor, String contact) {
        String key = Names.userUri(aor);
        if (contact == null || contact.isBlank()) {
            throw new StoreException("A contact URI is required");
        }
        touch(key);
        Instant now = clock.instant();
        boolean[] found = new boolean[2];
        byAor.computeIfPresent(key, (k, old) -> {
            List<Binding> next = new ArrayList<>(old.size());
            for (Binding e : old) {
                if (e.contact().equals(contact)) {
                    found[0] |= !e.isExpired(now);
                    found[1] = true;
                    held.decrementAndGet();
                } else {
                    next.add(e);
                }
            }
            if (next.size() == old.size()) {
                return old;
            }
            return next.isEmpty() ? null : List.copyOf(next);
        });
        if (found[1]) {
            // marked after the map changed: the writer reads memory after taking the mark
            dirty.add(key);
        }
        return found[0];
    }

    int removeAll(String aor) {
        String key = Names.userUri(aor);
        touch(key);
        List<Binding> old = byAor.remove(key);
        if (old == null) {
            return 0;
        }
        dirty.add(key);
        held.addAndGet(-old.size());
        Instant now = clock.instant();
        return (int) old.stream().filter(b -> !b.isExpired(now)).count();
    }

    int expire(Instant now) {
        Objects.requireNonNull(now, "now");
        int removed = 0;
        for (String aor : byAor.keySet()) {
            int[] n = new int[1];
            byAor.computeIfPresent(aor, (k, old) -> {
                List<Binding> next = new ArrayList<>(old.size());
                for (Binding e : old) {
                    if (e.isExpired(now)) {
                        n[0]++;
                    } else {
                        next.add(e);
                    }
                }
                if (n[0] == 0) {
                    return old;
                }
                held.addAndGet(-n[0]);
                return next.isEmpty() ? null : List.copyOf(next);
            });
            if (n[0] > 0) {
                removed += n[0];
                dirty.add(aor);
            }
        }
        return removed;
    }

    List<Binding> all() {
        load();
        List<String> aors = new ArrayList<>(byAor.keySet());
        aors.sort(null);
        List<Binding> out = new ArrayList<>();
        for (String aor : aors) {
            out.addAll(bindings(aor));
        }
        return out;
    }

    int size() {
        load();
        Instant now = clock.instant();
        int n = 0;
        for (List<Binding> list : byAor.values()) {
            for (Binding b : list) {
                if (!b.isExpired(now)) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Writes every pending change now, in the caller's thread, refreshes that only moved an expiry
     * included (a stop or a backup leaves the disk equal to memory); {@link StoreException} if the
     * database refuses.
     */
    void flush() {
        for (Iterator<String> it = refreshedOnly.iterator(); it.hasNext(); ) {
            dirty.add(it.next());
            it.remove();
        }
        writeDirty();
    }

    /** Writes the AORs marked dirty (the writer's period: refreshes that only moved an expiry wait). */
    private void writeDirty() {
        writeLock.lock();
        try {
            // bounded: under a steady stream of changes a flush still ends
            int rounds = dirty.size() / MAX_AORS_PER_COMMIT + 1;
            for (int i = 0; i < rounds && !dirty.isEmpty(); i++) {
                writeBatch();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Number of changed AORs not yet on disk. */
    int pending() {
        return dirty.size();
    }

    private void flushInBackground() {
        try {
            writeDirty();
        } catch (RuntimeException e) {
            // the AORs stay dirty: the next period retries them
            LOG.error("Writing bindings to {} failed, retrying in {} ms: {}", db.shownUrl(), flushIntervalMillis,
                    e.getMessage());
        }
    }

    private void writeBatch() {
        List<String> batch = new ArrayList<>();
        for (Iterator<String> it = dirty.iterator(); it.hasNext() && batch.size() < MAX_AORS_PER_COMMIT; ) {
            batch.add(it.next());
            // removed before memory is read: a change after this point marks the AOR dirty again
            it.remove();
        }
        if (batch.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Connection c = null;
        try {
            c = connection();
            Map<String, List<Binding>> written = new HashMap<>();
            BindingTable.replace(c, batch, aor -> written.computeIfAbsent(aor, k -> unexpired(byAor.get(k), now)));
            c.commit();
            commits.incrementAndGet();
            written.forEach((aor, rows) -> {
                if (rows.isEmpty()) {
                    diskHorizon.remove(aor);
                } else {
                    diskHorizon.put(aor, horizonOf(rows));
                }
            });
        } catch (SQLException | RuntimeException e) {
            dirty.addAll(batch);
            if (c != null) {
                Database.rollbackQuietly(c);
                if (!(e instanceof SQLException sql) || Database.connectionLost(sql)) {
                    Database.closeQuietly(c);
                    writerConnection = null;
                }
            }
            String message = e instanceof SQLException sql
                    ? e.getMessage() + " (SQLState " + sql.getSQLState() + ")" : e.getMessage();
            throw new StoreException("Cannot write bindings to " + db.shownUrl() + ": " + message, e);
        }
    }

    private Connection connection() {
        if (writerConnection == null) {
            writerConnection = db.connect();
        }
        return writerConnection;
    }

    private static List<Binding> unexpired(List<Binding> list, Instant now) {
        if (list == null) {
            return List.of();
        }
        List<Binding> out = new ArrayList<>(list.size());
        for (Binding b : list) {
            if (!b.isExpired(now)) {
                out.add(b);
            }
        }
        return out;
    }

    /**
     * The new binding replaces one with the same instance id and reg-id (RFC 5626 §6), and any
     * with the same contact (RFC 3261 §10.3 step 7): an AOR never holds one contact twice.
     */
    private static boolean replaces(Binding fresh, Binding existing) {
        if (fresh.contact().equals(existing.contact())) {
            return true;
        }
        return fresh.instanceId() != null && fresh.instanceId().equals(existing.instanceId())
                && fresh.regId() == existing.regId();
    }

    /** Refuses what the table cannot hold, before anything changes: a write behind must not fail later. */
    private static Binding checked(Binding b) {
        if (b == null) {
            throw new StoreException("A binding is required");
        }
        String aor = Names.userUri(b.aor());
        if (b.contact().isBlank()) {
            throw new StoreException("Binding of " + aor + " has an empty contact");
        }
        checkLength(aor, "contact", b.contact(), BindingTable.MAX_CONTACT);
        checkLength(aor, "flow id", b.flowId(), BindingTable.MAX_FLOW_ID);
        checkLength(aor, "transport", b.transport(), BindingTable.MAX_TRANSPORT);
        checkLength(aor, "source", b.source(), BindingTable.MAX_SOURCE);
        checkLength(aor, "instance id", b.instanceId(), BindingTable.MAX_INSTANCE_ID);
        checkLength(aor, "Call-ID", b.callId(), BindingTable.MAX_CALL_ID);
        if (b.q() < 0 || b.q() > 1000) {
            throw new StoreException("Binding of " + aor + " has q " + b.q() + ", not within 0..1000");
        }
        if (b.regId() < 0 || b.cseq() < 0) {
            throw new StoreException("Binding of " + aor + " has a negative reg-id or CSeq");
        }
        // the User-Agent is informational: a long one is cut rather than failing the registration
        String ua = b.userAgent().length() > BindingTable.MAX_USER_AGENT
                ? b.userAgent().substring(0, BindingTable.MAX_USER_AGENT) : b.userAgent();
        if (aor.equals(b.aor()) && ua.equals(b.userAgent())) {
            return b;
        }
        return new Binding(aor, b.contact(), b.flowId(), b.transport(), b.source(), b.expires(), b.instanceId(),
                b.regId(), b.callId(), b.cseq(), ua, b.q());
    }

    private static void checkLength(String aor, String what, String value, int max) {
        if (value != null && value.length() > max) {
            throw new StoreException("Binding of " + aor + " has a " + what + " longer than " + max + " characters");
        }
    }
}
