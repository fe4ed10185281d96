package org.confab.registrar.internal;

import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brute-force protection for Digest passwords: counts wrong credentials per (source address,
 * realm, user name). From the {@code slowAfter}-th failure in a window on, the next attempt must
 * wait a delay that doubles with each failure (1 s, 2 s, 4 s, ... up to the window); an attempt
 * made earlier is refused without checking the password. At {@code maxFailures} failures the key
 * is blocked for {@code blockMillis}. Refused attempts are answered {@code 403 Too many failed
 * attempts} (a choice over dropping: a legitimate phone with a stale password shows the user a
 * reason instead of retrying into silence). A block is logged once, when it starts.
 *
 * <p>An unknown user name is counted exactly as a known one, so the answers and their timing do
 * not tell which names exist. State is bounded ({@code maxEntries}, least recently used evicted)
 * and entries expire once their window and block have lapsed.
 */
final class AuthFailureGuard {

    private static final Logger LOG = LoggerFactory.getLogger(AuthFailureGuard.class);
    static final String REASON = "Too many failed attempts";
    private static final long SLOW_BASE_MILLIS = 1000;

    private static final class Entry {
        long windowStart;
        int failures;
        long notBefore;
        long blockedUntil;

        boolean expired(long now, long windowMillis) {
            return blockedUntil <= now && notBefore <= now && now - windowStart >= windowMillis;
        }
    }

    private final Clock clock;
    private final int maxFailures;
    private final int slowAfter;
    private final long windowMillis;
    private final long blockMillis;
    private final int maxEntries;
    private final Map<String, Entry> entries;

    /** Where the one line per block goes; replaced by tests to capture it. */
    Consumer<String> blockLog = LOG::warn;

    AuthFailureGuard(Clock clock, int maxFailures, int slowAfter, long windowMillis, long blockMillis, int maxEntries) {
        this.clock = clock;
        this.maxFailures = Math.max(1, maxFailures);
        this.slowAfter = slowAfter <= 0 ? Integer.MAX_VALUE : slowAfter;
        this.windowMillis = Math.max(1, windowMillis);
        this.blockMillis = Math.max(0, blockMillis);
        this.maxEntries = Math.max(1, maxEntries);
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > AuthFailureGuard.this.maxEntries;
            }
        };
    }

    static String key(String source, String realm, String username) {
        return source + '|' + realm + '|' + username;
    }

    /** Whether an attempt for this key may be checked now (false: blocked or too early). */
    synchronized boolean allowed(String key) {
        long now = clock.millis();
        Entry e = entries.get(key);
        if (e == null) {
            return true;
        }
        if (e.expired(now, windowMillis)) {
            entries.remove(key);
            return true;
        }
        return e.blockedUntil <= now && e.notBefore <= now;
    }

    /** Records wrong credentials for this key. */
    synchronized void failed(String key) {
        long now = clock.millis();
        purgeExpired(now);
        Entry e = entries.get(key);
        if (e == null || now - e.windowStart >= windowMillis && e.blockedUntil <= now) {
            e = new Entry();
            e.windowStart = now;
            entries.put(key, e);
        }
        e.failures++;
        if (e.failures >= maxFailures) {
            e.blockedUntil = now + blockMillis;
            e.notBefore = 0;
            e.failures = 0;
            e.windowStart = now;
            blockLog.accept("Blocked authentication for " + describe(key) + " for " + blockMillis / 1000
                    + " s after " + maxFailures + " wrong passwords");
        } else if (e.failures >= slowAfter) {
            int shift = Math.min(30, e.failures - slowAfter);
            e.notBefore = now + Math.min(windowMillis, SLOW_BASE_MILLIS << shift);
        }
    }

    /** Forgets the failures of this key after a successful authentication. */
    synchronized void succeeded(String key) {
        entries.remove(key);
    }

    synchronized int size() {
        return entries.size();
    }

    // entries are in access order: the oldest ones come first, stop at the first still in use
    private void purgeExpired(long now) {
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
            if (!it.next().expired(now, windowMillis)) {
                return;
            }
            it.remove();
        }
    }

    private static String describe(String key) {
        String[] p = key.split("\\|", 3);
        return "user '" + p[2] + "' of realm " + p[1] + " from " + p[0];
    }
}
