package org.confab.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.confab.api.store.Binding;
import org.confab.api.store.StoreException;
import org.junit.After;
import org.junit.Test;

public class LocationStoreTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final String ALICE = "sip:alice@example.com";
    private static final String BOB = "sip:bob@example.com";

    private final StoreTestSupport.MutableClock clock = new StoreTestSupport.MutableClock(T0);
    private String url;
    private RtcStore store;

    private void start(long flushMillis, int maxBindings) {
        url = StoreTestSupport.memoryUrl();
        store = StoreTestSupport.start(StoreTestSupport.settings(url, flushMillis, maxBindings), clock);
    }

    @After
    public void tearDown() {
        if (store != null) {
            store.deactivate();
        }
        if (url != null) {
            StoreTestSupport.drop(url);
        }
    }

    static Binding binding(String aor, String contact, long expiresIn, String instance, int regId, int q) {
        return new Binding(aor, contact, "flow-" + contact.hashCode(), "TCP", "192.0.2.1:5060",
                T0.plusSeconds(expiresIn), instance, regId, "call-" + contact.hashCode(), 1, "Test UA", q);
    }

    @Test
    public void putThenReadAndRefresh() {
        start(60_000, 1000);
        Binding b = binding(ALICE, "sip:alice@192.0.2.1:5060;transport=tcp", 3600, null, 0, 1000);
        store.put(b);
        assertEquals(List.of(b), store.bindings(ALICE));
        assertEquals("lookups canonicalise the AOR", List.of(b), store.bindings("sip:alice@EXAMPLE.com"));
        assertEquals(List.of(), store.bindings(BOB));
        assertEquals(List.of(), store.bindings(null));
        assertEquals(1, store.size());

        Binding refreshed = new Binding(ALICE, b.contact(), b.flowId(), "TCP", b.source(), T0.plusSeconds(7200),
                null, 0, b.callId(), 2, "Test UA", 1000);
        store.put(refreshed);
        assertEquals("same contact replaces", List.of(refreshed), store.bindings(ALICE));
        assertEquals(1, store.size());
    }

    @Test
    public void sameInstanceAndRegIdReplacesEvenWithAnotherContact() {
        start(60_000, 1000);
        String inst = "<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>";
        store.put(binding(ALICE, "sip:alice@192.0.2.1:5060", 3600, inst, 1, 1000));
        store.put(binding(ALICE, "sip:alice@192.0.2.1:5062", 3600, inst, 2, 1000));
        assertEquals("another reg-id is another flow (RFC 5626)", 2, store.bindings(ALICE).size());
        Binding moved = binding(ALICE, "sip:alice@198.51.100.7:6000", 3600, inst, 1, 1000);
        store.put(moved);
        List<String> contacts = contacts(store.bindings(ALICE));
        assertEquals(2, contacts.size());
        assertTrue(contacts.contains("sip:alice@198.51.100.7:6000"));
        assertTrue(contacts.contains("sip:alice@192.0.2.1:5062"));
        assertFalse(contacts.contains("sip:alice@192.0.2.1:5060"));
        assertEquals(2, store.size());
    }

    @Test
    public void orderedByQThenLongestLived() {
        start(60_000, 1000);
        store.put(binding(ALICE, "sip:a@192.0.2.1", 600, null, 0, 500));
        store.put(binding(ALICE, "sip:b@192.0.2.1", 600, null, 0, 1000));
        store.put(binding(ALICE, "sip:c@192.0.2.1", 900, null, 0, 500));
        store.put(binding(ALICE, "sip:d@192.0.2.1", 600, null, 0, 0));
        assertEquals(List.of("sip:b@192.0.2.1", "sip:c@192.0.2.1", "sip:a@192.0.2.1", "sip:d@192.0.2.1"),
                contacts(store.bindings(ALICE)));
    }

    @Test
    public void expiredBindingsAreInvisibleBeforeExpireRuns() {
        start(60_000, 1000);
        store.put(binding(ALICE, "sip:short@192.0.2.1", 30, null, 0, 1000));
        store.put(binding(ALICE, "sip:long@192.0.2.1", 3600, null, 0, 1000));
        store.put(binding(BOB, "sip:bob@192.0.2.2", 30, null, 0, 1000));
        clock.advanceSeconds(30);
        assertEquals(List.of("sip:long@192.0.2.1"), contacts(store.bindings(ALICE)));
        assertEquals(List.of(), store.bindings(BOB));
        assertEquals(1, store.size());
        assertEquals(List.of("sip:long@192.0.2.1"), contacts(store.all()));
        assertEquals("expired one counts as absent", false, store.remove(BOB, "sip:bob@192.0.2.2"));
        assertEquals(1, store.expire(clock.instant()));
        assertEquals(0, store.expire(clock.instant()));
        assertEquals(1, store.size());
    }

    @Test
    public void removeAndRemoveAll() {
        start(60_000, 1000);
        store.put(binding(ALICE, "sip:a@192.0.2.1", 600, null, 0, 1000));
        store.put(binding(ALICE, "sip:b@192.0.2.1", 600, null, 0, 1000));
        store.put(binding(ALICE, "sip:c@192.0.2.1", 600, null, 0, 1000));
        store.put(binding(BOB, "sip:bob@192.0.2.2", 600, null, 0, 1000));
        assertTrue(store.remove(ALICE, "sip:b@192.0.2.1"));
        assertFalse(store.remove(ALICE, "sip:b@192.0.2.1"));
        assertFalse(store.remove(ALICE, "sip:nobody@192.0.2.1"));
        assertEquals(List.of("sip:a@192.0.2.1", "sip:c@192.0.2.1"), contacts(store.bindings(ALICE)));
        assertEquals(2, store.removeAll("alice@example.com"));
        assertEquals(0, store.removeAll(ALICE));
        assertEquals(List.of(), store.bindings(ALICE));
        assertEquals(1, store.size());
        assertEquals(List.of(BOB), store.all().stream().map(Binding::aor).collect(Collectors.toList()));
    }

    @Test
    public void allIsSortedByAor() {
        start(60_000, 1000);
        store.put(binding("sip:zed@example.com", "sip:z@192.0.2.9", 600, null, 0, 1000));
        store.put(binding(BOB, "sip:b@192.0.2.2", 600, null, 0, 1000));
        store.put(binding(ALICE, "sip:a@192.0.2.1", 600, null, 0, 1000));
        assertEquals(List.of(ALICE, BOB, "sip:zed@example.com"),
                store.all().stream().map(Binding::aor).collect(Collectors.toList()));
    }

    @Test
    public void aRefreshThatOnlyMovesTheExpiryIsWrittenOnlyWhenTheDiskCopyNearsItsEnd() throws Exception {
        start(60_000, 1000);
        Binding b = binding(ALICE, "sip:alice@192.0.2.1:5060;transport=tcp", 3600, null, 0, 1000);
        store.put(b);
        store.flush();
        assertEquals(1, store.locations().commits.get());

        // refreshed 10 s later for another hour: the disk copy still has 3590 s > 1800 s: no write
        clock.advanceSeconds(10);
        Binding refresh = new Binding(ALICE, b.contact(), b.flowId(), "TCP", b.source(), T0.plusSeconds(3610),
                null, 0, "a-new-call-id", 2, "Test UA", 1000);
        store.put(refresh);
        assertEquals("memory has the refresh at once", List.of(refresh), store.bindings(ALICE));
        assertEquals(0, store.locations().pending());
        assertEquals(1, store.locations().refreshesNotWritten.get());

        // half an hour later the disk copy has less than half of the lifetime left: the refresh is written
        clock.advanceSeconds(1890);
        Binding late = new Binding(ALICE, b.contact(), b.flowId(), "TCP", b.source(), T0.plusSeconds(5500),
                null, 0, b.callId(), 3, "Test UA", 1000);
        store.put(late);
        assertEquals(1, store.locations().pending());
        store.flush();
        assertEquals("the later expiry is on disk", 1, StoreTestSupport.count(url,
                "SELECT COUNT(*) FROM RTC.BINDINGS WHERE EXPIRES = " + T0.plusSeconds(5500).toEpochMilli()));

        // anything else that changes (here the flow: the phone reconnected) is written at once
        Binding moved = new Binding(ALICE, b.contact(), "flow-other", "TCP", b.source(), T0.plusSeconds(5500),
                null, 0, b.callId(), 4, "Test UA", 1000);
        store.put(moved);
        assertEquals(1, store.locations().pending());
    }

    @Test
    public void writesAreBehindAndGroupCommitted() throws Exception {
        start(60_000, 10_000);
        for (int i = 0; i < 500; i++) {
            store.put(binding("sip:user" + i + "@example.com", "sip:u" + i + "@192.0.2.1", 600, null, 0, 1000));
        }
        // nothing waited on the disk: with a 60 s period nothing is there yet
        assertEquals(0, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.BINDINGS"));
        assertEquals(500, store.locations().pending());
        assertEquals(0, store.locations().commits.get());
        store.flush();
        assertEquals(500, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.BINDINGS"));
        assertEquals("500 registrations, one commit", 1, store.locations().commits.get());
        assertEquals(0, store.locations().pending());
        store.flush();
        assertEquals("nothing pending, nothing written", 1, store.locations().commits.get());
    }

    @Test
    public void backgroundWriterFlushesWithinTheWindow() throws Exception {
        start(50, 10_000);
        assertEquals(50, store.durabilityWindowMillis());
        int puts = 0;
        // each round changes the User-Agent, so every round is a change to write, not a bare refresh
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 100; i++) {
                store.put(new Binding("sip:user" + i + "@example.com", "sip:u" + i + "@192.0.2.1", null, "UDP",
                        "192.0.2.1:5060", T0.plusSeconds(600 + round), null, 0, "c" + i, round + 1, "UA " + round, 1000));
                puts++;
            }
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.BINDINGS WHERE CSEQ = 5") < 100
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("the writer thread wrote the last state of every AOR", 100,
                StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.BINDINGS WHERE CSEQ = 5"));
        assertEquals(100, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.BINDINGS"));
        // waits for a write in progress (its commit counted); nothing is left to write
        store.flush();
        long commits = store.locations().commits.get();
        assertTrue("commits " + commits + " for " + puts + " puts", commits >= 1 && commits <= puts / 10);
    }

    @Test
    public void removalsAndExpiryReachTheDisk() throws Exception {
        start(60_000, 1000);
        store.put(binding(ALICE, "sip:a@192.0.2.1", 600, null, 0, 1000));
        store.put(binding(ALICE, "sip:b@192.0.2.1", 30, null, 0, 1000));
        store.put(binding(BOB, "sip:bob@192.0.2.2", 600, null, 0, 1000));
        store.flush();
        assertEquals(3, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.BINDINGS"));
        store.remove(ALICE, "sip:a@192.0.2.1");
        clock.advanceSeconds(60);
        assertEquals(1, store.expire(clock.instant()));
        store.removeAll(BOB);
        store.flush();
        assertEquals(0, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.BINDINGS"));
        assertEquals(0, store.size());
    }

    @Test
    public void fullStoreRefusesNewBindingsButAcceptsRefreshes() {
        start(60_000, 3);
        store.put(binding(ALICE, "sip:a@192.0.2.1", 600, null, 0, 1000));
        store.put(binding(ALICE, "sip:b@192.0.2.1", 600, null, 0, 1000));
        store.put(binding(BOB, "sip:c@192.0.2.1", 30, null, 0, 1000));
        try {
            store.put(binding(BOB, "sip:d@192.0.2.1", 600, null, 0, 1000));
            fail("accepted a binding beyond max.bindings.total");
        } catch (StoreException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("max.bindings.total"));
        }
        store.put(binding(ALICE, "sip:a@192.0.2.1", 900, null, 0, 1000));
        assertEquals("a refresh is not a new binding", 3, store.size());
        clock.advanceSeconds(60);
        store.put(binding(BOB, "sip:d@192.0.2.1", 600, null, 0, 1000));
        assertEquals("a lapsed binding made room", 3, store.size());
    }

    @Test
    public void badBindingsAreRefusedAndNothingChanges() {
        start(60_000, 1000);
        List<Binding> bad = List.of(
                binding("", "sip:a@192.0.2.1", 600, null, 0, 1000),
                binding("sip:alice@exa mple.com", "sip:a@192.0.2.1", 600, null, 0, 1000),
                binding("sips:alice@example.com", "sip:a@192.0.2.1", 600, null, 0, 1000),
                binding(ALICE, " ", 600, null, 0, 1000),
                binding(ALICE, "sip:" + "x".repeat(BindingTable.MAX_CONTACT) + "@192.0.2.1", 600, null, 0, 1000),
                binding(ALICE, "sip:a@192.0.2.1", 600, null, 0, 1001),
                binding(ALICE, "sip:a@192.0.2.1", 600, null, -1, 1000));
        for (Binding b : bad) {
            try {
                store.put(b);
                fail("accepted " + b);
            } catch (StoreException e) {
                assertFalse(e.getMessage().isEmpty());
            }
        }
        try {
            store.put(null);
            fail();
        } catch (StoreException e) {
            assertEquals("A binding is required", e.getMessage());
        }
        for (String aor : new String[] {null, "", "nonsense"}) {
            try {
                store.removeAll(aor);
                fail();
            } catch (StoreException e) {
                assertFalse(e.getMessage().isEmpty());
            }
        }
        try {
            store.remove(ALICE, null);
            fail();
        } catch (StoreException e) {
            assertEquals("A contact URI is required", e.getMessage());
        }
        assertEquals(0, store.size());
        assertEquals(0, store.locations().pending());
    }

    @Test
    public void longUserAgentIsCutNotRefused() throws Exception {
        start(60_000, 1000);
        store.put(new Binding(ALICE, "sip:a@192.0.2.1", null, "UDP", "192.0.2.1:5060", T0.plusSeconds(60), null, 0,
                "c", 1, "U".repeat(1000), 1000));
        assertEquals(BindingTable.MAX_USER_AGENT, store.bindings(ALICE).get(0).userAgent().length());
        store.flush();
        assertEquals(1, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.BINDINGS"));
    }

    @Test
    public void concurrentChangesEndWithTheDiskEqualToMemory() throws Exception {
        start(5, 100_000);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            done.add(pool.submit(() -> {
                Random random = new Random(seed);
                for (int i = 0; i < 400; i++) {
                    String aor = "sip:user" + random.nextInt(20) + "@example.com";
                    String contact = "sip:c" + random.nextInt(5) + "@192.0.2.1";
                    switch (random.nextInt(4)) {
                        case 0 -> store.remove(aor, contact);
                        case 1 -> {
                            if (random.nextInt(10) == 0) {
                                store.removeAll(aor);
                            }
                        }
                        default -> store.put(binding(aor, contact, 600 + i, null, 0, 1000));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        store.flush();
        Set<String> memory = new HashSet<>();
        for (Binding b : store.all()) {
            memory.add(b.aor() + " " + b.contact() + " " + b.expires().toEpochMilli());
        }
        Set<String> disk = new HashSet<>();
        try (Connection c = StoreTestSupport.open(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT AOR, CONTACT, EXPIRES FROM RTC.BINDINGS")) {
            while (rs.next()) {
                disk.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3));
            }
        }
        assertEquals(memory, disk);
        assertEquals(memory.size(), store.size());
        assertTrue("the writer ran in the background", store.locations().commits.get() >= 1);
    }

    private static List<String> contacts(List<Binding> bindings) {
        return bindings.stream().map(Binding::contact).collect(Collectors.toList());
    }
}
