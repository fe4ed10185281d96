package org.confab.admin.shell.internal;

import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.confab.api.store.DomainStore;

/** Completes the SIP domains this server serves. */
@Service
public class DomainCompleter implements Completer {

    @Reference
    DomainStore domains;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(candidates()).complete(session, commandLine, candidates);
    }

    List<String> candidates() {
        return domains.list();
    }
}
