package org.confab.sip.transport.internal;

import java.security.SecureRandom;

/** Random branch parameters and tags. */
final class Ids {

    /** RFC 3261 §8.1.1.7 */
    static final String MAGIC_COOKIE = "z9hG4bK";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private Ids() {
    }

    static String random(int length) {
        byte[] b = new byte[length];
        RANDOM.nextBytes(b);
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = ALPHABET[(b[i] & 0xff) % ALPHABET.length];
        }
        return new String(c);
    }

    /** A fresh magic-cookie branch (RFC 3261 §8.1.1.7). */
    static String branch() {
        return MAGIC_COOKIE + random(20);
    }

    /** A To/From tag (RFC 3261 §19.3): at least 32 bits of randomness. */
    static String tag() {
        return random(12);
    }
}
