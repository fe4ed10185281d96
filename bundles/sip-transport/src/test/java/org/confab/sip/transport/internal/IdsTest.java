package org.confab.sip.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.Test;

/** Tags and branches: their form, and no repeats within and across threads (each has its own generator). */
public class IdsTest {

    @Test
    public void branchesAndTagsHaveTheirForm() {
        for (int i = 0; i < 1000; i++) {
            String branch = Ids.branch();
            assertEquals(branch, 27, branch.length());
            assertTrue(branch, branch.startsWith(Ids.MAGIC_COOKIE));
            assertTrue(branch, branch.substring(7).matches("[0-9a-z]{20}"));
            assertTrue(Ids.tag().matches("[0-9a-z]{12}"));
            assertTrue(Ids.random(10).matches("[0-9a-z]{10}"));
        }
    }

    @Test
    public void noRepeatsAcrossThreads() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                Set<String> mine = new HashSet<>();
                for (int i = 0; i < 20_000; i++) {
                    mine.add(Ids.tag());
                    mine.add(Ids.branch());
                }
                seen.addAll(mine);
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(threads.length * 40_000, seen.size());
    }

    @Test
    public void charactersAreSpreadOverTheAlphabet() {
        int[] counts = new int[128];
        for (int i = 0; i < 10_000; i++) {
            for (char c : Ids.tag().toCharArray()) {
                counts[c]++;
            }
        }
        for (char c : "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray()) {
            assertTrue(c + ": " + counts[c], counts[c] > 2000);
        }
    }
}
