package org.confab.api.presence;

import java.time.Instant;
import java.util.Objects;

/**
 * What one endpoint of a user published about itself.
 *
 * @param endpointId  identifies the endpoint's publication (the entity tag of a PUBLISH, an epid)
 * @param availability how available the endpoint says the user is
 * @param activity    a finer activity token (RFC 4480 activity names such as "on-the-phone",
 *                    "meeting", "lunch"), or empty
 * @param note        free text the user set, or empty
 * @param since       when the endpoint published this state
 * @param device      what the endpoint is (User-Agent, device name), or empty
 */
public record EndpointState(String endpointId, Availability availability, String activity, String note,
                            Instant since, String device) {

    public EndpointState {
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(availability, "availability");
        Objects.requireNonNull(since, "since");
        activity = activity == null ? "" : activity;
        note = note == null ? "" : note;
        device = device == null ? "" : device;
    }

    /** The same state under another endpoint id. */
    public EndpointState withEndpointId(String id) {
        return new EndpointState(id, availability, activity, note, since, device);
    }
}
