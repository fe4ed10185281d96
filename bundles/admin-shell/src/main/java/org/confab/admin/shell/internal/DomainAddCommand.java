package org.confab.admin.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.confab.api.store.DomainStore;

/** confab:domain-add */
@Service
@Command(scope = "confab", name = "domain-add",
        description = "Adds a SIP domain served by this server or pool: users of the domain can then be"
                + " SIP-enabled (confab:user-enable) and sign in. Refused if the domain is already served.",
        detailedDescription = "classpath:domain-add.txt")
public class DomainAddCommand extends ConfabAction {

    @Reference
    DomainStore domains;

    @Argument(index = 0, name = "domain", required = true,
            description = "The SIP domain, e.g. example.com (the part after @ in users' SIP URIs). Case does not matter.")
    String domain;

    @Override
    void run() throws CommandException {
        String name = SipNames.domain(domain);
        if (domains.isServed(name)) {
            throw Refusals.refused("Domain " + name + " is already served");
        }
        domains.add(name);
        out.println("Domain " + name + " added.");
    }
}
