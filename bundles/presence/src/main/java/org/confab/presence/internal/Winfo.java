package org.confab.presence.internal;

import java.util.List;
import org.confab.api.presence.WatcherInfo;
import org.confab.api.presence.WatcherState;

/** Watcher information documents (RFC 3857 §5, RFC 3858), always sent as full state. */
final class Winfo {

    static final String CONTENT_TYPE = "application/watcherinfo+xml";

    private Winfo() {
    }

    static String render(String resource, long version, List<WatcherInfo> watchers) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<watcherinfo xmlns=\"urn:ietf:params:xml:ns:watcherinfo\" version=\"").append(version)
                .append("\" state=\"full\">\n <watcher-list resource=\"").append(Pidf.escape(resource))
                .append("\" package=\"presence\">\n");
        int n = 0;
        for (WatcherInfo w : watchers) {
            if (!"presence".equals(w.event())) {
                continue;
            }
            // RFC 3857 §3.3: a blocked watcher is "terminated"/"rejected" towards the user
            String status = w.state() == WatcherState.ACTIVE ? "active"
                    : w.state() == WatcherState.PENDING ? "pending" : "terminated";
            String event = w.state() == WatcherState.BLOCKED ? "rejected" : "subscribe";
            sb.append("  <watcher id=\"w").append(++n).append("\" status=\"").append(status)
                    .append("\" event=\"").append(event).append("\">").append(Pidf.escape(w.watcher()))
                    .append("</watcher>\n");
        }
        sb.append(" </watcher-list>\n</watcherinfo>\n");
        return sb.toString();
    }
}
