package org.confab.sip.transport.internal;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Random branch parameters and tags. */
final class Ids {

    /** RFC 3261 §8.1.1.7 */
    static final String MAGIC_COOKIE = "z9hG4bK";

    private static final byte[] COOKIE = MAGIC_COOKIE.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom SEEDS = new SecureRandom();
    // Tags and branches must be unguessable (a guessed branch lets a third party answer or cancel our
    // transactions), so they come from a cryptographic generator; but one shared SecureRandom
    // (NativePRNG) takes a global lock and reads /dev/urandom on every call, several times a request.
    // Each thread has its own generator instead, seeded once from the shared one.
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Ids::newRandom);

    private Ids() {
    }

    private static SecureRandom newRandom() {
        byte[] seed = new byte[32];
        SEEDS.nextBytes(seed);
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed); // before the first output: this seed alone determines it, and nothing blocks
            return r;
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom(seed);
        }
    }

    static String random(int length) {
        byte[] b = new byte[length];
        RANDOM.get().nextBytes(b);
        toAlphabet(b, 0);
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** A fresh magic-cookie branch (RFC 3261 §8.1.1.7). */
    static String branch() {
        byte[] b = new byte[COOKIE.length + 20];
        RANDOM.get().nextBytes(b); // the cookie's places are drawn too and written over: one array, one copy
        toAlphabet(b, COOKIE.length);
        System.arraycopy(COOKIE, 0, b, 0, COOKIE.length);
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static void toAlphabet(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            b[i] = ALPHABET[(b[i] & 0xff) % ALPHABET.length];
        }
    }

    /** A To/From tag (RFC 3261 §19.3): at least 32 bits of randomness. */
    static String tag() {
        return random(12);
    }
}
