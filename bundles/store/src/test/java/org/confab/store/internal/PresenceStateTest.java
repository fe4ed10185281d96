package org.confab.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.confab.api.presence.Availability;
import org.confab.api.presence.EndpointState;
import org.confab.api.presence.Publication;
import org.confab.api.presence.Subscription;
import org.junit.Test;

/** The presence role's live state: its collections are read-only live views, not copies. */
public class PresenceStateTest {

    private final PresenceState state = new PresenceState();

    @Test
    public void theViewsShowLaterChangesAndRefuseWrites() {
        Collection<Subscription> subs = state.subscriptions();
        Collection<Publication> pubs = state.publications();
        assertTrue(subs.isEmpty() && pubs.isEmpty());
        state.putSubscription(subscription("s1"));
        state.putPublication(publication("e1"));
        assertEquals(1, subs.size());
        assertEquals("s1", subs.iterator().next().id());
        assertEquals(1, pubs.size());
        assertTrue(state.removeSubscription("s1"));
        assertTrue(state.removePublication("e1"));
        assertTrue(subs.isEmpty() && pubs.isEmpty());
        try {
            subs.clear();
            fail("the subscriptions view accepted a write");
        } catch (UnsupportedOperationException expected) {
            // only put/remove change the state
        }
    }

    @Test
    public void removingWhileWalkingTheViewIsSafeAndSeesEveryEntryOnce() {
        for (int i = 0; i < 1000; i++) {
            state.putSubscription(subscription("s" + i));
        }
        Set<String> seen = new HashSet<>();
        for (Subscription s : state.subscriptions()) {      // as the sweep ends expired ones
            assertTrue("seen twice: " + s.id(), seen.add(s.id()));
            assertTrue(state.removeSubscription(s.id()));
        }
        assertEquals(1000, seen.size());
        assertTrue(state.subscriptions().isEmpty());
        assertFalse(state.subscription("s1").isPresent());
    }

    private static Subscription subscription(String id) {
        return new Subscription(id, "presence", "sip:bob@example.com", "sip:alice@example.com", "call-" + id,
                "lt", "rt", "sip:alice@example.com", "sip:bob@example.com", "sip:bob@127.0.0.1:5070",
                List.of(), "flow", "UDP", "127.0.0.1", 5070, 1, Instant.now().plusSeconds(600), 0);
    }

    private static Publication publication(String etag) {
        EndpointState st = new EndpointState(etag, Availability.ONLINE, "", "", Instant.now(), "ua");
        return new Publication(etag, "sip:alice@example.com", st, Instant.now().plusSeconds(60));
    }
}
