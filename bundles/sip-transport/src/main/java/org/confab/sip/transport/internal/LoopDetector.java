package org.confab.sip.transport.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.NameAddr;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.Via;

/**
 * Loop detection (RFC 3261 §16.3 step 4, §16.6 step 8). The branch of every request we send ends
 * with a hash of the fields that identify it: Request-URI, From tag, To tag, Call-ID, CSeq number
 * and Proxy-Require. A received request whose Via list holds one of our sent-bys with a branch ending
 * in the hash of this same request has looped; a changed Request-URI (a spiral) gives another hash.
 * The top Via is left out of the hash although §16.6 names it: in a looped request it is the
 * previous hop's, so a hash over it could never match.
 */
final class LoopDetector {

    private LoopDetector() {
    }

    /** A magic-cookie branch: random part, '.', the request's loop hash. */
    static String branch(SipRequest request) {
        return Ids.MAGIC_COOKIE + Ids.random(10) + "." + hash(request);
    }

    static String hash(SipRequest r) {
        StringBuilder sb = new StringBuilder(160);
        sb.append(r.requestUri()).append('\n');
        sb.append(tag(r.from())).append('\n');
        sb.append(tag(r.to())).append('\n');
        sb.append(r.callId()).append('\n');
        sb.append(r.cseq() == null ? "" : Long.toString(r.cseq().number())).append('\n');
        for (String pr : r.headers(HeaderNames.PROXY_REQUIRE)) {
            sb.append(pr).append('\n');
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(16);
            for (int i = 0; i < 8; i++) {
                hex.append(Character.forDigit((d[i] >> 4) & 0xf, 16)).append(Character.forDigit(d[i] & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }

    private static String tag(NameAddr a) {
        return a == null || a.tag() == null ? "" : a.tag();
    }

    /**
     * @param request a received request
     * @param ours our sent-bys as "host:port", lower-case
     * @return true when one of our own Vias carries this request's hash
     */
    static boolean looped(SipRequest request, List<String> ours) {
        String suffix = null;
        for (Via v : request.vias()) {
            String branch = v.branch();
            if (branch == null || branch.indexOf('.') < 0) {
                continue;
            }
            String sentBy = (v.host() + ":" + (v.port() < 0 ? defaultPort(v.transport()) : v.port())).toLowerCase();
            if (!ours.contains(sentBy)) {
                continue;
            }
            if (suffix == null) {
                suffix = "." + hash(request);
            }
            if (branch.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    private static int defaultPort(String transport) {
        return "TLS".equals(transport) || "WSS".equals(transport) ? 5061 : 5060;
    }
}
