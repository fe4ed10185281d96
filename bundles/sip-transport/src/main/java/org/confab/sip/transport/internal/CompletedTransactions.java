package org.confab.sip.transport.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.confab.api.transport.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-INVITE server transactions over UDP in state Completed (RFC 3261 §17.2.2): for Timer J
 * (64*T1, 32 s) they only answer retransmissions of their request with their last response, so
 * that is all that is kept: the key and the bytes sent, not the request, the transaction object or
 * a timer. Every entry lives equally long, so completion order is expiry order: entries leave from
 * the head of one queue, O(1) each, and no timer is scheduled per request. Beyond
 * {@code max.completed.transactions} the oldest leaves early: a retransmission that arrives later
 * is then served as a new request (RFC 3261 §17.2.2 makes the UAS absorb it, at this rate the
 * price is memory; the bound keeps a flood from taking it all).
 */
final class CompletedTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(CompletedTransactions.class);

    private record Entry(String key, Sent last, long untilMs) {
    }

    private final ConcurrentHashMap<String, Entry> byKey = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Entry> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong evictedEarly = new AtomicLong();
    private final TimerService timers;
    private final long lingerMs;
    private final int max;

    CompletedTransactions(TimerService timers, long lingerMs, int max) {
        this.timers = timers;
        this.lingerMs = lingerMs;
        this.max = max;
    }

    /** The transaction with this key completed with these bytes sent last. */
    void add(String key, Sent last) {
        long now = timers.now();
        Entry e = new Entry(key, last, now + lingerMs);
        if (byKey.put(key, e) == null) {
            size.incrementAndGet();
        }
        order.add(e);
        expire(now);
        while (size.get() > max) {
            if (!removeHead()) {
                break;
            }
            if (evictedEarly.getAndIncrement() % 10_000 == 0) {
                LOG.info("Completed transactions beyond max.completed.transactions ({}): the oldest leave before"
                        + " Timer J ({} so far)", max, evictedEarly.get());
            }
        }
    }

    /** Resends the last response if the key is a completed transaction; false if it is not (any more). */
    boolean absorb(String key) {
        Entry e = byKey.get(key);
        if (e == null || e.untilMs() <= timers.now()) {
            return false;
        }
        try {
            e.last().again(); // RFC 3261 §17.2.2: a retransmitted request gets the last response again
        } catch (TransportException ex) {
            LOG.debug("Retransmission on {} failed: {}", e.last().flow().id(), ex.getMessage());
        }
        return true;
    }

    /** Forgets every entry whose Timer J has fired. */
    void expire(long now) {
        Entry head;
        while ((head = order.peek()) != null && head.untilMs() <= now) {
            removeHead();
        }
    }

    private boolean removeHead() {
        Entry head = order.poll();
        if (head == null) {
            return false;
        }
        // a newer entry of the same key (a key reused after an early eviction) stays
        if (byKey.remove(head.key(), head)) {
            size.decrementAndGet();
        }
        return true;
    }

    int size() {
        return size.get();
    }

    long evictedEarly() {
        return evictedEarly.get();
    }
}
