package org.confab.admin.shell.internal;

import java.util.Locale;
import org.apache.karaf.shell.support.CommandException;

/**
 * Checks and normalises what operators type: SIP user URIs, domain names and host names.
 * Every failure is a one-line refusal that quotes the input (control characters masked).
 */
final class SipNames {

    /** RFC 5321 §4.5.3.1.1 caps an e-mail local part at 64 octets; SIP URIs mirror e-mail addresses. */
    static final int MAX_USER_LENGTH = 64;
    /** RFC 1035 §2.3.4: 63 octets per label, 255 per name (253 characters in text form). */
    static final int MAX_LABEL_LENGTH = 63;
    static final int MAX_DOMAIN_LENGTH = 253;
    static final int MAX_DISPLAY_NAME_LENGTH = 256;

    // RFC 3261 §25.1: user = 1*( unreserved / escaped / user-unreserved ). ";", "?" and "/" are left
    // out: they start URI parameters and headers in the forms operators paste.
    private static final String USER_MARKS = "-_.!~*'()&=+$,";

    private SipNames() {
    }

    /**
     * Returns the canonical {@code sip:user@domain} for {@code sip:user@domain} or bare
     * {@code user@domain}: scheme and domain lower case, user part as given (RFC 3261 §19.1.4:
     * the user part is case-sensitive).
     */
    static String userUri(String input) throws CommandException {
        String in = input == null ? "" : input;
        String prefix = "Invalid SIP URI '" + shown(in) + "': ";
        if (in.isEmpty()) {
            throw Refusals.refused(prefix + "must be sip:user@domain");
        }
        if (in.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c))) {
            throw Refusals.refused(prefix + "must not contain spaces");
        }
        String addr = in;
        int colon = in.indexOf(':');
        int at = in.indexOf('@');
        if (colon >= 0 && (at < 0 || colon < at)) {
            // RFC 3261 §19.1.4: the scheme is case-insensitive
            if (!in.substring(0, colon).equalsIgnoreCase("sip")) {
                throw Refusals.refused(prefix + "must be sip:user@domain");
            }
            addr = in.substring(colon + 1);
        }
        if (addr.indexOf(';') >= 0 || addr.indexOf('?') >= 0) {
            throw Refusals.refused(prefix + "must be sip:user@domain, without parameters or headers");
        }
        at = addr.indexOf('@');
        if (at < 0 || at != addr.lastIndexOf('@')) {
            throw Refusals.refused(prefix + "must be sip:user@domain");
        }
        String user = addr.substring(0, at);
        if (user.isEmpty()) {
            throw Refusals.refused(prefix + "the user part is missing");
        }
        String userProblem = userPartProblem(user);
        if (userProblem != null) {
            throw Refusals.refused(prefix + userProblem);
        }
        String domain = addr.substring(at + 1).toLowerCase(Locale.ROOT);
        String domainProblem = domainProblem(domain);
        if (domainProblem != null) {
            throw Refusals.refused(prefix + "the domain " + domainProblem);
        }
        return "sip:" + user + "@" + domain;
    }

    /** The user part of a canonical URI from {@link #userUri}. */
    static String userPartOf(String aor) {
        return aor.substring(aor.indexOf(':') + 1, aor.indexOf('@'));
    }

    /** The domain of a canonical URI from {@link #userUri}. */
    static String domainOf(String aor) {
        return aor.substring(aor.indexOf('@') + 1);
    }

    /** Returns the lower-case domain name, or refuses it. */
    static String domain(String input) throws CommandException {
        return hostName("domain", input);
    }

    /** Returns the lower-case host name of a server or pool (e.g. a home pool), or refuses it. */
    static String hostName(String what, String input) throws CommandException {
        String in = input == null ? "" : input;
        String lower = in.toLowerCase(Locale.ROOT);
        String problem = domainProblem(lower);
        if (problem != null) {
            throw Refusals.refused("Invalid " + what + " '" + shown(in) + "': it " + problem);
        }
        return lower;
    }

    /** Checks a display name: free text on one line. */
    static String displayName(String input) throws CommandException {
        String name = input == null ? "" : input.strip();
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw Refusals.refused("Invalid display name '" + shown(name) + "': it must not contain control characters");
        }
        if (name.length() > MAX_DISPLAY_NAME_LENGTH) {
            throw Refusals.refused("Invalid display name '" + shown(name) + "': it is longer than "
                    + MAX_DISPLAY_NAME_LENGTH + " characters");
        }
        return name;
    }

    /** The reason a user part is not acceptable, or null. */
    static String userPartProblem(String user) {
        if (user.length() > MAX_USER_LENGTH) {
            return "the user part is longer than " + MAX_USER_LENGTH + " characters";
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c == '%') {
                // RFC 3261 §25.1: escaped = "%" HEXDIG HEXDIG
                if (i + 2 >= user.length() || !isHex(user.charAt(i + 1)) || !isHex(user.charAt(i + 2))) {
                    return "the user part has a '%' not followed by two hex digits";
                }
                i += 2;
            } else if (!isAsciiAlnum(c) && USER_MARKS.indexOf(c) < 0) {
                return "the user part may contain only ASCII letters, digits and " + USER_MARKS;
            }
        }
        return null;
    }

    /**
     * The reason a lower-case domain name is not acceptable (phrased to follow "it " or "the
     * domain "), or null. RFC 1123 §2.1 host names: letters, digits and hyphens in dot-separated
     * labels; internationalised names must be given in their ASCII (punycode) form.
     */
    static String domainProblem(String domain) {
        if (domain.isEmpty()) {
            return "is missing";
        }
        if (domain.length() > MAX_DOMAIN_LENGTH) {
            return "is longer than " + MAX_DOMAIN_LENGTH + " characters";
        }
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (!isAsciiAlnum(c) && c != '-' && c != '.') {
                return "may contain only ASCII letters, digits, hyphens and dots";
            }
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty()) {
                return "has an empty label (a leading, trailing or double dot)";
            }
            if (label.length() > MAX_LABEL_LENGTH) {
                return "has a label longer than " + MAX_LABEL_LENGTH + " characters";
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                return "has a label that starts or ends with a hyphen";
            }
        }
        return null;
    }

    /** The input as it may appear inside a one-line message: control characters masked, long input cut. */
    static String shown(String input) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < input.length() && i < 100; i++) {
            char c = input.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        if (input.length() > 100) {
            sb.append("...");
        }
        return sb.toString();
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
