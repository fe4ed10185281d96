package org.confab.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.confab.api.store.Binding;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Bindings outlive a restart of the store: a new instance on the same database directory gets them back. */
public class DurabilityTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void unexpiredBindingsComeBackExpiredOnesAreGone() throws Exception {
        String url = StoreTestSupport.directoryUrl(tmp.getRoot().toPath());
        StoreTestSupport.MutableClock clock = new StoreTestSupport.MutableClock(T0);
        // a period far beyond the test: only deactivate can have written them
        RtcStore first = StoreTestSupport.start(StoreTestSupport.settings(url, 600_000, 1000), clock);
        Binding keep = new Binding("sip:alice@example.com", "sip:alice@192.0.2.1:5060;transport=tcp", "flow-1",
                "TCP", "192.0.2.1:5060", T0.plusSeconds(3600), "<urn:uuid:1>", 1, "call-1", 7, "Phone/1.0", 800);
        Binding lapse = new Binding("sip:alice@example.com", "sip:alice@192.0.2.1:5070", null, "UDP",
                "192.0.2.1:5070", T0.plusSeconds(30), null, 0, "call-2", 3, null, 1000);
        Binding other = new Binding("sip:bob@example.com", "sip:bob@[2001:db8::1]:5060", "flow-2", "TLS",
                "[2001:db8::1]:5060", T0.plusSeconds(600), null, 0, "call-3", 1, "Softphone", 1000);
        first.put(keep);
        first.put(lapse);
        first.put(other);
        assertEquals(0, first.locations().commits.get());
        first.deactivate();
        assertEquals(3, StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.BINDINGS"));

        clock.advanceSeconds(60);
        RtcStore second = StoreTestSupport.start(StoreTestSupport.settings(url, 600_000, 1000), clock);
        try {
            assertEquals("every field survives", List.of(keep), second.bindings("sip:alice@example.com"));
            assertEquals(List.of(other), second.bindings("sip:bob@example.com"));
            assertEquals(2, second.size());
            assertEquals("the lapsed row was deleted at load", 2,
                    StoreTestSupport.count(url, "SELECT COUNT(*) FROM RTC.BINDINGS"));
        } finally {
            second.deactivate();
        }
    }

    @Test
    public void reactivationOnTheSameDirectoryKeepsEverything() throws Exception {
        String url = StoreTestSupport.directoryUrl(tmp.getRoot().toPath());
        StoreTestSupport.MutableClock clock = new StoreTestSupport.MutableClock(T0);
        RtcStore store = StoreTestSupport.start(StoreTestSupport.settings(url), clock);
        store.add("example.com");
        store.create("sip:alice@example.com", "Alice", null);
        for (int i = 0; i < 50; i++) {
            store.put(new Binding("sip:alice@example.com", "sip:alice@192.0.2." + i, null, "UDP", "192.0.2.1:5060",
                    T0.plusSeconds(100 + i), null, 0, "c", 1, "", 1000));
        }
        store.deactivate();
        for (int round = 0; round < 2; round++) {
            store = StoreTestSupport.start(StoreTestSupport.settings(url), clock);
            try {
                assertTrue(store.isServed("example.com"));
                assertTrue(store.find("sip:alice@example.com").isPresent());
                List<Binding> back = store.bindings("sip:alice@example.com");
                assertEquals(50, back.size());
                assertEquals("sip:alice@192.0.2.49", back.get(0).contact());
                assertEquals(List.of("sip:alice@example.com"),
                        store.all().stream().map(Binding::aor).distinct().collect(Collectors.toList()));
            } finally {
                store.deactivate();
            }
        }
    }
}
