package org.confab.presence.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.confab.api.presence.AclEntry;
import org.confab.api.presence.AclRule;
import org.confab.api.presence.Authorization;
import org.confab.api.presence.WatcherState;
import org.junit.Test;

public class AuthorizerTest {

    private static final String ALICE = "sip:alice@example.com";

    private static Authorization decide(String watcher, boolean sameDomain, AclEntry... entries) {
        return Authorizer.decide(watcher, ALICE, List.of(entries), sameDomain);
    }

    private static AclEntry e(String subject, AclRule rule) {
        return new AclEntry(ALICE, subject, rule);
    }

    @Test
    public void mostSpecificEntryDecides() {
        assertEquals(WatcherState.BLOCKED, decide("sip:bob@example.com", true, e("sip:bob@example.com", AclRule.BLOCK)).state());
        assertEquals(WatcherState.ACTIVE, decide("sip:bob@evil.org", true, e("evil.org", AclRule.BLOCK),
                e("sip:bob@evil.org", AclRule.ALLOW)).state());
        assertEquals(WatcherState.BLOCKED, decide("sip:eve@evil.org", true, e("evil.org", AclRule.BLOCK),
                e("*", AclRule.ALLOW)).state());
        assertEquals(WatcherState.ACTIVE, decide("sip:carol@other.org", true, e("*", AclRule.ALLOW)).state());
        assertEquals(WatcherState.BLOCKED, decide("sip:bob@example.com", true, e("*", AclRule.BLOCK)).state());
        assertEquals("sip:alice@example.com blocks domain evil.org: sip:eve@evil.org sees offline",
                decide("sip:eve@evil.org", true, e("evil.org", AclRule.BLOCK)).reason());
    }

    @Test
    public void unlistedWatchersArePendingUnlessSameDomainPolicy() {
        assertEquals(WatcherState.ACTIVE, decide("sip:bob@example.com", true).state());
        assertEquals(WatcherState.PENDING, decide("sip:bob@example.com", false).state());
        Authorization other = decide("sip:carol@other.org", true);
        assertEquals(WatcherState.PENDING, other.state());
        assertEquals("no allow/block entry for sip:carol@other.org: waiting for sip:alice@example.com to decide",
                other.reason());
        assertEquals(WatcherState.ACTIVE, Authorizer.decide(ALICE, ALICE, List.of(e("*", AclRule.BLOCK)), false).state());
    }
}
