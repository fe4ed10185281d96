package org.confab.api.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One registered endpoint of a user (RFC 3261 §10, RFC 5626): a contact bound to an address of
 * record until it expires.
 *
 * @param aor         address of record, canonical {@code sip:user@domain}
 * @param contact     the Contact URI as the endpoint sent it
 * @param flowId      the flow the REGISTER arrived on (reuse it to reach the endpoint), or null
 * @param transport   "UDP", "TCP" or "TLS" of that flow
 * @param source      the source address the REGISTER came from, "host:port" (IPv6 in brackets)
 * @param expires     when the binding lapses
 * @param instanceId  the {@code +sip.instance} of the endpoint, or null
 * @param regId       the {@code reg-id}, or 0
 * @param callId      Call-ID of the REGISTER that made or refreshed it
 * @param cseq        its CSeq number (RFC 3261 §10.3 step 7: older ones are refused)
 * @param userAgent   the User-Agent header, or empty
 * @param q           the q-value times 1000 (1000 when absent)
 */
public record Binding(String aor, String contact, String flowId, String transport, String source,
                      Instant expires, String instanceId, int regId, String callId, long cseq,
                      String userAgent, int q) {

    public Binding {
        Objects.requireNonNull(aor, "aor");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(expires, "expires");
        userAgent = userAgent == null ? "" : userAgent;
    }

    /** True when the binding has lapsed at the given time. */
    public boolean isExpired(Instant now) {
        return !expires.isAfter(now);
    }
}
