package org.confab.api.presence;

import java.time.Instant;
import java.util.Objects;

/**
 * One live presence publication (RFC 3903 §6): an endpoint's state under an entity tag.
 *
 * @param etag    the entity tag the server assigned (SIP-ETag), which the endpoint refreshes with
 * @param aor     the presentity (canonical URI)
 * @param state   what was published; {@link EndpointState#endpointId()} equals the etag's first value
 * @param expires when it lapses unless refreshed
 */
public record Publication(String etag, String aor, EndpointState state, Instant expires) {

    public Publication {
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(aor, "aor");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(expires, "expires");
    }
}
