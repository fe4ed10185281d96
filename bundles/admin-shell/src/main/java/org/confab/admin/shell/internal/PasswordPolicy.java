package org.confab.admin.shell.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * What a user password must be before Confab derives its Digest secrets from it. Modelled on the
 * Windows domain "complexity requirements" an LCS deployment inherits from Active Directory:
 * at least {@value #MIN_LENGTH} characters, no user name in it, and at least three of four
 * character classes (lower-case, upper-case, digits, other characters).
 */
final class PasswordPolicy {

    static final int MIN_LENGTH = 8;
    /** Shorter user names (and name tokens) are not searched for: "al" would forbid too much. */
    static final int MIN_NAME_TOKEN = 3;
    static final int MIN_CLASSES = 3;

    private PasswordPolicy() {
    }

    /**
     * The one-line reason the password is refused, or empty when it is acceptable.
     *
     * @param password the candidate password
     * @param userPart the user part of the user's SIP URI ("john.smith" for sip:john.smith@example.com)
     */
    static Optional<String> problem(String password, String userPart) {
        if (password == null || password.isEmpty()) {
            return Optional.of("The password is empty");
        }
        if (password.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("The password must not contain control characters");
        }
        if (password.codePointCount(0, password.length()) < MIN_LENGTH) {
            return Optional.of("The password is too short: at least " + MIN_LENGTH + " characters are required");
        }
        if (containsUserName(password, userPart)) {
            return Optional.of("The password must not contain the user name");
        }
        if (classes(password) < MIN_CLASSES) {
            return Optional.of("The password must mix at least " + MIN_CLASSES
                    + " of: lower-case letters, upper-case letters, digits, other characters");
        }
        return Optional.empty();
    }

    /** The whole user part, and each of its tokens split at non-alphanumerics ("john", "smith"). */
    private static boolean containsUserName(String password, String userPart) {
        if (userPart == null) {
            return false;
        }
        String pw = password.toLowerCase(Locale.ROOT);
        String user = userPart.toLowerCase(Locale.ROOT);
        if (user.length() >= MIN_NAME_TOKEN && pw.contains(user)) {
            return true;
        }
        for (String token : user.split("[^\\p{Alnum}]+")) {
            if (token.length() >= MIN_NAME_TOKEN && pw.contains(token)) {
                return true;
            }
        }
        return false;
    }

    private static int classes(String password) {
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        boolean other = false;
        for (int i = 0; i < password.length(); ) {
            int cp = password.codePointAt(i);
            if (Character.isLowerCase(cp)) {
                lower = true;
            } else if (Character.isUpperCase(cp)) {
                upper = true;
            } else if (Character.isDigit(cp)) {
                digit = true;
            } else {
                other = true;
            }
            i += Character.charCount(cp);
        }
        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
    }
}
