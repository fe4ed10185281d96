package org.confab.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.confab.api.store.Credential;

/**
 * Derives what the Digest scheme stores instead of a password: HA1 = H(username:realm:password)
 * (RFC 7616 §3.4.2) for each algorithm offered and for both usernames clients use (the user part
 * and user@domain).
 */
public final class DigestSecrets {

    /** The scheme name stored with the credentials. */
    public static final String SCHEME = "Digest";

    /** Algorithms stored, strongest first (RFC 7616 §3.7: offer SHA-256 before MD5). */
    public static final List<String> ALGORITHMS = List.of("SHA-256", "MD5");

    private DigestSecrets() {
    }

    /** Lower-case hex of H(data) with the named algorithm ("MD5" or "SHA-256", "-sess" ignored). */
    public static String hash(String algorithm, String data) {
        String alg = algorithm.toUpperCase(Locale.ROOT);
        if (alg.endsWith("-SESS")) {
            alg = alg.substring(0, alg.length() - 5);
        }
        try {
            MessageDigest md = MessageDigest.getInstance(alg.equals("SHA-256") ? "SHA-256" : "MD5");
            return HexFormat.of().formatHex(md.digest(data.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JVM lacks " + alg, e);
        }
    }

    /** HA1 for one username, realm, password and algorithm. */
    public static String ha1(String algorithm, String username, String realm, String password) {
        return hash(algorithm, username + ":" + realm + ":" + password);
    }

    /**
     * All Digest credentials of a user whose canonical URI is {@code sip:user@domain}, for the
     * realm (the domain).
     */
    public static List<Credential> credentials(String userUri, String realm, String password) {
        String addr = userUri.substring(userUri.indexOf(':') + 1);
        String user = addr.substring(0, addr.indexOf('@'));
        List<Credential> out = new ArrayList<>();
        for (String username : List.of(user, addr)) {
            for (String alg : ALGORITHMS) {
                out.add(new Credential(SCHEME, realm, username, alg, ha1(alg, username, realm, password)));
            }
        }
        return out;
    }
}
