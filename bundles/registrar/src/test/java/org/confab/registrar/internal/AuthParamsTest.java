package org.confab.registrar.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import java.util.Locale;
import java.util.Map;
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

    @Test
    public void hasSchemeAnswersAsLowerCasedSchemeOf() {
        String[] values = {"Digest a=b", "digest", "DIGEST  x", " \tDigest a", "Digestx a", "Diges", "", "   ", null,
            "NTLM", "Digest,a", "Di\u212Aest", "\u0130 x", "Basic abc"};
        String[] schemes = {"Digest", "digest", "NTLM", "", "Di\u212Aest", "DiKest", "\u0130"};
        for (String v : values) {
            for (String scheme : schemes) {
                boolean before = AuthParams.schemeOf(v).toLowerCase(Locale.ROOT).equals(scheme.toLowerCase(Locale.ROOT));
                assertEquals(v + " / " + scheme, before, AuthParams.hasScheme(v, scheme));
            }
        }
    }

    @Test
    public void knownNamesAreLowerCasedAndQuotedValuesKeptAsWritten() {
        AuthParams p = AuthParams.parse("Digest USERNAME=\"bob\", Realm=\"a\\\\b\", NoNcE=\"\", X-Other=\"q\\\"\","
                + " uri=\"sip:example.com\", NC=00000001");
        assertEquals(Map.of("username", "bob", "realm", "a\\b", "nonce", "", "x-other", "q\"", "uri", "sip:example.com",
                "nc", "00000001"), p.params());
        assertSame("username", p.params().keySet().iterator().next());
        for (String bad : new String[] {"Digest a=\"x", "Digest a=\"x\\", "Digest a=\"x\\\"", "Digest USERNAME=a, username=b"}) {
            try {
                AuthParams.parse(bad);
                fail(bad);
            } catch (IllegalArgumentException expected) {
                // refused as before
            }
        }
    }
}
