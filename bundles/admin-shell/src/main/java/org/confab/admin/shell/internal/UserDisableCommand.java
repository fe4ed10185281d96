package org.confab.admin.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.confab.api.store.LocationStore;
import org.confab.api.store.User;
import org.confab.api.store.UserStore;

/** confab:user-disable */
@Service
@Command(scope = "confab", name = "user-disable",
        description = "Disables a user for SIP: the user can no longer sign in or be reached, and the"
                + " endpoints the user has registered are removed. The user, contacts and password are kept;"
                + " confab:user-enable enables the user again.",
        detailedDescription = "classpath:user-disable.txt")
public class UserDisableCommand extends ConfabAction {

    @Reference
    UserStore users;

    // optional: without the location service there are no registrations to remove
    @Reference(optional = true)
    LocationStore locations;

    @Argument(index = 0, name = "sip-uri", required = true,
            description = "The user's SIP URI, sip:user@domain (user@domain is accepted).")
    @Completion(UserCompleter.class)
    String uri;

    @Override
    void run() throws CommandException {
        String aor = SipNames.userUri(uri);
        User user = users.find(aor).orElseThrow(() -> Refusals.refused("Unknown user " + aor));
        if (!user.enabled()) {
            throw Refusals.refused("User " + aor + " is already disabled");
        }
        users.setEnabled(aor, false);
        int removed = locations == null ? 0 : locations.removeAll(aor);
        out.println("User " + aor + " disabled" + (removed == 0 ? "."
                : "; " + removed + (removed == 1 ? " registered endpoint" : " registered endpoints") + " removed."));
    }
}
