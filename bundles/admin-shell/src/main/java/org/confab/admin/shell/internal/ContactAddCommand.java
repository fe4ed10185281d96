package org.confab.admin.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.confab.api.presence.Contact;
import org.confab.api.presence.ContactStore;

/** confab:contact-add */
@Service
@Command(scope = "confab", name = "contact-add",
        description = "Adds a contact to a user's contact list (or changes its display name and group)."
                + " The pool caps contacts per user (250 unless changed); above it the command is refused.")
public class ContactAddCommand extends ConfabAction {

    @Reference
    ContactStore contacts;

    @Argument(index = 0, name = "user", required = true, description = "Whose list: sip:user@domain.")
    @Completion(UserCompleter.class)
    String user;

    @Argument(index = 1, name = "contact", required = true, description = "The contact: sip:user@domain.")
    String contact;

    @Option(name = "--display-name", description = "How the user names the contact.")
    String displayName;

    @Option(name = "--group", description = "The group to file the contact under.")
    String group;

    @Override
    void run() throws CommandException {
        Contact c = contacts.put(SipNames.userUri(user), SipNames.userUri(contact), displayName, group);
        out.println("Contact " + c.uri() + " is on the list of " + c.owner()
                + (c.group().isEmpty() ? "" : " in group " + c.group()));
    }
}
