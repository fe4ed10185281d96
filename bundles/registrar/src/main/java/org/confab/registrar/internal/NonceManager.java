package org.confab.registrar.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Digest nonces that validate themselves (RFC 7616 §3.3, §5.4): base64url of
 * {@code timestamp(8) | random(12) | HMAC-SHA256(secret, timestamp | random | realm)[0..16]}, so
 * that a server keeps no state per challenge. Replay protection keeps, per nonce that has been
 * answered with qop, the highest nonce-count seen, in a map of at most {@code maxTracked}
 * entries. When an unexpired entry must be dropped to stay in bounds, a floor rises past its
 * issue time: a nonce issued before the floor and no longer tracked is "forgotten" and the
 * client is sent a stale challenge, so forgetting never re-opens a replay.
 */
final class NonceManager {

    /** What a nonce is worth. */
    enum Validity { VALID, STALE, INVALID }

    /** The result of checking a nonce: its validity and when it was issued (epoch ms; 0 if invalid). */
    record Check(Validity validity, long issuedAt) {
    }

    /** The result of a nonce-count check (RFC 7616 §3.4: nc must grow). */
    enum NcResult { ACCEPTED, REPLAYED, FORGOTTEN }

    /** One tracked nonce, for persisting the state across an update of the bundle. */
    record Tracked(String nonce, long issuedAt, long lastNc) {
    }

    private static final int TS_LEN = 8;
    private static final int RAND_LEN = 12;
    private static final int MAC_LEN = 16;
    // a nonce dated this far in the future was not made by this clock: refuse it
    private static final long FUTURE_SKEW_MS = 1000;
    private static final int SCRATCH_MAC = 0;          // 32 bytes of HMAC-SHA256
    private static final int SCRATCH_TEXT = 32;
    private static final int SCRATCH_TEXT_LEN = 128;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final Clock clock;
    private final long lifetimeMillis;
    private final int maxTracked;
    private final SecureRandom random = new SecureRandom();
    private final String opaque;

    // insertion order = roughly issue order, so the eldest entry is the first to evict
    private final NonceCounts tracked;
    // Mac.getInstance is a provider lookup per call: one initialised Mac per thread instead, and a
    // scratch array for the MAC and the realm's bytes. Only JDK types are kept per
    // thread: the transport's threads outlive this bundle when it is updated
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);
    private final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[SCRATCH_TEXT + SCRATCH_TEXT_LEN]);
    private long floor;

    /**
     * @param floor nonces issued before this (epoch ms) are forgotten unless tracked; pass "now"
     *              when no tracking state could be restored
     */
    NonceManager(byte[] secret, Clock clock, long lifetimeMillis, int maxTracked, long floor) {
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.clock = clock;
        this.lifetimeMillis = lifetimeMillis;
        this.maxTracked = Math.max(1, maxTracked);
        this.tracked = new NonceCounts(this.maxTracked);
        this.floor = floor;
        this.opaque = HexFormat.of().formatHex(mac("opaque".getBytes(StandardCharsets.US_ASCII)), 0, 8);
    }

    /** A constant per secret, echoed by clients (RFC 7616 §3.3). */
    String opaque() {
        return opaque;
    }

    /** A fresh nonce for this realm. */
    String create(String realm) {
        byte[] raw = new byte[TS_LEN + RAND_LEN + MAC_LEN];
        putLong(raw, clock.millis());
        byte[] r = new byte[RAND_LEN];     // SecureRandom fills whole arrays
        random.nextBytes(r);
        System.arraycopy(r, 0, raw, TS_LEN, RAND_LEN);
        System.arraycopy(macOf(raw, realm), SCRATCH_MAC, raw, TS_LEN + RAND_LEN, MAC_LEN);
        return ENCODER.encodeToString(raw);
    }

    /** Checks the nonce was made here, for this realm, and how old it is. */
    Check check(String nonce, String realm) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return new Check(Validity.INVALID, 0);
        }
        if (raw.length != TS_LEN + RAND_LEN + MAC_LEN) {
            return new Check(Validity.INVALID, 0);
        }
        byte[] expected = macOf(raw, realm);
        // constant time over the MAC_LEN bytes, as MessageDigest.isEqual on copies of both was
        int diff = 0;
        for (int i = 0; i < MAC_LEN; i++) {
            diff |= expected[SCRATCH_MAC + i] ^ raw[TS_LEN + RAND_LEN + i];
        }
        if (diff != 0) {
            return new Check(Validity.INVALID, 0);
        }
        long issued = getLong(raw);
        long now = clock.millis();
        if (issued > now + FUTURE_SKEW_MS) {
            return new Check(Validity.INVALID, 0);
        }
        return new Check(now - issued >= lifetimeMillis ? Validity.STALE : Validity.VALID, issued);
    }

    private static void putLong(byte[] b, long v) {
        for (int i = 0; i < TS_LEN; i++) {
            b[i] = (byte) (v >>> (8 * (TS_LEN - 1 - i)));     // big-endian, as ByteBuffer wrote it
        }
    }

    private static long getLong(byte[] b) {
        long v = 0;
        for (int i = 0; i < TS_LEN; i++) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }

    /**
     * Records a verified nonce-count. Call only after the response has been verified, so that a
     * forged request cannot push the count up and lock the real client out.
     */
    synchronized NcResult acceptNc(String nonce, long issuedAt, long nc) {
        byte[] raw = rawOf(nonce);
        if (raw == null) {
            return NcResult.FORGOTTEN; // not one of ours: check() refuses it before this
        }
        int slot = tracked.find(raw);
        if (slot < 0) {
            if (issuedAt < floor) {
                return NcResult.FORGOTTEN;
            }
            makeRoom();
            tracked.add(raw, issuedAt, nc);
            return NcResult.ACCEPTED;
        }
        if (nc <= tracked.count(slot)) {
            return NcResult.REPLAYED;
        }
        tracked.setCount(slot, nc);
        return NcResult.ACCEPTED;
    }

    /** The nonce's raw bytes, or null if it is not base64url of the right length. */
    private static byte[] rawOf(String nonce) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(nonce);
            return raw.length == NonceCounts.NONCE_BYTES ? raw : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JVM lacks HmacSHA256", e);
        }
    }

    synchronized int trackedCount() {
        return tracked.size();
    }

    synchronized long floor() {
        return floor;
    }

    /** The unexpired tracked nonces, for saving across an update. */
    synchronized List<Tracked> snapshot() {
        long now = clock.millis();
        List<Tracked> out = new ArrayList<>(tracked.size());
        tracked.forEach((raw, issuedAt, nc) -> {
            if (now - issuedAt < lifetimeMillis) {
                out.add(new Tracked(ENCODER.encodeToString(raw), issuedAt, nc));
            }
        });
        return out;
    }

    /** Restores tracked nonces saved by {@link #snapshot()}, within the bound. */
    synchronized void restore(List<Tracked> entries) {
        for (Tracked t : entries) {
            byte[] raw = rawOf(t.nonce());
            if (raw == null) {
                continue; // not a nonce this server makes: nothing to protect
            }
            int slot = tracked.find(raw);
            if (slot >= 0) {
                tracked.setCount(slot, Math.max(tracked.count(slot), t.lastNc()));
                continue;
            }
            makeRoom();
            tracked.add(raw, t.issuedAt(), t.lastNc());
        }
    }

    // O(1): entries are kept in the order they were first accepted, which is close to the order
    // their nonces were issued, so lapsed ones gather at the front. Scanning every entry here (as a
    // first version did) made every new nonce O(max.nonces) under this lock once the table was full:
    // half of all CPU under load.
    private void makeRoom() {
        long now = clock.millis();
        while (tracked.size() >= maxTracked) {
            long eldest = tracked.eldestIssuedAt();
            if (now - eldest < lifetimeMillis) {
                floor = Math.max(floor, eldest + 1); // forgetting a live nonce: older ones can no longer be replayed
            }
            tracked.removeEldest();
        }
    }

    private byte[] mac(byte[] data) {
        return macs.get().doFinal(data);
    }

    /**
     * HMAC(secret, timestamp | random | realm) of a nonce's first bytes, at the start of this thread's
     * scratch array (valid until the next call on the thread).
     */
    private byte[] macOf(byte[] nonce, String realm) {
        Mac m = macs.get();
        byte[] b = scratch.get();
        m.update(nonce, 0, TS_LEN + RAND_LEN);
        int n = realm.length();
        boolean ascii = n <= SCRATCH_TEXT_LEN;
        for (int i = 0; ascii && i < n; i++) {
            char c = realm.charAt(i);
            ascii = c < 0x80;
            b[SCRATCH_TEXT + i] = (byte) c;
        }
        if (ascii) {
            m.update(b, SCRATCH_TEXT, n);
        } else {
            m.update(realm.getBytes(StandardCharsets.UTF_8));
        }
        try {
            m.doFinal(b, SCRATCH_MAC);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        return b;
    }
}
