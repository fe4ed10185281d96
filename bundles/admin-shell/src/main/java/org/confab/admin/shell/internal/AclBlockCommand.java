package org.confab.admin.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.confab.api.presence.AclEntry;
import org.confab.api.presence.AclRule;
import org.confab.api.presence.AclStore;

/** confab:acl-block */
@Service
@Command(scope = "confab", name = "acl-block",
        description = "Puts an entry on a user's allow/block list that blocks watchers: one user"
                + " (sip:user@domain), a whole domain (example.com) or everyone (*). The most specific"
                + " entry decides; live subscriptions follow at once (a blocked watcher sees the user offline)"
                + ".")
public class AclBlockCommand extends ConfabAction {

    @Reference
    AclStore acls;

    @Argument(index = 0, name = "user", required = true, description = "Whose list: sip:user@domain.")
    @Completion(UserCompleter.class)
    String user;

    @Argument(index = 1, name = "watcher", required = true,
            description = "sip:user@domain, a domain, or * for everyone.")
    String subject;

    @Override
    void run() throws CommandException {
        AclEntry e = acls.put(SipNames.userUri(user), AclCommands.subject(subject), AclRule.BLOCK);
        out.println(e.owner() + " now blocks " + AclCommands.describe(e.subject()));
    }
}
