package org.confab.admin.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.confab.api.presence.ContactStore;

/** confab:contact-remove */
@Service
@Command(scope = "confab", name = "contact-remove",
        description = "Removes a contact from a user's contact list; refused when the contact is not on it.")
public class ContactRemoveCommand extends ConfabAction {

    @Reference
    ContactStore contacts;

    @Argument(index = 0, name = "user", required = true, description = "Whose list: sip:user@domain.")
    @Completion(UserCompleter.class)
    String user;

    @Argument(index = 1, name = "contact", required = true, description = "The contact: sip:user@domain.")
    String contact;

    @Override
    void run() throws CommandException {
        String owner = SipNames.userUri(user);
        String uri = SipNames.userUri(contact);
        if (!contacts.remove(owner, uri)) {
            throw Refusals.refused(uri + " is not on the contact list of " + owner);
        }
        out.println("Contact " + uri + " removed from the list of " + owner);
    }
}
