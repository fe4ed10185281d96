package org.confab.admin.shell.internal;

import static org.junit.Assert.assertEquals;

import java.util.Optional;
import org.junit.Test;

public class PasswordPolicyTest {

    private static final String CLASSES =
            "The password must mix at least 3 of: lower-case letters, upper-case letters, digits, other characters";

    @Test
    public void acceptsStrongPasswords() {
        assertEquals(Optional.empty(), PasswordPolicy.problem("Spring-Tide-42", "alice"));
        assertEquals(Optional.empty(), PasswordPolicy.problem("Springtide42", "alice")); // lower, upper, digit
        assertEquals(Optional.empty(), PasswordPolicy.problem("spring-tide-42", "alice")); // lower, other, digit
        assertEquals(Optional.empty(), PasswordPolicy.problem("Ab1!xyzw", "alice")); // exactly 8
        assertEquals(Optional.empty(), PasswordPolicy.problem("пароль-Пароль", "alice")); // Cyrillic cases + other
    }

    @Test
    public void refusesEmptyAndControlCharacters() {
        assertEquals(Optional.of("The password is empty"), PasswordPolicy.problem("", "alice"));
        assertEquals(Optional.of("The password is empty"), PasswordPolicy.problem(null, "alice"));
        assertEquals(Optional.of("The password must not contain control characters"),
                PasswordPolicy.problem("Spring\tTide-42", "alice"));
    }

    @Test
    public void refusesShortPasswordsCountingCodePoints() {
        String tooShort = "The password is too short: at least 8 characters are required";
        assertEquals(Optional.of(tooShort), PasswordPolicy.problem("Ab1!xyz", "alice"));
        // 7 code points in 11 chars: emoji are one character each to the user
        assertEquals(Optional.of(tooShort), PasswordPolicy.problem("\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00aA1", "alice"));
    }

    @Test
    public void refusesTheUserNameInAnyCase() {
        String msg = "The password must not contain the user name";
        assertEquals(Optional.of(msg), PasswordPolicy.problem("xALICE-2024", "alice"));
        assertEquals(Optional.of(msg), PasswordPolicy.problem("Smith-2024!", "john.smith"));
        assertEquals(Optional.of(msg), PasswordPolicy.problem("John-2024!", "john.smith"));
    }

    @Test
    public void shortNameTokensAreNotSearched() {
        assertEquals(Optional.empty(), PasswordPolicy.problem("Albatross-99", "al"));
        assertEquals(Optional.empty(), PasswordPolicy.problem("Albatross-99", "al.b"));
    }

    @Test
    public void refusesTooFewClasses() {
        assertEquals(Optional.of(CLASSES), PasswordPolicy.problem("alllowercase1", "bob"));
        assertEquals(Optional.of(CLASSES), PasswordPolicy.problem("ALLUPPER!!!!", "bob"));
        assertEquals(Optional.of(CLASSES), PasswordPolicy.problem("12345678", "bob"));
    }
}
