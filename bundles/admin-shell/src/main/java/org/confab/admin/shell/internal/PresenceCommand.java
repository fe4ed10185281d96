package org.confab.admin.shell.internal;

import java.time.Clock;
import java.time.Duration;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.confab.api.presence.Presence;
import org.confab.api.presence.PresenceService;
import org.confab.api.presence.Publication;
import org.confab.api.presence.WatcherInfo;

/** confab:presence */
@Service
@Command(scope = "confab", name = "presence",
        description = "Shows a user's composed presence (availability, activity, notes), the publications of"
                + " its endpoints, who watches it with each watcher's state (active, pending, blocked), and"
                + " whom it watches.")
public class PresenceCommand extends ConfabAction {

    @Reference
    PresenceService presence;

    @Argument(index = 0, name = "user", required = true, description = "The user: sip:user@domain.")
    @Completion(UserCompleter.class)
    String user;

    Clock clock = Clock.systemUTC();

    @Override
    void run() throws CommandException {
        String uri = SipNames.userUri(user);
        Presence p = presence.presence(uri);
        out.println(uri + ": " + p.availability().label() + (p.activity().isEmpty() ? "" : " (" + p.activity() + ")")
                + (p.notes().isEmpty() ? "" : ", notes: " + String.join(" | ", p.notes())));
        ShellTable pubs = new ShellTable().emptyTableText("No publications");
        pubs.column("Entity tag");
        pubs.column("Availability");
        pubs.column("Activity");
        pubs.column("Note");
        pubs.column("Device");
        pubs.column("Expires (s)").alignRight();
        for (Publication pub : presence.publications(uri)) {
            pubs.addRow().addContent(pub.etag(), pub.state().availability().label(), pub.state().activity(),
                    pub.state().note(), pub.state().device(), seconds(pub.expires()));
        }
        pubs.print(out);
        table("Watcher", presence.watchers(uri), true);
        table("Watching", presence.subscriptions(uri), false);
    }

    private void table(String who, java.util.List<WatcherInfo> list, boolean watcherColumn) {
        ShellTable t = new ShellTable().emptyTableText(watcherColumn ? "No watchers" : "No subscriptions");
        t.column(who);
        t.column("Event");
        t.column("State");
        t.column("Expires (s)").alignRight();
        for (WatcherInfo w : list) {
            t.addRow().addContent(watcherColumn ? w.watcher() : w.presentity(), w.event(), w.state().label(),
                    seconds(w.expires()));
        }
        t.print(out);
    }

    private long seconds(java.time.Instant when) {
        return Math.max(0, Duration.between(clock.instant(), when).toSeconds());
    }
}
