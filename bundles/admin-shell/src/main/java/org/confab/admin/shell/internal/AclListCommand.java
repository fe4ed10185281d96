package org.confab.admin.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.confab.api.presence.AclEntry;
import org.confab.api.presence.AclStore;

/** confab:acl-list */
@Service
@Command(scope = "confab", name = "acl-list",
        description = "Lists a user's allow/block list (subject and rule) and the pool policy for watchers"
                + " of the user's own domain that are on neither list.")
public class AclListCommand extends ConfabAction {

    @Reference
    AclStore acls;

    @Argument(index = 0, name = "user", required = true, description = "Whose list: sip:user@domain.")
    @Completion(UserCompleter.class)
    String user;

    @Override
    void run() throws CommandException {
        String owner = SipNames.userUri(user);
        ShellTable table = new ShellTable().emptyTableText("No allow/block entries for " + owner);
        table.column("Subject");
        table.column("Rule");
        for (AclEntry e : acls.entries(owner)) {
            table.addRow().addContent(AclCommands.describe(e.subject()), e.rule().name().toLowerCase(java.util.Locale.ROOT));
        }
        table.print(out);
        out.println("Unlisted watchers of the same domain: " + (acls.sameDomainAllowed() ? "allowed" : "pending")
                + " (pool policy); others: pending");
    }
}
