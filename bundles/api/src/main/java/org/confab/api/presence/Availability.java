package org.confab.api.presence;

import java.util.Locale;

/**
 * How reachable a user or one of its endpoints is, from the most to the least available. The
 * order is the composition order: of several endpoints, the one earliest in this list wins.
 * {@link #msAvail()} is the value Communicator-era clients use for the same state
 * (MS-DIALECT §5.1 and §5.4), so both dialects render one model.
 */
public enum Availability {
    /** Signed in and available. */
    ONLINE(3500),
    /** Busy (in a call or a meeting). */
    BUSY(6500),
    /** Do not disturb. */
    DO_NOT_DISTURB(9500),
    /** Be right back. */
    BE_RIGHT_BACK(12500),
    /** Away or idle. */
    AWAY(15500),
    /** Offline, signed out or hidden (also what a blocked watcher sees). */
    OFFLINE(18500);

    private final int msAvail;

    Availability(int msAvail) {
        this.msAvail = msAvail;
    }

    /** The {@code <state avail>} value of the msrtc dialect. */
    public int msAvail() {
        return msAvail;
    }

    /** True when this state is more available than the other. */
    public boolean moreAvailableThan(Availability other) {
        return ordinal() < other.ordinal();
    }

    /** Lower-case, hyphenated name for people and logs ("do-not-disturb"). */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The state named by {@link #label()} or the enum name, any case; IllegalArgumentException otherwise. */
    public static Availability parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Availability a : values()) {
            if (a.name().equals(t)) {
                return a;
            }
        }
        throw new IllegalArgumentException("Unknown availability \"" + text + "\"");
    }
}
