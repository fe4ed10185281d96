package org.confab.admin.shell.internal;

import org.apache.karaf.shell.support.CommandException;
import org.confab.api.presence.AclEntry;

/** What the acl commands share: reading and naming a list entry's subject. */
final class AclCommands {

    private AclCommands() {
    }

    /** "*", a user URI (checked as one) or a domain (checked by the store). */
    static String subject(String in) throws CommandException {
        String s = in == null ? "" : in.trim();
        if (s.equals(AclEntry.EVERYONE) || s.isEmpty() || s.indexOf('@') < 0) {
            return s;
        }
        return SipNames.userUri(s);
    }

    static String describe(String subject) {
        if (AclEntry.EVERYONE.equals(subject)) {
            return "everyone (*)";
        }
        return subject.startsWith("sip:") ? "user " + subject : "domain " + subject;
    }
}
