package org.confab.sip.transport.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

import org.confab.api.transport.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-INVITE server transactions over UDP in state Completed (RFC 3261 §17.2.2): for Timer J
 * (64*T1, 32 s) they only answer retransmissions of their request with their last response, so
 * that is all that is kept: the key and the bytes sent, not the request, the transaction object or
 * a timer.
 *
 * <p>Why not a map of small objects: at a few thousand requests a second the table holds 100,000+
 * entries that all live 32 s, long enough for the collector to copy each through the young
 * generation several times and then promote it. Measured under REGISTER load, that table alone
 * tripled young pauses (15 ms with it bounded to 1,000 entries, 50-80 ms at its default), and every
 * pause releases a burst of held-back responses that overflows the UDP client's socket buffer. So
 * the bytes (key and response) go into large chunks written in order, and the index is arrays of
 * primitives: a few long-lived objects, nothing per entry for the collector to copy or scan.
 *
 * <p>Entries are numbered in completion order ({@code seq}); every entry lives equally long, so
 * that order is also expiry order, and the oldest leave from the front. An entry lives in slot
 * {@code seq % max}, so beyond {@code max.completed.transactions} the oldest leave early, as they
 * do when the chunks (bounded to about {@value #BYTES_PER_ENTRY} bytes an entry) are full: a
 * retransmission that arrives after that is served as a new request (RFC 3261 §17.2.2 makes the
 * UAS absorb it; at that rate the price is memory, and the bound keeps a flood from taking it all).
 * Lookups follow a per-hash chain, newest first. One lock: adds are a few hundred bytes copied,
 * lookups happen only for retransmissions.
 *
 * <p>Where to resend goes into the chunk too: for a {@link DatagramFlow} (UDP) the listener as a
 * one-byte index into a short table and the remote address's bytes and port, so no flow object
 * (with its address and id) stays alive per entry; the flow is made again for a retransmission.
 * Keeping the flow objects cost about 200 bytes an entry that young collections copied: young
 * pauses at 3,000 MESSAGE/s were 18-25 ms with them.
 */
final class CompletedTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(CompletedTransactions.class);

    /** Chunk size: below a multiple of G1's region size so a chunk wastes little of its regions. */
    static final int CHUNK_BYTES = 4 * 1024 * 1024 - 1024;
    /** The memory bound, per entry allowed: a response over UDP plus its key is typically 0.4-0.8 KB. */
    static final int BYTES_PER_ENTRY = 1024;
    /** Listeners whose entries are kept as their parts; beyond, entries keep their flow object. */
    static final int MAX_SOURCES = 255;
    private static final int NO_SOURCE = 0xff;

    private final TimerService timers;
    private final long lingerMs;
    private final int max;
    private final int maxChunks;
    private final int chunkBytes;

    // per slot (seq % max); seqOf is 0 when the slot holds no live entry
    private final long[] seqOf;
    private final long[] untilOf;
    private final long[] nextOf; // the previous (older) entry with the same hash bucket
    private final int[] chunkOf;
    private final int[] genOf;
    private final int[] offsetOf;
    private final TransportFlow[] flowOf; // only for flows that are not kept as their parts
    /** Listeners of the entries kept as their parts; an entry names one by its index. */
    private final DatagramFlow.Source[] sources = new DatagramFlow.Source[MAX_SOURCES];
    private int sourceCount;
    // hash bucket -> newest seq in it
    private final long[] buckets;
    private final int mask;

    private byte[][] chunks = new byte[4][];
    private int[] chunkGen = new int[4];
    private long[] chunkNewestUntil = new long[4];
    private final ArrayDeque<Integer> chunkOrder = new ArrayDeque<>(); // oldest first; the last is written
    private int writeOffset;

    private long lastSeq;
    private long oldestSeq = 1; // no live entry has a smaller seq
    private int live;
    private long evictedEarly;

    CompletedTransactions(TimerService timers, long lingerMs, int max) {
        this(timers, lingerMs, max, CHUNK_BYTES);
    }

    CompletedTransactions(TimerService timers, long lingerMs, int max, int chunkBytes) {
        this.timers = timers;
        this.lingerMs = lingerMs;
        this.max = max;
        this.chunkBytes = chunkBytes;
        this.maxChunks = (int) Math.max(2, Math.min(Integer.MAX_VALUE / 2,
                ((long) max * BYTES_PER_ENTRY + chunkBytes - 1) / chunkBytes));
        seqOf = new long[max];
        untilOf = new long[max];
        nextOf = new long[max];
        chunkOf = new int[max];
        genOf = new int[max];
        offsetOf = new int[max];
        flowOf = new TransportFlow[max];
        int n = Integer.highestOneBit(Math.max(16, max)); // chains of 1-2 entries
        buckets = new long[n];
        mask = n - 1;
    }

    /** The transaction with this key completed with these bytes sent last. */
    void add(String key, Sent last) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] data = last.bytes();
        byte[] addr = partsOf(last.flow());
        // [key length][key][data length][data][source][address length][address][port]
        int need = 8 + k.length + data.length + 2 + (addr == null ? 0 : addr.length + 2);
        if (need > chunkBytes) {
            LOG.debug("Response of {} bytes not kept for Timer J: larger than a chunk", data.length);
            return;
        }
        int h = key.hashCode() & mask;
        synchronized (this) {
            int source = addr == null ? NO_SOURCE : sourceIndex(((DatagramFlow) last.flow()).source());
            long now = timers.now();
            expire(now);
            removeKey(h, k); // the same key again replaces the entry
            long seq = lastSeq + 1;
            int slot = slot(seq);
            if (seq - max >= oldestSeq) {
                evictOldest(now); // the slot's previous entry leaves before its Timer J
            }
            int chunk = reserve(need, now); // may drop the oldest entries: before seq counts as written
            lastSeq = seq;
            byte[] c = chunks[chunk];
            int off = writeOffset;
            putInt(c, off, k.length);
            System.arraycopy(k, 0, c, off + 4, k.length);
            int at = off + 4 + k.length;
            putInt(c, at, data.length);
            System.arraycopy(data, 0, c, at + 4, data.length);
            at += 4 + data.length;
            c[at] = (byte) source;
            if (source != NO_SOURCE) {
                c[at + 1] = (byte) addr.length;
                System.arraycopy(addr, 0, c, at + 2, addr.length);
                int port = last.flow().remoteAddress().getPort();
                c[at + 2 + addr.length] = (byte) (port >>> 8);
                c[at + 3 + addr.length] = (byte) port;
            }
            writeOffset = off + need;
            long until = now + lingerMs;
            chunkNewestUntil[chunk] = until;
            seqOf[slot] = seq;
            untilOf[slot] = until;
            chunkOf[slot] = chunk;
            genOf[slot] = chunkGen[chunk];
            offsetOf[slot] = off;
            flowOf[slot] = source == NO_SOURCE ? last.flow() : null;
            nextOf[slot] = buckets[h];
            buckets[h] = seq;
            live++;
        }
    }

    /** The remote address's bytes when the flow can be kept as its parts, else null. */
    private static byte[] partsOf(TransportFlow flow) {
        if (!(flow instanceof DatagramFlow)) {
            return null;
        }
        InetSocketAddress remote = flow.remoteAddress();
        InetAddress a = remote == null ? null : remote.getAddress();
        if (a == null || a instanceof Inet6Address v6 && v6.getScopeId() != 0) {
            return null; // unresolved, or a scoped IPv6 address the bytes alone do not give back
        }
        return a.getAddress();
    }

    /** The index of a listener in {@link #sources}, added if new; {@link #NO_SOURCE} when the table is full. */
    private int sourceIndex(DatagramFlow.Source source) {
        for (int i = 0; i < sourceCount; i++) {
            if (sources[i] == source) {
                return i;
            }
        }
        if (sourceCount == MAX_SOURCES) {
            return NO_SOURCE;
        }
        sources[sourceCount] = source;
        return sourceCount++;
    }

    /** Resends the last response if the key is a completed transaction; false if it is not (any more). */
    boolean absorb(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int h = key.hashCode() & mask;
        TransportFlow flow;
        byte[] data;
        synchronized (this) {
            int slot = find(h, k);
            if (slot < 0 || untilOf[slot] <= timers.now()) {
                return false;
            }
            byte[] c = chunks[chunkOf[slot]];
            int dataAt = offsetOf[slot] + 4 + k.length;
            int length = getInt(c, dataAt);
            data = Arrays.copyOfRange(c, dataAt + 4, dataAt + 4 + length);
            flow = flowOf[slot];
            int at = dataAt + 4 + length;
            int source = c[at] & 0xff;
            if (source != NO_SOURCE) {
                int alen = c[at + 1] & 0xff;
                int port = (c[at + 2 + alen] & 0xff) << 8 | (c[at + 3 + alen] & 0xff);
                try {
                    InetAddress a = InetAddress.getByAddress(Arrays.copyOfRange(c, at + 2, at + 2 + alen));
                    flow = sources[source].flow(new InetSocketAddress(a, port));
                } catch (UnknownHostException e) {
                    return false; // not reached: the bytes came from an address
                }
            }
        }
        try {
            flow.write(data); // RFC 3261 §17.2.2: a retransmitted request gets the last response again
        } catch (TransportException ex) {
            LOG.debug("Retransmission on {} failed: {}", flow.id(), ex.getMessage());
        }
        return true;
    }

    /** Forgets every entry whose Timer J has fired. */
    synchronized void expire(long now) {
        while (oldestSeq <= lastSeq) {
            int slot = slot(oldestSeq);
            if (seqOf[slot] == oldestSeq && untilOf[slot] > now) {
                return;
            }
            drop(slot, oldestSeq);
            oldestSeq++;
        }
    }

    synchronized int size() {
        return live;
    }

    /** Entries that keep a flow object (flows not kept as their parts): tests. */
    synchronized int flowsKept() {
        int n = 0;
        for (TransportFlow f : flowOf) {
            n += f == null ? 0 : 1;
        }
        return n;
    }

    synchronized long evictedEarly() {
        return evictedEarly;
    }

    /** Chunks allocated so far (each {@link #CHUNK_BYTES}); they are reused, never freed. */
    synchronized int chunks() {
        return chunkOrder.size();
    }

    // ---- under the lock

    private int slot(long seq) {
        return (int) (seq % max);
    }

    /** The slot of the live entry with this key, or -1. */
    private int find(int h, byte[] k) {
        long seq = buckets[h];
        while (seq >= oldestSeq && seq > 0) {
            int slot = slot(seq);
            if (seqOf[slot] == seq && genOf[slot] == chunkGen[chunkOf[slot]] && keyEquals(slot, k)) {
                return slot;
            }
            if (seqOf[slot] != seq && seqOf[slot] != 0) {
                return -1; // the slot was reused by a newer entry: the chain beyond it is gone
            }
            seq = nextOf[slot];
        }
        return -1;
    }

    private void removeKey(int h, byte[] k) {
        int slot = find(h, k);
        if (slot >= 0) {
            live--;
            seqOf[slot] = 0;
            flowOf[slot] = null;
            // nextOf stays: find() walks on through this slot to older entries until it is reused
        }
    }

    private boolean keyEquals(int slot, byte[] k) {
        byte[] c = chunks[chunkOf[slot]];
        int off = offsetOf[slot];
        return getInt(c, off) == k.length && Arrays.equals(c, off + 4, off + 4 + k.length, k, 0, k.length);
    }

    private void evictOldest(long now) {
        int slot = slot(oldestSeq);
        if (seqOf[slot] == oldestSeq && untilOf[slot] > now) {
            countEarly();
        }
        drop(slot, oldestSeq);
        oldestSeq++;
    }

    private void drop(int slot, long seq) {
        if (seqOf[slot] == seq) {
            seqOf[slot] = 0;
            flowOf[slot] = null;
            live--;
        }
    }

    private void countEarly() {
        if (evictedEarly++ % 10_000 == 0) {
            LOG.info("Completed transactions beyond max.completed.transactions ({}) or their memory: the oldest"
                    + " leave before Timer J ({} so far)", max, evictedEarly);
        }
    }

    /** The chunk to write {@code need} bytes into at {@link #writeOffset}: the current one, a fresh one or the oldest. */
    private int reserve(int need, long now) {
        Integer current = chunkOrder.peekLast();
        if (current != null && writeOffset + need <= chunkBytes) {
            return current;
        }
        Integer oldest = chunkOrder.peekFirst();
        int chunk;
        if (oldest != null && (chunkNewestUntil[oldest] <= now || chunkOrder.size() >= maxChunks)) {
            // every entry in the oldest chunk has expired (or memory is at its bound): write over it
            chunk = chunkOrder.pollFirst();
            chunkGen[chunk]++;
            while (oldestSeq <= lastSeq && chunkOf[slot(oldestSeq)] == chunk) {
                int slot = slot(oldestSeq);
                if (seqOf[slot] == oldestSeq && untilOf[slot] > now) {
                    countEarly();
                }
                drop(slot, oldestSeq);
                oldestSeq++;
            }
        } else {
            chunk = chunkOrder.size();
            if (chunk == chunks.length) {
                int n = chunks.length * 2;
                chunks = Arrays.copyOf(chunks, n);
                chunkGen = Arrays.copyOf(chunkGen, n);
                chunkNewestUntil = Arrays.copyOf(chunkNewestUntil, n);
            }
            chunks[chunk] = new byte[chunkBytes];
        }
        chunkOrder.addLast(chunk);
        writeOffset = 0;
        return chunk;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
