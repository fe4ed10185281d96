package org.confab.admin.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.confab.api.presence.Contact;
import org.confab.api.presence.ContactStore;

/** confab:contact-list */
@Service
@Command(scope = "confab", name = "contact-list",
        description = "Lists a user's contact list: group, contact URI and display name, with the pool's"
                + " maximum number of contacts per user.")
public class ContactListCommand extends ConfabAction {

    @Reference
    ContactStore contacts;

    @Argument(index = 0, name = "user", required = true, description = "Whose list: sip:user@domain.")
    @Completion(UserCompleter.class)
    String user;

    @Override
    void run() throws CommandException {
        String owner = SipNames.userUri(user);
        ShellTable table = new ShellTable().emptyTableText("No contacts for " + owner);
        table.column("Group");
        table.column("Contact");
        table.column("Display name");
        var list = contacts.contacts(owner);
        for (Contact c : list) {
            table.addRow().addContent(c.group().isEmpty() ? "-" : c.group(), c.uri(), c.displayName());
        }
        table.print(out);
        out.println(list.size() + " of at most " + contacts.maxContactsPerUser() + " contacts");
    }
}
