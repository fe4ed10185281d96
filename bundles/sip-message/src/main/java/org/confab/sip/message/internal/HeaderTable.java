package org.confab.sip.message.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Known header names with their compact forms (RFC 3261 §7.3.3, §20 and the extensions Confab
 * speaks), looked up case-insensitively straight from the message bytes without allocating.
 */
public final class HeaderTable {

    /** Canonical spelling, compact form ('\0' for none), whether the value is a comma list. */
    private static final Object[][] KNOWN = {
        {"Accept", '\0', true}, {"Accept-Contact", 'a', true}, {"Accept-Encoding", '\0', true},
        {"Accept-Language", '\0', true}, {"Alert-Info", '\0', true}, {"Allow", '\0', true},
        {"Allow-Events", 'u', true}, {"Authentication-Info", '\0', false}, {"Authorization", '\0', false},
        {"Call-ID", 'i', false}, {"Call-Info", '\0', true}, {"Contact", 'm', true},
        {"Content-Disposition", '\0', false}, {"Content-Encoding", 'e', true}, {"Content-Language", '\0', true},
        {"Content-Length", 'l', false}, {"Content-Type", 'c', false}, {"CSeq", '\0', false},
        {"Date", '\0', false}, {"Error-Info", '\0', true}, {"Event", 'o', false}, {"Expires", '\0', false},
        {"From", 'f', false}, {"Identity", 'y', false}, {"Identity-Info", 'n', false}, {"In-Reply-To", '\0', true},
        {"Max-Forwards", '\0', false}, {"MIME-Version", '\0', false}, {"Min-Expires", '\0', false},
        {"Min-SE", '\0', false}, {"Organization", '\0', false}, {"Path", '\0', true},
        {"P-Asserted-Identity", '\0', true}, {"P-Preferred-Identity", '\0', true}, {"Priority", '\0', false},
        {"Privacy", '\0', false}, {"Proxy-Authenticate", '\0', false}, {"Proxy-Authorization", '\0', false},
        {"Proxy-Require", '\0', true}, {"RAck", '\0', false}, {"Reason", '\0', true}, {"Record-Route", '\0', true},
        {"Refer-To", 'r', false}, {"Referred-By", 'b', false}, {"Reject-Contact", 'j', true},
        {"Reply-To", '\0', false}, {"Request-Disposition", 'd', true}, {"Require", '\0', true},
        {"Retry-After", '\0', false}, {"Route", '\0', true}, {"RSeq", '\0', false}, {"Server", '\0', false},
        {"Service-Route", '\0', true}, {"Session-Expires", 'x', false}, {"SIP-ETag", '\0', false},
        {"SIP-If-Match", '\0', false}, {"Subject", 's', false}, {"Subscription-State", '\0', false},
        {"Supported", 'k', true}, {"Timestamp", '\0', false}, {"To", 't', false}, {"Unsupported", '\0', true},
        {"User-Agent", '\0', false}, {"Via", 'v', true}, {"Warning", '\0', true}, {"WWW-Authenticate", '\0', false},
    };

    private static final String[] CANONICAL = new String[KNOWN.length];
    private static final boolean[] LIST = new boolean[KNOWN.length];
    /** Index by name length (long names) then entries. */
    private static final int[][] BY_LENGTH;
    /** Index by compact letter 'a'..'z', -1 for none. */
    private static final int[] COMPACT = new int[26];

    static {
        int max = 0;
        for (int i = 0; i < KNOWN.length; i++) {
            CANONICAL[i] = (String) KNOWN[i][0];
            LIST[i] = (Boolean) KNOWN[i][2];
            max = Math.max(max, CANONICAL[i].length());
        }
        List<List<Integer>> buckets = new ArrayList<>();
        for (int l = 0; l <= max; l++) {
            buckets.add(new ArrayList<>());
        }
        for (int i = 0; i < KNOWN.length; i++) {
            buckets.get(CANONICAL[i].length()).add(i);
        }
        BY_LENGTH = new int[max + 1][];
        for (int l = 0; l <= max; l++) {
            BY_LENGTH[l] = buckets.get(l).stream().mapToInt(Integer::intValue).toArray();
        }
        Arrays.fill(COMPACT, -1);
        for (int i = 0; i < KNOWN.length; i++) {
            char c = (Character) KNOWN[i][1];
            if (c != '\0') {
                COMPACT[c - 'a'] = i;
            }
        }
    }

    private HeaderTable() {
    }

    /** Index of a known header named by bytes [s, e), or -1. */
    public static int lookup(byte[] b, int s, int e) {
        int len = e - s;
        if (len == 1) {
            int c = b[s] | 0x20;
            return c >= 'a' && c <= 'z' ? COMPACT[c - 'a'] : -1;
        }
        if (len >= BY_LENGTH.length) {
            return -1;
        }
        for (int idx : BY_LENGTH[len]) {
            String k = CANONICAL[idx];
            boolean eq = true;
            for (int i = 0; i < len; i++) {
                int x = b[s + i];
                int y = k.charAt(i);
                if (x != y && (x | 0x20) != (y | 0x20)) {
                    eq = false;
                    break;
                }
            }
            if (eq) {
                return idx;
            }
        }
        return -1;
    }

    /** Index of a known header, or -1. */
    public static int lookup(String name) {
        int len = name.length();
        if (len == 1) {
            int c = name.charAt(0) | 0x20;
            return c >= 'a' && c <= 'z' ? COMPACT[c - 'a'] : -1;
        }
        if (len >= BY_LENGTH.length) {
            return -1;
        }
        for (int idx : BY_LENGTH[len]) {
            if (CANONICAL[idx].equalsIgnoreCase(name)) {
                return idx;
            }
        }
        return -1;
    }

    public static String canonical(int index) {
        return CANONICAL[index];
    }

    public static boolean isList(int index) {
        return index < 0 || LIST[index];
    }

    /** The lookup key of a header name: the canonical spelling of known headers, lower case otherwise. */
    public static String key(String name) {
        int idx = lookup(name);
        return idx >= 0 ? CANONICAL[idx] : Text.lower(name);
    }
}
