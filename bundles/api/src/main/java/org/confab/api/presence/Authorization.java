package org.confab.api.presence;

import java.util.Objects;

/**
 * Why a watcher sees what it sees of a user.
 *
 * @param state  the watcher's state
 * @param reason one line for operators, e.g. "blocked by rule domain evil.example"
 */
public record Authorization(WatcherState state, String reason) {

    public Authorization {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
    }
}
