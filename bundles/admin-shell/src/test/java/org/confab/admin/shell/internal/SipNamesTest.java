package org.confab.admin.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import org.apache.karaf.shell.support.CommandException;
import org.junit.Test;

public class SipNamesTest {

    @Test
    public void bareAddressGetsSchemeAndLowerCaseDomain() throws CommandException {
        assertEquals("sip:alice@example.com", SipNames.userUri("alice@Example.COM"));
    }

    @Test
    public void schemeIsCaseInsensitiveAndUserPartKeepsItsCase() throws CommandException {
        // RFC 3261 §19.1.4
        assertEquals("sip:Alice.Smith@example.com", SipNames.userUri("SIP:Alice.Smith@EXAMPLE.com"));
    }

    @Test
    public void userPartMayUseMarksAndEscapes() throws CommandException {
        assertEquals("sip:o'neil+it_1%20x@sub.example-1.com", SipNames.userUri("sip:o'neil+it_1%20x@sub.example-1.com"));
    }

    @Test
    public void partsOfCanonicalUri() {
        assertEquals("alice", SipNames.userPartOf("sip:alice@example.com"));
        assertEquals("example.com", SipNames.domainOf("sip:alice@example.com"));
    }

    @Test
    public void refusesBadUris() {
        assertUriRefused("", "Invalid SIP URI '': must be sip:user@domain");
        assertUriRefused(null, "Invalid SIP URI '': must be sip:user@domain");
        assertUriRefused("sip:al ice@example.com", "Invalid SIP URI 'sip:al ice@example.com': must not contain spaces");
        assertUriRefused("alice@example.com\n", "Invalid SIP URI 'alice@example.com?': must not contain spaces");
        assertUriRefused("sip:@example.com", "Invalid SIP URI 'sip:@example.com': the user part is missing");
        assertUriRefused("@example.com", "Invalid SIP URI '@example.com': the user part is missing");
        assertUriRefused("alice", "Invalid SIP URI 'alice': must be sip:user@domain");
        assertUriRefused("sip:alice", "Invalid SIP URI 'sip:alice': must be sip:user@domain");
        assertUriRefused("tel:+15551234", "Invalid SIP URI 'tel:+15551234': must be sip:user@domain");
        assertUriRefused("sips:alice@example.com", "Invalid SIP URI 'sips:alice@example.com': must be sip:user@domain");
        assertUriRefused("alice@bob@example.com", "Invalid SIP URI 'alice@bob@example.com': must be sip:user@domain");
        assertUriRefused("sip:alice@example.com;transport=tcp",
                "Invalid SIP URI 'sip:alice@example.com;transport=tcp': must be sip:user@domain, without parameters or headers");
        assertUriRefused("sip:alice@example.com:5060",
                "Invalid SIP URI 'sip:alice@example.com:5060': the domain may contain only ASCII letters, digits, hyphens and dots");
        assertUriRefused("alice@exa_mple.com",
                "Invalid SIP URI 'alice@exa_mple.com': the domain may contain only ASCII letters, digits, hyphens and dots");
        assertUriRefused("alice@", "Invalid SIP URI 'alice@': the domain is missing");
        assertUriRefused("alice@example..com",
                "Invalid SIP URI 'alice@example..com': the domain has an empty label (a leading, trailing or double dot)");
        assertUriRefused("alice@-example.com",
                "Invalid SIP URI 'alice@-example.com': the domain has a label that starts or ends with a hyphen");
        assertUriRefused("al<ice>@example.com",
                "Invalid SIP URI 'al<ice>@example.com': the user part may contain only ASCII letters, digits and -_.!~*'()&=+$,");
        assertUriRefused("al%2@example.com",
                "Invalid SIP URI 'al%2@example.com': the user part has a '%' not followed by two hex digits");
        String longUser = "a".repeat(65);
        assertUriRefused(longUser + "@example.com",
                "Invalid SIP URI '" + longUser + "@example.com': the user part is longer than 64 characters");
    }

    @Test
    public void domainIsLowerCased() throws CommandException {
        assertEquals("example.com", SipNames.domain("Example.COM"));
        assertEquals("lab", SipNames.domain("lab"));
        assertEquals("10.0.0.1", SipNames.domain("10.0.0.1"));
    }

    @Test
    public void refusesBadDomains() {
        assertDomainRefused("", "Invalid domain '': it is missing");
        assertDomainRefused("example.com.", "Invalid domain 'example.com.': it has an empty label (a leading, trailing or double dot)");
        assertDomainRefused("ex ample.com", "Invalid domain 'ex ample.com': it may contain only ASCII letters, digits, hyphens and dots");
        assertDomainRefused("exämple.com", "Invalid domain 'exämple.com': it may contain only ASCII letters, digits, hyphens and dots");
        assertDomainRefused("example-.com", "Invalid domain 'example-.com': it has a label that starts or ends with a hyphen");
        String label = "a".repeat(64);
        assertDomainRefused(label + ".com", "Invalid domain '" + label + ".com': it has a label longer than 63 characters");
        String longer = ("a".repeat(60) + ".").repeat(4) + "com.example";
        assertEquals(255, longer.length());
        try {
            SipNames.domain(longer);
            fail();
        } catch (CommandException e) {
            assertEquals("Invalid domain '" + longer.substring(0, 100) + "...': it is longer than 253 characters", e.getMessage());
        }
    }

    @Test
    public void hostNameNamesWhatIsChecked() {
        try {
            SipNames.hostName("home pool", "pool_1");
            fail();
        } catch (CommandException e) {
            assertEquals("Invalid home pool 'pool_1': it may contain only ASCII letters, digits, hyphens and dots", e.getMessage());
        }
    }

    @Test
    public void displayNameIsStrippedAndOneLine() throws CommandException {
        assertEquals("Alice Smith", SipNames.displayName("  Alice Smith "));
        assertEquals("", SipNames.displayName(null));
        try {
            SipNames.displayName("Alice\nSmith");
            fail();
        } catch (CommandException e) {
            assertEquals("Invalid display name 'Alice?Smith': it must not contain control characters", e.getMessage());
        }
        try {
            SipNames.displayName("x".repeat(257));
            fail();
        } catch (CommandException e) {
            assertEquals("Invalid display name '" + "x".repeat(100) + "...': it is longer than 256 characters", e.getMessage());
        }
    }

    @Test
    public void domainProblemIsNullForGoodNames() {
        assertNull(SipNames.domainProblem("a-b.c1.example"));
    }

    private static void assertUriRefused(String input, String message) {
        try {
            String got = SipNames.userUri(input);
            fail("accepted " + input + " as " + got);
        } catch (CommandException e) {
            assertEquals(message, e.getMessage());
        }
    }

    private static void assertDomainRefused(String input, String message) {
        try {
            String got = SipNames.domain(input);
            fail("accepted " + input + " as " + got);
        } catch (CommandException e) {
            assertEquals(message, e.getMessage());
        }
    }
}
