package org.confab.admin.shell.internal;

import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.confab.api.store.DomainStore;
import org.confab.api.store.User;
import org.confab.api.store.UserStore;

/** confab:domain-remove */
@Service
@Command(scope = "confab", name = "domain-remove",
        description = "Stops serving a SIP domain. Refused while users of the domain exist (enabled or"
                + " disabled), so that no user loses their address by accident.",
        detailedDescription = "classpath:domain-remove.txt")
public class DomainRemoveCommand extends ConfabAction {

    @Reference
    DomainStore domains;

    @Reference
    UserStore users;

    @Argument(index = 0, name = "domain", required = true, description = "The served SIP domain to remove.")
    @Completion(DomainCompleter.class)
    String domain;

    @Override
    void run() throws CommandException {
        String name = SipNames.domain(domain);
        if (!domains.isServed(name)) {
            throw Refusals.refused("Domain " + name + " is not served");
        }
        List<User> members = users.list("@" + name).stream().filter(u -> u.domain().equals(name)).toList();
        if (!members.isEmpty()) {
            throw Refusals.refused("Domain " + name + " still has " + members.size()
                    + (members.size() == 1 ? " user" : " users") + " (" + members.get(0).uri()
                    + (members.size() > 1 ? ", ..." : "") + "): it cannot be removed while users of it exist");
        }
        domains.remove(name);
        out.println("Domain " + name + " removed.");
    }
}
