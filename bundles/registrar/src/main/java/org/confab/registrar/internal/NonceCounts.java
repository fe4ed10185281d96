package org.confab.registrar.internal;

import java.util.Arrays;

/**
 * The nonce-counts of the nonces in use (RFC 7616 §3.4), oldest first, in arrays allocated once:
 * each nonce's 36 raw bytes in one byte array, its issue time and last count in long arrays, and
 * an open-addressing index (linear probing, backward-shift deletion) over them.
 *
 * <p>Why not a map: every authenticated request adds a nonce that stays until {@code max.nonces}
 * newer ones push it out, 30 s and more under load. A map entry, the nonce's string and a count
 * array per nonce were small objects the young collections copied again and again until they were
 * promoted. Not thread-safe: {@link NonceManager} holds its lock.
 */
final class NonceCounts {

    static final int NONCE_BYTES = 36;
    /** Where the nonce's random part starts: its first eight bytes hash it. */
    private static final int RANDOM_AT = 8;

    private final int capacity;
    private final byte[] raw;
    private final long[] issued;
    private final long[] counts;
    /** Ring slot + 1 of the entry whose hash leads here; 0 is empty. */
    private final int[] index;
    private final int mask;
    private int head;
    private int size;

    NonceCounts(int capacity) {
        this.capacity = Math.max(1, capacity);
        raw = new byte[this.capacity * NONCE_BYTES];
        issued = new long[this.capacity];
        counts = new long[this.capacity];
        int n = Integer.highestOneBit(this.capacity) << 2; // load factor at most 1/2
        index = new int[n];
        mask = n - 1;
    }

    int size() {
        return size;
    }

    boolean full() {
        return size == capacity;
    }

    /** The ring slot of this nonce (its 36 raw bytes), or -1. */
    int find(byte[] nonce) {
        for (int i = home(nonce, 0); ; i = (i + 1) & mask) {
            int s = index[i] - 1;
            if (s < 0) {
                return -1;
            }
            if (Arrays.equals(raw, s * NONCE_BYTES, (s + 1) * NONCE_BYTES, nonce, 0, NONCE_BYTES)) {
                return s;
            }
        }
    }

    long count(int slot) {
        return counts[slot];
    }

    void setCount(int slot, long count) {
        counts[slot] = count;
    }

    /** Adds a nonce not present; the caller has made room ({@link #full()} is false). */
    void add(byte[] nonce, long issuedAt, long count) {
        int s = (head + size) % capacity;
        System.arraycopy(nonce, 0, raw, s * NONCE_BYTES, NONCE_BYTES);
        issued[s] = issuedAt;
        counts[s] = count;
        int i = home(nonce, 0);
        while (index[i] != 0) {
            i = (i + 1) & mask;
        }
        index[i] = s + 1;
        size++;
    }

    /** Issue time of the oldest entry; only when {@link #size()} > 0. */
    long eldestIssuedAt() {
        return issued[head];
    }

    void removeEldest() {
        int s = head;
        int i = home(raw, s * NONCE_BYTES);
        while (index[i] != s + 1) {
            i = (i + 1) & mask;
        }
        // backward shift: move up every later entry of the run that may not stay behind the hole
        for (int j = (i + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            int k = home(raw, (index[j] - 1) * NONCE_BYTES);
            boolean stays = i <= j ? i < k && k <= j : i < k || k <= j;
            if (!stays) {
                index[i] = index[j];
                i = j;
            }
        }
        index[i] = 0;
        head = (head + 1) % capacity;
        size--;
    }

    interface Visitor {
        void visit(byte[] nonce, long issuedAt, long count);
    }

    /** Every entry, oldest first; the array passed is reused between calls. */
    void forEach(Visitor v) {
        byte[] one = new byte[NONCE_BYTES];
        for (int n = 0; n < size; n++) {
            int s = (head + n) % capacity;
            System.arraycopy(raw, s * NONCE_BYTES, one, 0, NONCE_BYTES);
            v.visit(one, issued[s], counts[s]);
        }
    }

    private int home(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[at + RANDOM_AT + i] & 0xff);
        }
        v *= 0x9E3779B97F4A7C15L; // the random bytes are uniform already; this only spreads them to the low bits
        return (int) (v >>> 32) & mask;
    }
}
