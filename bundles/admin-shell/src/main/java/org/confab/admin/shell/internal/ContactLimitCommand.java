package org.confab.admin.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.confab.api.presence.ContactStore;

/** confab:contact-limit */
@Service
@Command(scope = "confab", name = "contact-limit",
        description = "Shows, or with a number sets, the pool's maximum number of contacts per user (250 unless"
                + " changed; a pool setting, so every server of the pool applies it). Lists already longer keep"
                + " their contacts: only additions beyond the maximum are refused.")
public class ContactLimitCommand extends ConfabAction {

    @Reference
    ContactStore contacts;

    @Argument(index = 0, name = "max", required = false, description = "The new maximum, 1 to 100000.")
    Integer max;

    @Override
    void run() throws CommandException {
        if (max != null) {
            contacts.setMaxContactsPerUser(max); // the store refuses a value out of range, changing nothing
        }
        out.println("At most " + contacts.maxContactsPerUser() + " contacts per user");
    }
}
