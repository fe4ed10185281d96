package org.confab.admin.shell.internal;

import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.Row;
import org.apache.karaf.shell.support.table.ShellTable;
import org.confab.api.store.LocationStore;
import org.confab.api.store.User;
import org.confab.api.store.UserStore;

/** confab:user-list */
@Service
@Command(scope = "confab", name = "user-list",
        description = "Lists SIP-enabled users (enabled and disabled), sorted by SIP URI: display name,"
                + " enabled, home pool and, where the location service runs, the number of registered endpoints.")
public class UserListCommand extends ConfabAction {

    @Reference
    UserStore users;

    // optional: the Endpoints column is shown only where the location service runs
    @Reference(optional = true)
    LocationStore locations;

    @Argument(index = 0, name = "filter", required = false,
            description = "Only users whose SIP URI contains this text (case-insensitive), e.g. a domain or a name.")
    String filter;

    @Override
    void run() {
        List<User> list = users.list(filter);
        ShellTable table = new ShellTable().emptyTableText(
                filter == null || filter.isEmpty() ? "No users" : "No user matches '" + SipNames.shown(filter) + "'");
        table.column("SIP URI");
        table.column("Display name");
        table.column("Enabled");
        table.column("Home pool");
        if (locations != null) {
            table.column("Endpoints").alignRight();
        }
        for (User user : list) {
            Row row = table.addRow();
            row.addContent(user.uri(), user.displayName(), user.enabled() ? "yes" : "no",
                    user.homePool() == null ? "" : user.homePool());
            if (locations != null) {
                row.addContent(locations.bindings(user.uri()).size());
            }
        }
        table.print(out);
    }
}
