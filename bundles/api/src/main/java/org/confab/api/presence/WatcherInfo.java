package org.confab.api.presence;

import java.time.Instant;
import java.util.Objects;

/**
 * One subscription seen from the watched user's side (RFC 3857 watcher), for introspection.
 *
 * @param watcher    who watches (canonical URI)
 * @param presentity who is watched
 * @param event      "presence" or "presence.winfo"
 * @param state      what the watcher is allowed to see
 * @param expires    when the subscription lapses
 */
public record WatcherInfo(String watcher, String presentity, String event, WatcherState state, Instant expires) {

    public WatcherInfo {
        Objects.requireNonNull(watcher, "watcher");
        Objects.requireNonNull(presentity, "presentity");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(expires, "expires");
    }
}
