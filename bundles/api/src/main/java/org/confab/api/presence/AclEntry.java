package org.confab.api.presence;

import java.util.Objects;

/**
 * One entry of a user's allow/block list.
 *
 * @param owner   the user whose presence the entry protects (canonical {@code sip:user@domain})
 * @param subject who it applies to: a user ({@code sip:user@domain}), a domain ({@code example.com})
 *                or everyone ({@value #EVERYONE})
 * @param rule    allow or block
 */
public record AclEntry(String owner, String subject, AclRule rule) {

    /** The subject that matches every watcher. */
    public static final String EVERYONE = "*";

    public AclEntry {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(rule, "rule");
    }

    /** How specific the subject is: user 3, domain 2, everyone 1 (the most specific matching entry decides). */
    public int specificity() {
        if (EVERYONE.equals(subject)) {
            return 1;
        }
        return subject.startsWith("sip:") ? 3 : 2;
    }

    /** True when the entry's subject covers this watcher (canonical {@code sip:user@domain}). */
    public boolean matches(String watcher) {
        if (EVERYONE.equals(subject)) {
            return true;
        }
        if (subject.startsWith("sip:")) {
            return subject.equals(watcher);
        }
        return watcher.endsWith("@" + subject);
    }
}
