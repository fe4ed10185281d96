package org.confab.admin.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.confab.api.presence.Authorization;
import org.confab.api.presence.PresenceService;

/** confab:why */
@Service
@Command(scope = "confab", name = "why",
        description = "Explains in one line why a watcher sees what it sees of a user's presence: which"
                + " allow/block entry or pool policy decided, and the resulting state.")
public class WhyCommand extends ConfabAction {

    @Reference
    PresenceService presence;

    @Argument(index = 0, name = "watcher", required = true, description = "Who watches: sip:user@domain.")
    @Completion(UserCompleter.class)
    String watcher;

    @Argument(index = 1, name = "user", required = true, description = "Who is watched: sip:user@domain.")
    @Completion(UserCompleter.class)
    String user;

    @Override
    void run() throws CommandException {
        String w = SipNames.userUri(watcher);
        String u = SipNames.userUri(user);
        Authorization a = presence.authorize(w, u);
        out.println(w + " -> " + u + ": " + a.state().label() + ", " + a.reason());
    }
}
