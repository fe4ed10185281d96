package org.confab.admin.shell.internal;

import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.confab.api.store.User;
import org.confab.api.store.UserStore;

/** Completes the SIP URIs of existing users, enabled or not, starting from what was typed. */
@Service
public class UserCompleter implements Completer {

    @Reference
    UserStore users;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(candidates(commandLine.getCursorArgument()))
                .complete(session, commandLine, candidates);
    }

    /** User URIs containing the typed text (or all of them); the store does the filtering. */
    List<String> candidates(String typed) {
        String filter = typed == null ? "" : typed;
        // typed "sip:al" must still match sip:alice@...: the store filters on a substring of the URI
        return users.list(filter.startsWith("sip:") ? filter.substring(4) : filter).stream()
                .map(User::uri).toList();
    }
}
