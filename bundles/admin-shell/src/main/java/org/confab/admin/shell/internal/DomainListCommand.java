package org.confab.admin.shell.internal;

import java.util.Map;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.confab.api.store.DomainStore;
import org.confab.api.store.User;
import org.confab.api.store.UserStore;

/** confab:domain-list */
@Service
@Command(scope = "confab", name = "domain-list",
        description = "Lists the SIP domains this server or pool serves, with the number of users"
                + " (enabled and disabled) in each.")
public class DomainListCommand extends ConfabAction {

    @Reference
    DomainStore domains;

    @Reference
    UserStore users;

    @Override
    void run() {
        Map<String, Long> counts = users.list(null).stream()
                .collect(Collectors.groupingBy(User::domain, Collectors.counting()));
        ShellTable table = new ShellTable().emptyTableText("No domains are served (add one with confab:domain-add)");
        table.column("Domain");
        table.column("Users").alignRight();
        for (String domain : domains.list()) {
            table.addRow().addContent(domain, counts.getOrDefault(domain, 0L));
        }
        table.print(out);
    }
}
