package org.confab.registrar.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import org.junit.Test;

public class AuthParamsTest {

    @Test
    public void parsesQuotedUnquotedAndEscapedValues() {
        AuthParams p = AuthParams.parse("Digest  username=\"al\\\"ice\" ,realm=\"example.com\",nc=00000001,"
                + " uri=sip:example.com, qop=auth, response=\"ab,cd\"");
        assertEquals("Digest", p.scheme());
        assertEquals("al\"ice", p.get("username"));
        assertEquals("example.com", p.get("REALM"));
        assertEquals("00000001", p.get("nc"));
        assertEquals("sip:example.com", p.get("uri"));
        assertEquals("ab,cd", p.get("response"));
        assertNull(p.get("cnonce"));
    }

    @Test
    public void allowsEmptyListElementsAndNoParameters() {
        assertEquals("x", AuthParams.parse("Digest ,, a=x ,").get("a"));
        assertEquals(0, AuthParams.parse("NTLM").params().size());
    }

    @Test
    public void refusesMalformedValues() {
        for (String bad : new String[] {"", "   ", "=x", "Digest a", "Digest a=", "Digest a=\"open",
                "Digest a=1 b=2", "Digest a=1, a=2", "Digest a=\"x\\", "Digest\"a=1", "Digest a=(x)"}) {
            try {
                AuthParams.parse(bad);
                fail("accepted: " + bad);
            } catch (IllegalArgumentException e) {
                assertEquals(bad, true, e.getMessage() != null && !e.getMessage().isEmpty());
            }
        }
    }

    @Test
    public void quoteEscapesAndSchemeOfFindsTheToken() {
        assertEquals("\"a\\\"b\\\\c\"", AuthParams.quote("a\"b\\c"));
        assertEquals("al\"ice", AuthParams.parse("Digest u=" + AuthParams.quote("al\"ice")).get("u"));
        assertEquals("NTLM", AuthParams.schemeOf("  NTLM qop=\"auth\""));
        assertEquals("", AuthParams.schemeOf(null));
    }
}
