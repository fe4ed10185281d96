package org.confab.admin.shell.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.confab.api.store.Binding;
import org.confab.api.store.LocationStore;
import org.confab.api.store.UserStore;
import org.confab.api.transport.FlowRegistry;

/** confab:endpoints */
@Service
@Command(scope = "confab", name = "endpoints",
        description = "Lists registered endpoints (the location service), of one user or of all: contact,"
                + " transport, source address, the flow (connection) it registered on and whether that flow"
                + " is still open, seconds until the registration expires, and the client's User-Agent.",
        detailedDescription = "classpath:endpoints.txt")
public class EndpointsCommand extends ConfabAction {

    @Reference
    UserStore users;

    // optional so that the other commands stay when no location service runs; refused clearly then
    @Reference(optional = true)
    LocationStore locations;

    // optional: without the transport the flow state is unknown and shown as the bare id
    @Reference(optional = true)
    FlowRegistry flows;

    @Argument(index = 0, name = "user", required = false,
            description = "Only this user's endpoints: sip:user@domain (user@domain is accepted).")
    @Completion(UserCompleter.class)
    String user;

    Clock clock = Clock.systemUTC();

    @Override
    void run() throws CommandException {
        String aor = user == null ? null : SipNames.userUri(user);
        if (locations == null) {
            throw Refusals.refused("No location service is running on this server (it is part of the store role)");
        }
        if (aor != null && users.find(aor).isEmpty()) {
            throw Refusals.refused("Unknown user " + aor);
        }
        List<Binding> bindings = aor == null ? locations.all() : locations.bindings(aor);
        Instant now = clock.instant();
        ShellTable table = new ShellTable().emptyTableText(
                aor == null ? "No registered endpoints" : "No registered endpoints for " + aor);
        table.column("User");
        table.column("Contact");
        table.column("Transport");
        table.column("Source");
        table.column("Flow");
        table.column("Expires (s)").alignRight();
        table.column("User agent");
        for (Binding b : bindings) {
            long expires = Math.max(0, Duration.between(now, b.expires()).toSeconds());
            table.addRow().addContent(b.aor(), b.contact(), orDash(b.transport()), orDash(b.source()),
                    flow(b.flowId()), expires, b.userAgent());
        }
        table.print(out);
    }

    private String flow(String flowId) {
        if (flowId == null) {
            return "-";
        }
        if (flows == null) {
            return flowId;
        }
        // FlowRegistry.find returns only flows that are still open (RFC 5626 §5.2: a closed flow
        // leaves its bindings unreachable until the endpoint registers again)
        return flowId + (flows.find(flowId).isPresent() ? " (open)" : " (closed)");
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
