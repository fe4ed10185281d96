package org.confab.api.presence;

import java.util.Locale;

/** Where a watcher stands with the user it watches (RFC 3857 §3.3 status, plus polite blocking). */
public enum WatcherState {
    /** Authorized: sees the user's presence. */
    ACTIVE,
    /** Neither allowed nor blocked: waits for the user's decision and sees nothing yet. */
    PENDING,
    /** Blocked: is told the user is offline, and nothing more. */
    BLOCKED;

    /** Lower-case name as shown to operators. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
