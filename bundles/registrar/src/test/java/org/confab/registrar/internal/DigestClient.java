package org.confab.registrar.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client side of Digest, written for the tests from RFC 7616 §3.4 and RFC 2069 without
 * using any server code, so that the server is checked against an independent computation.
 */
final class DigestClient {

    private static final Pattern PARAM = Pattern.compile("([A-Za-z0-9_-]+)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,\\s]+)");

    private DigestClient() {
    }

    /** Parameters of a challenge or Authentication-Info value (scheme word removed, names lower case). */
    static Map<String, String> params(String value) {
        String v = value.trim();
        if (v.regionMatches(true, 0, "Digest ", 0, 7)) {
            v = v.substring(7);
        }
        Map<String, String> out = new HashMap<>();
        Matcher m = PARAM.matcher(v);
        while (m.find()) {
            String raw = m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(2);
            out.put(m.group(1).toLowerCase(), raw);
        }
        return out;
    }

    static String h(String algorithm, String data) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm.startsWith("SHA-256") ? "SHA-256" : "MD5");
            byte[] d = md.digest(data.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : d) {
                sb.append(String.format("%02x", b & 0xff));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** An Authorization value with qop=auth answering the challenge. */
    static String answer(String challenge, String username, String password, String method, String uri,
                         int nc, String cnonce) {
        Map<String, String> c = params(challenge);
        String alg = c.get("algorithm");
        String realm = c.get("realm");
        String nonce = c.get("nonce");
        String ncText = String.format("%08x", nc);
        String ha1 = h(alg, username + ":" + realm + ":" + password);
        String ha2 = h(alg, method + ":" + uri);
        String response = h(alg, ha1 + ":" + nonce + ":" + ncText + ":" + cnonce + ":auth:" + ha2);
        return "Digest username=\"" + username + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", response=\"" + response + "\", algorithm=" + alg + ", cnonce=\"" + cnonce + "\", opaque=\""
                + c.get("opaque") + "\", qop=auth, nc=" + ncText;
    }

    /** An RFC 2069 Authorization value (no qop, MD5), as old phones send it. */
    static String answerWithoutQop(String challenge, String username, String password, String method, String uri) {
        Map<String, String> c = params(challenge);
        String realm = c.get("realm");
        String nonce = c.get("nonce");
        String ha1 = h("MD5", username + ":" + realm + ":" + password);
        String ha2 = h("MD5", method + ":" + uri);
        String response = h("MD5", ha1 + ":" + nonce + ":" + ha2);
        return "Digest username=\"" + username + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", response=\"" + response + "\"";
    }

    /** The rspauth a server must send back (RFC 7616 §3.5: A2 = ":" digest-uri). */
    static String rspauth(String challenge, String username, String password, String uri, int nc, String cnonce) {
        Map<String, String> c = params(challenge);
        String alg = c.get("algorithm");
        String ha1 = h(alg, username + ":" + c.get("realm") + ":" + password);
        return h(alg, ha1 + ":" + c.get("nonce") + ":" + String.format("%08x", nc) + ":" + cnonce + ":auth:" + h(alg, ":" + uri));
    }
}
