package org.confab.registrar.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.SplittableRandom;
import org.confab.api.auth.DigestSecrets;
import org.junit.Test;

/** The per-thread digest chains give exactly DigestSecrets.hash of the joined text; the comparison is the old one. */
public class DigestHashTest {

    private static final String ALPHABET = "abcXYZ019:;@ \"\\%é€\uD83D\uDE00\uD800\uDFFF\u212A";

    @Test
    public void chainsEqualDigestSecretsHash() {
        SplittableRandom r = new SplittableRandom(3);
        for (String alg : new String[] {"MD5", "SHA-256"}) {
            for (int round = 0; round < 3000; round++) {
                int parts = 1 + r.nextInt(6);
                String[] p = new String[parts];
                for (int i = 0; i < parts; i++) {
                    int len = r.nextInt(8) == 0 ? 200 + r.nextInt(200) : r.nextInt(12);   // past the 256-byte buffer too
                    StringBuilder sb = new StringBuilder();
                    boolean ascii = r.nextBoolean();
                    for (int k = 0; k < len; k++) {
                        sb.append(ALPHABET.charAt(r.nextInt(ascii ? 14 : ALPHABET.length())));
                    }
                    p[i] = sb.toString();
                }
                DigestHash h = DigestHash.of(alg).add(p[0]);
                for (int i = 1; i < parts; i++) {
                    h.colon().add(p[i]);
                }
                String joined = String.join(":", p);
                assertEquals(joined, DigestSecrets.hash(alg, joined), h.hex());
            }
        }
        assertEquals(DigestSecrets.hash("MD5", ":"), DigestHash.of("MD5").colon().hex());
        assertEquals(DigestSecrets.hash("SHA-256", ""), DigestHash.of("SHA-256").hex());
    }

    @Test
    public void anUnfinishedChainDoesNotSpoilTheNext() {
        DigestHash.of("MD5").add("left over");
        assertEquals(DigestSecrets.hash("MD5", "a:b"), DigestHash.of("MD5").add("a").colon().add("b").hex());
    }

    @Test
    public void sameHexAnswersAsTheComparisonItReplaced() {
        String expected = DigestSecrets.hash("MD5", "x");
        String[] responses = {expected, expected.toUpperCase(Locale.ROOT), expected.substring(1), expected + "0", "",
            expected.substring(0, 31) + "g", "\u212A" + expected.substring(1), expected.replace('a', '\u0130'),
            expected.substring(0, 31) + "\u00e0", expected.substring(0, 31) + (char) (expected.charAt(31) + 0x100)};
        for (String response : responses) {
            boolean before = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    response.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
            assertEquals(response, before, DigestHash.sameHex(expected, response));
        }
        assertTrue(DigestHash.sameHex(expected, expected.toUpperCase(Locale.ROOT)));
        assertFalse(DigestHash.sameHex(expected, expected.substring(1)));
    }
}
