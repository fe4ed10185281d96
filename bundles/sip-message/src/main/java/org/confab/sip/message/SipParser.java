package org.confab.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.confab.sip.message.internal.HeaderField;
import org.confab.sip.message.internal.Text;

/**
 * Parses SIP messages from bytes (RFC 3261 §7, §25). The parser splits the header section
 * into fields (an index over the bytes, no copies) and validates only the start line and
 * the headers routing needs: Via, From, To, Call-ID, CSeq, Max-Forwards, Content-Length and
 * Expires. Other headers are parsed when accessed. The byte array is kept by the message: do
 * not modify it afterwards.
 */
public final class SipParser {

    private SipParser() {
    }

    /**
     * @param data one whole message
     * @return the request or response
     * @throws SipParseException saying what was wrong
     */
    public static SipMessage parse(byte[] data) throws SipParseException {
        return parse(data, 0, data.length);
    }

    /**
     * Parses one message. CRLFs before the start line are skipped (RFC 3261 §7.5). With a
     * Content-Length the body is that many bytes (a larger Content-Length than the bytes there is
     * an error; extra bytes are ignored); without one the body is the rest (datagram).
     *
     * @param data the buffer
     * @param offset where the message starts
     * @param length its length in bytes
     * @return the request or response
     * @throws SipParseException saying what was wrong
     */
    public static SipMessage parse(byte[] data, int offset, int length) throws SipParseException {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IllegalArgumentException("offset/length outside the array");
        }
        return new Run(data, offset, offset + length).parse();
    }

    /** The state of one parse; collects the first error and keeps going so a partial request can be built. */
    private static final class Run {
        private final byte[] b;
        private final int end;
        private int pos;
        private String error;
        private int errorStatus = 400;
        private boolean response;
        private String method;
        private Uri requestUri;
        private int status;
        private String reason;
        private int slStart;
        private int slEnd;
        private final ArrayList<HeaderField> fields = new ArrayList<>(16);
        private int blankStart = -1;
        private int blankEnd = -1;
        private final List<Via> vias = new ArrayList<>(2);
        private boolean viaOk = true;
        private NameAddr from;
        private NameAddr to;
        private CSeq cseq;
        private boolean callIdOk;
        private boolean hasCallId;
        private int maxForwards = -1;
        private int expires = -1;
        private long contentLength = -1;

        Run(byte[] b, int start, int end) {
            this.b = b;
            this.pos = start;
            this.end = end;
        }

        private void fail(String message) {
            if (error == null) {
                error = message;
            }
        }

        SipMessage parse() throws SipParseException {
            // RFC 3261 §7.5: implementations should ignore CRLFs before the start line
            while (pos < end && (b[pos] == '\r' || b[pos] == '\n')) {
                pos++;
            }
            if (pos >= end) {
                throw new SipParseException("Empty message");
            }
            slStart = pos;
            int le = lineEnd(pos);
            if (le < 0) {
                throw new SipParseException("Incomplete message: start line not terminated");
            }
            slEnd = afterTerminator(le);
            startLine(slStart, le);
            if (method == null && !response) {
                throw new SipParseException(error);
            }
            pos = slEnd;
            headers();
            validate();
            if (error != null) {
                throw new SipParseException(error, errorStatus, response ? null : partial());
            }
            int bodyStart = blankEnd;
            int available = end - bodyStart;
            int bodyLen;
            if (contentLength < 0) {
                bodyLen = available;
            } else if (contentLength > available) {
                throw new SipParseException("Content-Length exceeds message: Content-Length " + contentLength
                        + " but " + available + " bytes of body", 400, response ? null : partial());
            } else {
                bodyLen = (int) contentLength;
            }
            SipMessage m = response ? new SipResponse(status, reason, fields) : new SipRequest(method, requestUri, fields);
            m.src = b;
            m.startLineStart = slStart;
            m.startLineEnd = slEnd;
            m.blankStart = blankStart;
            m.blankEnd = blankEnd;
            m.setParsedBody(b, bodyStart, bodyLen);
            m.setParsedCaches(Collections.unmodifiableList(vias), from, to, cseq, maxForwards, expires);
            return m;
        }

        /** Index of the CR or LF ending the line that starts at {@code p}, or -1. */
        private int lineEnd(int p) {
            for (int i = p; i < end; i++) {
                byte c = b[i];
                if (c == '\r' || c == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private int afterTerminator(int le) {
            return b[le] == '\r' && le + 1 < end && b[le + 1] == '\n' ? le + 2 : le + 1;
        }

        // RFC 3261 §7.1 Request-Line = Method SP Request-URI SP SIP-Version CRLF
        // RFC 3261 §7.2 Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF
        private void startLine(int s, int e) {
            if (e - s >= 4 && (b[s] | 0x20) == 's' && (b[s + 1] | 0x20) == 'i' && (b[s + 2] | 0x20) == 'p' && b[s + 3] == '/') {
                response = true;
                statusLine(s, e);
                return;
            }
            int sp1 = -1;
            int sp2 = -1;
            int spaces = 0;
            for (int i = s; i < e; i++) {
                if (b[i] == ' ') {
                    spaces++;
                    if (sp1 < 0) {
                        sp1 = i;
                    }
                    sp2 = i;
                }
            }
            if (sp1 <= s) {
                fail("Bad request line: expected 'Method SP Request-URI SP SIP-Version' but got '" + text(s, e) + "'");
                return;
            }
            for (int i = s; i < sp1; i++) {
                if (b[i] < 0 || !Text.isToken((char) b[i])) {
                    fail("Bad request line: illegal character in method '" + new String(b, s, sp1 - s, StandardCharsets.UTF_8) + "'");
                    return;
                }
            }
            method = Text.method(b, s, sp1);
            if (spaces != 2) {
                fail("Bad request line: expected 'Method SP Request-URI SP SIP-Version' separated by single spaces, got '"
                        + text(s, e) + "'");
                return;
            }
            if (!isSip20(sp2 + 1, e) && !checkVersion(new String(b, sp2 + 1, e - sp2 - 1, StandardCharsets.UTF_8))) {
                return;
            }
            String uri = new String(b, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.UTF_8);
            try {
                requestUri = Uri.parse(uri);
                // RFC 3261 §19.1.1 Table 1: no headers component in a Request-URI (RFC 4475 §3.1.2.11)
                if (requestUri instanceof SipUri && !((SipUri) requestUri).headers().isEmpty()) {
                    requestUri = null;
                    fail("Bad Request-URI: headers ('?...') are not allowed in a Request-URI: '" + uri + "'");
                }
            } catch (SipParseException ex) {
                String msg = ex.getMessage();
                fail("Bad Request-URI: " + (msg.startsWith("Bad URI: ") ? msg.substring(9) : msg));
            }
        }

        /** "SIP/2.0" in any case (RFC 3261 §7.1), checked without allocating. */
        private boolean isSip20(int s, int e) {
            return e - s == 7 && (b[s] | 0x20) == 's' && (b[s + 1] | 0x20) == 'i' && (b[s + 2] | 0x20) == 'p'
                    && b[s + 3] == '/' && b[s + 4] == '2' && b[s + 5] == '.' && b[s + 6] == '0';
        }

        private boolean checkVersion(String version) {
            if (version.equalsIgnoreCase("SIP/2.0")) {
                return true;
            }
            // RFC 3261 §7.1: SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT
            int dot = version.indexOf('.');
            boolean wellFormed = version.length() > 4 && version.regionMatches(true, 0, "SIP/", 0, 4) && dot > 4
                    && Text.allDigits(version.substring(4, dot)) && Text.allDigits(version.substring(dot + 1));
            if (wellFormed && error == null) {
                error = "Unsupported SIP version: " + version;
                errorStatus = 505; // RFC 3261 §21.5.6
            } else {
                fail("Bad SIP version: '" + version + "'");
            }
            return false;
        }

        private void statusLine(int s, int e) {
            int sp = -1;
            for (int i = s; i < e; i++) {
                if (b[i] == ' ') {
                    sp = i;
                    break;
                }
            }
            if (sp < 0 || e - sp < 4) {
                fail("Bad status line: '" + text(s, e) + "'");
                return;
            }
            if (!isSip20(s, sp) && !checkVersion(new String(b, s, sp - s, StandardCharsets.US_ASCII))) {
                return;
            }
            int code = 0;
            for (int i = sp + 1; i < sp + 4; i++) {
                if (!Text.isDigit(b[i])) {
                    fail("Bad status line: status code is not three digits: '" + text(s, e) + "'");
                    return;
                }
                code = code * 10 + (b[i] - '0');
            }
            if (code < 100 || code > 699) {
                fail("Bad status line: status code out of range: " + code);
                return;
            }
            int r = sp + 4;
            if (r < e && b[r] != ' ') {
                fail("Bad status line: status code is not three digits: '" + text(s, e) + "'");
                return;
            }
            status = code;
            reason = r < e ? new String(b, r + 1, e - r - 1, StandardCharsets.UTF_8) : "";
        }

        // RFC 3261 §7.3: message-header = field-name HCOLON field-value CRLF, with LWS folding
        private void headers() {
            int p = pos;
            while (true) {
                if (p >= end) {
                    fail("Incomplete message: header section not terminated by an empty line");
                    return;
                }
                byte c = b[p];
                if (c == '\r' || c == '\n') {
                    blankStart = p;
                    blankEnd = afterTerminator(p);
                    return;
                }
                int le = lineEnd(p);
                if (le < 0) {
                    fail("Incomplete message: header section not terminated by an empty line");
                    return;
                }
                int next = afterTerminator(le);
                while (next < end && (b[next] == ' ' || b[next] == '\t')) {
                    int l2 = lineEnd(next);
                    if (l2 < 0) {
                        fail("Incomplete message: header section not terminated by an empty line");
                        return;
                    }
                    le = l2;
                    next = afterTerminator(l2);
                }
                if (c == ' ' || c == '\t') {
                    fail("Bad header line: continuation line without a header: '" + text(p, le) + "'");
                    p = next;
                    continue;
                }
                int i = p;
                while (i < le && b[i] >= 0 && Text.isToken((char) b[i])) {
                    i++;
                }
                int nameEnd = i;
                // HCOLON = *( SP / HTAB ) ":" SWS
                while (i < le && (b[i] == ' ' || b[i] == '\t')) {
                    i++;
                }
                if (nameEnd == p || i >= le || b[i] != ':') {
                    fail(nameEnd == p || (i < le && b[i] != ':')
                            && indexOf(p, le, (byte) ':') >= 0
                            ? "Bad header line: illegal header name in '" + text(p, le) + "'"
                            : "Bad header line (no colon): '" + text(p, le) + "'");
                    p = next;
                    continue;
                }
                int vs = i + 1;
                while (vs < le && Text.isLws(b[vs])) {
                    vs++;
                }
                int ve = le;
                while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
                    ve--;
                }
                fields.add(HeaderField.parsed(b, p, next, nameEnd, vs, ve));
                p = next;
            }
        }

        private int indexOf(int s, int e, byte x) {
            for (int i = s; i < e; i++) {
                if (b[i] == x) {
                    return i;
                }
            }
            return -1;
        }

        private String text(int s, int e) {
            return new String(b, s, Math.min(e - s, 200), StandardCharsets.UTF_8);
        }

        /** Validates the headers routing needs (RFC 3261 §8.1.1, §8.2, §20). */
        private void validate() {
            int nFrom = 0;
            int nTo = 0;
            int nCseq = 0;
            int nCallId = 0;
            int nMaxF = 0;
            int nCl = 0;
            for (HeaderField f : fields) {
                switch (f.key()) {
                    case HeaderNames.VIA:
                        via(f);
                        break;
                    case HeaderNames.FROM:
                        if (++nFrom == 1) {
                            from = address(f, "From");
                        } else {
                            fail("Duplicate From header");
                        }
                        break;
                    case HeaderNames.TO:
                        if (++nTo == 1) {
                            to = address(f, "To");
                        } else {
                            fail("Duplicate To header");
                        }
                        break;
                    case HeaderNames.CALL_ID:
                        hasCallId = true;
                        if (++nCallId == 1) {
                            callId(f);
                        } else {
                            fail("Duplicate Call-ID header");
                        }
                        break;
                    case HeaderNames.CSEQ:
                        if (++nCseq == 1) {
                            cseq(f);
                        } else {
                            fail("Duplicate CSeq header");
                        }
                        break;
                    case HeaderNames.MAX_FORWARDS:
                        if (++nMaxF == 1) {
                            long v = f.digits(255);
                            if (v < 0) {
                                v = Text.parseDigits(f.value(), 255);
                            }
                            if (v < 0) {
                                fail("Bad Max-Forwards: '" + f.value() + "' is not a number from 0 to 255");
                            }
                            maxForwards = (int) v;
                        } else {
                            fail("Duplicate Max-Forwards header");
                        }
                        break;
                    case HeaderNames.CONTENT_LENGTH:
                        contentLength(f, ++nCl);
                        break;
                    case HeaderNames.EXPIRES:
                        long e = f.digits(Integer.MAX_VALUE);
                        expires = e >= 0 ? (int) e : SipMessage.parseExpires(f.value());
                        if (expires == Integer.MIN_VALUE) {
                            fail("Bad Expires: '" + f.value() + "' is not a number of seconds");
                        }
                        break;
                    default:
                        break;
                }
            }
            // RFC 3261 §8.1.1: To, From, CSeq, Call-ID, Max-Forwards (tolerated when absent), Via
            if (nTo == 0) {
                fail("Missing mandatory header: To");
            } else if (nFrom == 0) {
                fail("Missing mandatory header: From");
            } else if (nCseq == 0) {
                fail("Missing mandatory header: CSeq");
            } else if (nCallId == 0) {
                fail("Missing mandatory header: Call-ID");
            } else if (vias.isEmpty() && viaOk) {
                fail("Missing mandatory header: Via");
            }
        }

        private void via(HeaderField f) {
            String value = f.value();
            if (Text.isSingleValue(value)) {
                String v = Text.trimLws(value);
                if (v.isEmpty()) {
                    viaOk = false;
                    fail("Bad Via: empty value");
                } else {
                    via(v);
                }
                return;
            }
            List<String> values;
            try {
                values = Text.splitCommas(value);
            } catch (IllegalArgumentException e) {
                viaOk = false;
                fail("Bad Via: " + e.getMessage() + " in '" + value + "'");
                return;
            }
            if (values.isEmpty()) {
                viaOk = false;
                fail("Bad Via: empty value");
            }
            for (String v : values) {
                via(v);
            }
        }

        private void via(String v) {
            try {
                vias.add(Via.parse(v));
            } catch (SipParseException e) {
                viaOk = false;
                fail(e.getMessage());
            }
        }

        private NameAddr address(HeaderField f, String name) {
            try {
                return NameAddr.parse(f.value());
            } catch (SipParseException e) {
                fail("Bad " + name + ": " + strip(e.getMessage()));
                return null;
            }
        }

        private static String strip(String msg) {
            if (msg.startsWith("Bad address: ")) {
                return msg.substring(13);
            }
            return msg.startsWith("Bad URI: ") ? msg.substring(9) : msg;
        }

        private void callId(HeaderField f) {
            // RFC 3261 §25.1: callid = word [ "@" word ]
            String v = f.value();
            if (v.isEmpty()) {
                fail("Bad Call-ID: empty");
                return;
            }
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c <= ' ' || c >= 127) {
                    fail("Bad Call-ID: illegal character in '" + v + "'");
                    return;
                }
            }
            callIdOk = true;
        }

        private void cseq(HeaderField f) {
            try {
                cseq = CSeq.parse(f.value());
            } catch (SipParseException e) {
                fail(e.getMessage());
                return;
            }
            // RFC 3261 §8.1.1.5: the CSeq method matches the request method
            if (!response && method != null && !cseq.method().equals(method)) {
                fail("Bad CSeq: method '" + cseq.method() + "' does not match request line method '" + method + "'");
                cseq = null;
            }
        }

        private void contentLength(HeaderField f, int count) {
            long plain = f.digits(Integer.MAX_VALUE);
            if (plain >= 0) {
                if (count > 1 && plain != contentLength) {
                    fail("Bad Content-Length: several different values");
                    return;
                }
                contentLength = plain;
                return;
            }
            String v = f.value();
            if (!Text.allDigits(v)) {
                fail("Bad Content-Length: '" + v + "' is not a number");
                return;
            }
            long l = Text.parseDigits(v, Integer.MAX_VALUE);
            if (l < 0) {
                fail("Bad Content-Length: " + v + " is too large");
                return;
            }
            if (count > 1 && l != contentLength) {
                fail("Bad Content-Length: several different values");
                return;
            }
            contentLength = l;
        }

        /** The start line and the Via, From, To, Call-ID and CSeq fields that parsed, for a 400. */
        private SipRequest partial() {
            if (method == null) {
                return null;
            }
            SipRequest r = new SipRequest(method, requestUri, true);
            for (HeaderField f : fields) {
                boolean keep;
                switch (f.key()) {
                    case HeaderNames.VIA: keep = viaOk; break;
                    case HeaderNames.FROM: keep = from != null; break;
                    case HeaderNames.TO: keep = to != null; break;
                    case HeaderNames.CALL_ID: keep = callIdOk; break;
                    case HeaderNames.CSEQ: keep = cseq != null; break;
                    default: keep = false; break;
                }
                if (keep) {
                    r.fields.add(f);
                }
            }
            return r;
        }
    }
}
