package org.confab.api.presence;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One live subscription dialog (RFC 6665 §4.2) as the notifier keeps it: everything needed to
 * send the next NOTIFY, so that a new instance of the presence role continues it.
 *
 * @param id           unique key: Call-ID, the subscriber's tag and our tag
 * @param event        the event package: "presence" or "presence.winfo", or "presence-list" for a
 *                     resource list subscription (RFC 4662) to the watcher's own contact list
 * @param watcher      the subscriber's canonical URI (authenticated)
 * @param presentity   the watched user's canonical URI
 * @param callId       the dialog's Call-ID
 * @param localTag     our tag (To tag of the SUBSCRIBE's response, From tag of our NOTIFYs)
 * @param remoteTag    the subscriber's From tag
 * @param localUri     the URI we put in the From header of NOTIFYs (the SUBSCRIBE's To URI)
 * @param remoteUri    the subscriber's From URI, for the To header of NOTIFYs
 * @param remoteTarget the subscriber's Contact URI: the Request-URI of NOTIFYs
 * @param routeSet     the route set from the SUBSCRIBE's Record-Route, in order (usually empty)
 * @param flowId       the flow the SUBSCRIBE arrived on (NOTIFYs go back over it)
 * @param transport    "UDP", "TCP" or "TLS" of that flow
 * @param remoteHost   the flow's remote address, fallback when the flow has closed
 * @param remotePort   the flow's remote port
 * @param cseq         the CSeq number of the last NOTIFY we sent
 * @param expires      when the subscription lapses
 * @param version      the last RFC 3857 watcherinfo document version sent (winfo only)
 */
public record Subscription(String id, String event, String watcher, String presentity, String callId,
                           String localTag, String remoteTag, String localUri, String remoteUri,
                           String remoteTarget, List<String> routeSet, String flowId, String transport,
                           String remoteHost, int remotePort, long cseq, Instant expires, long version) {

    public Subscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(watcher, "watcher");
        Objects.requireNonNull(presentity, "presentity");
        Objects.requireNonNull(expires, "expires");
        routeSet = List.copyOf(routeSet);
    }

    /** The same dialog with a new expiry. */
    public Subscription withExpires(Instant when) {
        return new Subscription(id, event, watcher, presentity, callId, localTag, remoteTag, localUri, remoteUri,
                remoteTarget, routeSet, flowId, transport, remoteHost, remotePort, cseq, when, version);
    }

    /** The same dialog after sending a NOTIFY with this CSeq number and document version. */
    public Subscription withCseq(long number, long docVersion) {
        return new Subscription(id, event, watcher, presentity, callId, localTag, remoteTag, localUri, remoteUri,
                remoteTarget, routeSet, flowId, transport, remoteHost, remotePort, number, expires, docVersion);
    }
}
