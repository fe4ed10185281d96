package org.confab.api.presence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The composed presence of one user: what watchers are told. Built from the publications of
 * the user's endpoints by {@link #compose}; renderers (PIDF, msrtc.pidf) read only this.
 *
 * @param uri          the user's canonical address of record
 * @param availability the most available state among the endpoints, {@link Availability#OFFLINE} with none
 * @param activity     the activity of the endpoint that gave the availability, or empty
 * @param notes        the distinct non-empty notes of all endpoints, newest first
 * @param endpoints    the endpoints' own states, most available first
 */
public record Presence(String uri, Availability availability, String activity, List<String> notes,
                       List<EndpointState> endpoints) {

    public Presence {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(availability, "availability");
        activity = activity == null ? "" : activity;
        notes = List.copyOf(notes);
        endpoints = List.copyOf(endpoints);
    }

    /** A user with no endpoint, or what a blocked watcher is shown. */
    public static Presence offline(String uri) {
        return new Presence(uri, Availability.OFFLINE, "", List.of(), List.of());
    }

    /** True unless offline. */
    public boolean isOnline() {
        return availability != Availability.OFFLINE;
    }

    /** The first note, or empty. */
    public String note() {
        return notes.isEmpty() ? "" : notes.get(0);
    }

    /**
     * Composes the endpoints' publications into one presence: the most available state wins
     * (on a tie the newest publication), every distinct note is kept (newest first), and a user
     * with no endpoint is offline.
     */
    public static Presence compose(String uri, List<EndpointState> endpoints) {
        if (endpoints.isEmpty()) {
            return offline(uri);
        }
        List<EndpointState> sorted = new ArrayList<>(endpoints);
        sorted.sort(Comparator.comparing(EndpointState::availability)
                .thenComparing(EndpointState::since, Comparator.reverseOrder())
                .thenComparing(EndpointState::endpointId));
        EndpointState best = sorted.get(0);
        List<EndpointState> byTime = new ArrayList<>(endpoints);
        byTime.sort(Comparator.comparing(EndpointState::since, Comparator.reverseOrder())
                .thenComparing(EndpointState::endpointId));
        List<String> notes = new ArrayList<>();
        for (EndpointState e : byTime) {
            if (!e.note().isBlank() && !notes.contains(e.note())) {
                notes.add(e.note());
            }
        }
        return new Presence(uri, best.availability(), best.activity(), notes, sorted);
    }
}
