package org.confab.registrar.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.Test;

/** The nonce-count table against a LinkedHashMap doing the same, colliding hashes included. */
public class NonceCountsTest {

    /** A nonce whose hashed bytes (8..15) are {@code home} and whose other bytes make it unique. */
    private static byte[] nonce(long home, long unique) {
        return ByteBuffer.allocate(NonceCounts.NONCE_BYTES).putLong(unique).putLong(home).putLong(~unique).array();
    }

    private static String key(byte[] n) {
        return java.util.HexFormat.of().formatHex(n);
    }

    @Test
    public void findsCountsAndEvictsOldestFirstLikeAMap() {
        for (long seed = 1; seed <= 20; seed++) {
            Random r = new Random(seed);
            int capacity = 1 + r.nextInt(40);
            NonceCounts table = new NonceCounts(capacity);
            Map<String, long[]> model = new LinkedHashMap<>();
            List<byte[]> seen = new ArrayList<>();
            for (int op = 0; op < 5000; op++) {
                // few distinct homes: long probe runs, so deletions must shift entries back
                byte[] n = r.nextInt(3) == 0 && !seen.isEmpty()
                        ? seen.get(r.nextInt(seen.size()))
                        : nonce(r.nextInt(4), r.nextLong());
                seen.add(n);
                int slot = table.find(n);
                long[] m = model.get(key(n));
                assertEquals("seed " + seed + " op " + op, m != null, slot >= 0);
                if (m != null) {
                    assertEquals(m[1], table.count(slot));
                    table.setCount(slot, m[1] + 1);
                    m[1]++;
                } else {
                    if (table.full()) {
                        String eldest = model.keySet().iterator().next();
                        assertEquals(model.get(eldest)[0], table.eldestIssuedAt());
                        table.removeEldest();
                        model.remove(eldest);
                    }
                    table.add(n, op, 1);
                    model.put(key(n), new long[] {op, 1});
                }
                assertEquals(model.size(), table.size());
            }
            for (byte[] n : seen) {
                assertEquals(model.containsKey(key(n)), table.find(n) >= 0);
            }
            List<String> order = new ArrayList<>();
            table.forEach((raw, at, count) -> order.add(key(raw)));
            assertEquals(new ArrayList<>(model.keySet()), order);
        }
    }

    @Test
    public void emptiesCompletely() {
        NonceCounts table = new NonceCounts(3);
        byte[] a = nonce(7, 1);
        byte[] b = nonce(7, 2);
        table.add(a, 10, 1);
        table.add(b, 11, 1);
        assertTrue(table.find(b) >= 0);
        table.removeEldest();
        assertEquals(-1, table.find(a));
        assertTrue("the entry behind the removed one in its run is still found", table.find(b) >= 0);
        table.removeEldest();
        assertEquals(0, table.size());
        assertEquals(-1, table.find(b));
        assertFalse(table.full());
    }
}
