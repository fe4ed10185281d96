package org.confab.admin.shell.internal;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.confab.api.auth.DigestSecrets;
import org.confab.api.store.UserStore;

/** confab:user-password */
@Service
@Command(scope = "confab", name = "user-password",
        description = "Sets a user's password. Confab keeps only the Digest secrets derived from it (realm ="
                + " the user's domain), never the password. Policy: at least 8 characters, not containing the"
                + " user name, with at least 3 of lower-case, upper-case, digits and other characters.",
        detailedDescription = "classpath:user-password.txt")
public class UserPasswordCommand extends ConfabAction {

    @Reference
    UserStore users;

    @Argument(index = 0, name = "sip-uri", required = true,
            description = "The user's SIP URI, sip:user@domain (user@domain is accepted).")
    @Completion(UserCompleter.class)
    String uri;

    @Argument(index = 1, name = "password", required = false, censor = true,
            description = "The new password (or give it with --password).")
    String passwordArgument;

    @Option(name = "--password", aliases = "-p", censor = true,
            description = "The new password (instead of the second argument).")
    String passwordOption;

    @Override
    void run() throws CommandException {
        String aor = SipNames.userUri(uri);
        if (passwordArgument == null && passwordOption == null) {
            throw Refusals.refused("No password given: pass it as the second argument or with --password");
        }
        if (passwordArgument != null && passwordOption != null) {
            throw Refusals.refused("Give the password once: as the second argument or with --password, not both");
        }
        String password = passwordArgument != null ? passwordArgument : passwordOption;
        if (users.find(aor).isEmpty()) {
            throw Refusals.refused("Unknown user " + aor);
        }
        Optional<String> weak = PasswordPolicy.problem(password, SipNames.userPartOf(aor));
        if (weak.isPresent()) {
            throw Refusals.refused(weak.get());
        }
        String realm = SipNames.domainOf(aor);
        // RFC 7616 §3.4.2: the store keeps HA1 per username, realm and algorithm, not the password
        users.setCredentials(aor, DigestSecrets.SCHEME, DigestSecrets.credentials(aor, realm, password));
        out.println("Password of " + aor + " set (Digest, realm " + realm + ").");
    }
}
