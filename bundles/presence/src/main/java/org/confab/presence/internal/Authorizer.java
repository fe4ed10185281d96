package org.confab.presence.internal;

import java.util.List;
import org.confab.api.presence.AclEntry;
import org.confab.api.presence.AclRule;
import org.confab.api.presence.Authorization;
import org.confab.api.presence.WatcherState;

/**
 * Watcher authorization (RFC 3857 §3.3 states, polite blocking): the most specific entry of the
 * owner's list that matches the watcher decides (user before domain before everyone); without
 * one, a watcher of the owner's own domain is active when the pool allows it, else pending.
 */
final class Authorizer {

    private Authorizer() {
    }

    static Authorization decide(String watcher, String owner, List<AclEntry> entries, boolean sameDomainAllowed) {
        if (watcher.equals(owner)) {
            return new Authorization(WatcherState.ACTIVE, "a user always sees its own presence");
        }
        AclEntry best = null;
        for (AclEntry e : entries) {
            if (e.matches(watcher) && (best == null || e.specificity() > best.specificity())) {
                best = e;
            }
        }
        if (best != null) {
            String what = best.specificity() == 3 ? "user " + best.subject()
                    : best.specificity() == 2 ? "domain " + best.subject() : "everyone (*)";
            return best.rule() == AclRule.BLOCK
                    ? new Authorization(WatcherState.BLOCKED, owner + " blocks " + what + ": " + watcher + " sees offline")
                    : new Authorization(WatcherState.ACTIVE, owner + " allows " + what);
        }
        if (domainOf(watcher).equals(domainOf(owner))) {
            return sameDomainAllowed
                    ? new Authorization(WatcherState.ACTIVE, "same domain " + domainOf(owner)
                            + ", allowed by the pool policy (no allow/block entry)")
                    : new Authorization(WatcherState.PENDING, "no allow/block entry and the pool does not allow"
                            + " same-domain watchers: waiting for " + owner + " to decide");
        }
        return new Authorization(WatcherState.PENDING, "no allow/block entry for " + watcher
                + ": waiting for " + owner + " to decide");
    }

    static String domainOf(String uri) {
        return uri.substring(uri.lastIndexOf('@') + 1);
    }
}
