package org.confab.registrar.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.confab.api.store.Binding;
import org.confab.api.store.StoreException;
import org.junit.Test;

public class EndpointExpirationTest {

    private final Fakes.MutableClock clock = new Fakes.MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final Fakes.FakeLocationStore store = new Fakes.FakeLocationStore(clock);

    private Binding binding(String contact, long seconds) {
        return new Binding("sip:alice@example.com", contact, "f1", "TCP", "192.0.2.1:5060",
                clock.instant().plusSeconds(seconds), null, 0, "c", 1, "ua", 1000);
    }

    @Test
    public void removesOnlyLapsedBindings() {
        store.put(binding("sip:a@192.0.2.1", 10));
        store.put(binding("sip:b@192.0.2.2", 100));
        EndpointExpiration task = new EndpointExpiration();
        task.locationStore = store;
        task.clock = clock;
        assertEquals(0, task.runOnce());
        clock.advanceSeconds(10);
        assertEquals(1, task.runOnce());
        assertEquals(1, store.size());
        assertEquals("sip:b@192.0.2.2", store.all().get(0).contact());
    }

    @Test
    public void aFailingStoreDoesNotStopTheTask() {
        EndpointExpiration task = new EndpointExpiration();
        task.locationStore = store;
        task.clock = clock;
        store.failWith = new StoreException("down");
        assertEquals(0, task.runOnce());
        store.failWith = null;
        store.put(binding("sip:a@192.0.2.1", 1));
        clock.advanceSeconds(2);
        assertEquals(1, task.runOnce());
    }

    @Test
    public void scheduleStartsReconfiguresAndStops() {
        EndpointExpiration task = new EndpointExpiration();
        task.locationStore = store;
        task.activate(Fakes.config(Map.of("expire.interval.s", 3600)));
        long first = task.nextRunInSeconds();
        assertTrue(first > 3500 && first <= 3600);
        task.modified(Fakes.config(Map.of("expire.interval.s", 60)));
        long second = task.nextRunInSeconds();
        assertTrue(second > 0 && second <= 60);
        task.deactivate();
        assertEquals(-1, task.nextRunInSeconds());
    }
}
