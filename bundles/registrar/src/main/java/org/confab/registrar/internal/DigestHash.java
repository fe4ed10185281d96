package org.confab.registrar.internal;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hashes of the Digest scheme (RFC 7616 §3.4), equal to {@code DigestSecrets.hash(alg, a + ":" + b ...)}
 * but made without that call's costs on every REGISTER: a provider lookup for a new MessageDigest,
 * the joined string and its UTF-8 copy. Each thread keeps one digest per algorithm and a scratch
 * buffer (JDK types only: the transport's threads that run this outlive the bundle when it is
 * updated); the parts are fed as they come: {@code DigestHash.of(alg).add(a).colon().add(b).hex()}.
 * Chains share the thread's buffers, so they must not nest: finish one before starting the next.
 */
final class DigestHash {

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> digest("MD5"));
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> digest("SHA-256"));
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[256]);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final MessageDigest md;
    private final byte[] buf;
    private int len;

    private DigestHash(MessageDigest md, byte[] buf) {
        this.md = md;
        this.buf = buf;
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JVM lacks " + name, e);
        }
    }

    /** Starts a hash with "SHA-256" or "MD5" (what DigestSecrets.hash does with any other name: MD5). */
    static DigestHash of(String algorithm) {
        MessageDigest md = ("SHA-256".equals(algorithm) ? SHA256 : MD5).get();
        md.reset();     // in case a chain was left unfinished by an exception
        return new DigestHash(md, SCRATCH.get());
    }

    /** Appends the UTF-8 bytes of a part. */
    DigestHash add(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                // not ASCII: encoded as a whole. The same bytes as encoding the joined string, because
                // the parts are always separated by ':' so no surrogate pair spans two of them
                flush();
                md.update(s.getBytes(StandardCharsets.UTF_8));
                return this;
            }
        }
        for (int i = 0; i < n; i++) {
            if (len == buf.length) {
                flush();
            }
            buf[len++] = (byte) s.charAt(i);
        }
        return this;
    }

    DigestHash colon() {
        if (len == buf.length) {
            flush();
        }
        buf[len++] = ':';
        return this;
    }

    /** Lower-case hex of the digest; the chain is over. */
    String hex() {
        flush();
        int n;
        try {
            n = md.digest(buf, 0, buf.length);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        for (int i = n - 1; i >= 0; i--) {     // backwards, in place: buf[i] is read before buf[2i] is written
            byte b = buf[i];
            buf[2 * i] = HEX[(b >> 4) & 0xf];
            buf[2 * i + 1] = HEX[b & 0xf];
        }
        return new String(buf, 0, 2 * n, StandardCharsets.ISO_8859_1);
    }

    private void flush() {
        if (len > 0) {
            md.update(buf, 0, len);
            len = 0;
        }
    }

    /**
     * Whether a client's response equals the expected lower-case hex, ignoring the case of the
     * response, in time that depends only on the expected length (as MessageDigest.isEqual did on
     * the bytes of {@code response.toLowerCase()}, without making them).
     */
    static boolean sameHex(String expected, String response) {
        int n = response.length();
        int diff = expected.length() ^ n;
        for (int i = 0; i < expected.length(); i++) {
            int c = i < n ? response.charAt(i) : 0;
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';     // a branch on the client's own text, never on the expected value
            }
            diff |= expected.charAt(i) ^ c;
        }
        return diff == 0;
    }
}
