package org.confab.admin.shell.internal;

import java.util.List;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.confab.api.auth.DigestSecrets;
import org.confab.api.store.Credential;
import org.confab.api.store.DomainStore;
import org.confab.api.store.StoreException;
import org.confab.api.store.User;
import org.confab.api.store.UserStore;

/** confab:user-enable */
@Service
@Command(scope = "confab", name = "user-enable",
        description = "Enables a user for SIP: creates sip:user@domain in a served domain, or re-enables a"
                + " disabled user. Without --password the user cannot sign in until confab:user-password"
                + " sets one. Refused if the user exists and is enabled.",
        detailedDescription = "classpath:user-enable.txt")
public class UserEnableCommand extends ConfabAction {

    @Reference
    DomainStore domains;

    @Reference
    UserStore users;

    @Argument(index = 0, name = "sip-uri", required = true,
            description = "The user's SIP URI, sip:user@domain (user@domain is accepted). The domain must be served.")
    @Completion(UserCompleter.class)
    String uri;

    @Option(name = "--display-name", aliases = "-n",
            description = "The name other users see, e.g. \"Alice Smith\" (quote it when it has spaces).")
    String displayName;

    @Option(name = "--password", aliases = "-p", censor = true,
            description = "The user's password: at least 8 characters, not containing the user name, with at least"
                    + " 3 of lower-case, upper-case, digits and other characters.")
    String password;

    @Option(name = "--home-pool",
            description = "The server or pool (host name) that homes a new user. Default: this server"
                    + " (system property confab.server.name, else the host name).")
    String homePool;

    @Override
    void run() throws CommandException {
        // Everything is checked before the first change, so a refusal leaves the store as it was.
        String aor = SipNames.userUri(uri);
        String domain = SipNames.domainOf(aor);
        if (!domains.isServed(domain)) {
            throw Refusals.refused("Domain " + domain + " is not served (add it with confab:domain-add)");
        }
        String name = displayName == null ? null : SipNames.displayName(displayName);
        String pool = homePool == null ? null : SipNames.hostName("home pool", homePool);
        if (password != null) {
            Optional<String> weak = PasswordPolicy.problem(password, SipNames.userPartOf(aor));
            if (weak.isPresent()) {
                throw Refusals.refused(weak.get());
            }
        }
        Optional<User> existing = users.find(aor);
        if (existing.isPresent()) {
            reenable(existing.get(), name, pool);
        } else {
            create(aor, name, pool);
        }
    }

    private void reenable(User user, String name, String pool) throws CommandException {
        String aor = user.uri();
        if (user.enabled()) {
            throw Refusals.refused("User " + aor + " already exists and is enabled");
        }
        if (pool != null && !pool.equalsIgnoreCase(user.homePool())) {
            throw Refusals.refused("User " + aor + " is homed on " + user.homePool()
                    + ": --home-pool does not move an existing user");
        }
        if (name != null) {
            users.setDisplayName(aor, name);
        }
        if (password != null) {
            users.setCredentials(aor, DigestSecrets.SCHEME, credentials(aor));
        }
        users.setEnabled(aor, true);
        out.println("User " + aor + " re-enabled" + (password != null ? " with a new password." : "."));
    }

    private void create(String aor, String name, String pool) {
        User created = users.create(aor, name == null ? "" : name, pool == null ? ServerName.local() : pool);
        if (password != null) {
            try {
                users.setCredentials(aor, DigestSecrets.SCHEME, credentials(aor));
            } catch (StoreException e) {
                // a user half-made (no credentials) must not stay behind
                try {
                    users.delete(aor);
                } catch (StoreException second) {
                    e.addSuppressed(second);
                }
                throw e;
            }
        }
        out.println("User " + aor + " enabled, homed on " + created.homePool()
                + (password == null ? "; no password yet: the user cannot sign in until confab:user-password sets one."
                        : "."));
    }

    private List<Credential> credentials(String aor) {
        // RFC 7616 §3.4.2: HA1 per realm; the realm of a user is the user's domain
        return DigestSecrets.credentials(aor, SipNames.domainOf(aor), password);
    }
}
