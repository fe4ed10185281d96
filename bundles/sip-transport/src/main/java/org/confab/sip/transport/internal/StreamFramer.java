package org.confab.sip.transport.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Frames SIP messages on a stream (RFC 3261 §18.3): the header section ends at CRLFCRLF,
 * the body is Content-Length bytes (mandatory on streams). Between messages a CRLFCRLF is a
 * keep-alive ping and a lone CRLF is ignored (RFC 5626 §3.5.1, RFC 3261 §7.5). The buffer
 * never grows beyond what actually arrived: a Content-Length above the maximum message size
 * is refused (513) before any byte of the body is awaited. After an error the framer is
 * dead and swallows everything: the connection is about to close.
 */
public final class StreamFramer {

    private static final int INITIAL_CAPACITY = 2048;
    private static final byte[] EMPTY = new byte[0];

    private final int maxMessageSize;
    /** Empty while nothing is pending: an idle connection (most of 20,000 registered phones) holds no buffer. */
    private byte[] buf = EMPTY;
    private int start;
    private int end;
    /** Length of the header section (incl. CRLFCRLF) of the message being framed, -1 until found. */
    private int headerLength = -1;
    private int bodyLength = -1;
    /** Where to resume the CRLFCRLF search, relative to start. */
    private int scanFrom;
    private boolean failed;

    public StreamFramer(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /** Adds bytes read from the stream; every complete frame goes to {@code out}, in order. */
    public void feed(byte[] data, int offset, int length, Consumer<InboundFrame> out) {
        if (failed) {
            return;
        }
        if (start == end) {
            // nothing pending (the usual case: one read, whole messages): frame straight from the
            // caller's bytes, and copy only an incomplete tail; frames are copies, so the caller's
            // array is never kept beyond this call
            buf = data;
            start = offset;
            end = offset + length;
            drain(out);
            if (!failed) {
                keepTail();
            }
            return;
        }
        append(data, offset, length);
        drain(out);
        if (start == end && !failed) {
            start = 0;
            end = 0;
            buf = EMPTY;
        }
    }

    /** After framing from a borrowed array: moves what is left into a buffer of our own. */
    private void keepTail() {
        int live = end - start;
        if (live == 0) {
            buf = EMPTY;
            start = 0;
            end = 0;
            return;
        }
        byte[] own = new byte[Math.max(INITIAL_CAPACITY, live)];
        System.arraycopy(buf, start, own, 0, live);
        buf = own;
        start = 0;
        end = live;
    }

    /** @return true once an error frame was produced */
    public boolean isFailed() {
        return failed;
    }

    /** @return the current buffer size in bytes (to check that no claimed size was allocated) */
    public int capacity() {
        return buf.length;
    }

    /** @return true while a header section has begun but its CRLFCRLF has not arrived */
    public boolean inHeaderSection() {
        return !failed && headerLength < 0 && end > start && buf[start] != '\r' && buf[start] != '\n';
    }

    /** @return bytes received but not yet framed */
    public int buffered() {
        return end - start;
    }

    private void append(byte[] data, int offset, int length) {
        if (buf.length - end < length) {
            int live = end - start;
            if (buf.length - live >= length && start > 0) {
                System.arraycopy(buf, start, buf, 0, live);
            } else {
                byte[] bigger = new byte[Math.max(Math.max(INITIAL_CAPACITY, buf.length * 2), live + length)];
                System.arraycopy(buf, start, bigger, 0, live);
                buf = bigger;
            }
            start = 0;
            end = live;
        }
        System.arraycopy(data, offset, buf, end, length);
        end += length;
    }

    private void drain(Consumer<InboundFrame> out) {
        while (!failed) {
            int avail = end - start;
            if (headerLength < 0) {
                if (avail == 0) {
                    return;
                }
                byte b = buf[start];
                if (b == '\r' || b == '\n') {
                    if (!skipLineBreaks(out)) {
                        return;
                    }
                    continue;
                }
                if (!findHeaders(out)) {
                    return;
                }
            }
            int total = headerLength + bodyLength;
            if (end - start < total) {
                return;
            }
            out.accept(InboundFrame.message(Arrays.copyOfRange(buf, start, start + total)));
            start += total;
            headerLength = -1;
            bodyLength = -1;
            scanFrom = 0;
            if (start == end) {
                start = 0;
                end = 0;
            }
        }
    }

    /** Between messages: CRLFCRLF is a ping, a lone CRLF (or LF) is skipped. False: need more bytes. */
    private boolean skipLineBreaks(Consumer<InboundFrame> out) {
        int avail = end - start;
        if (buf[start] == '\n') {
            start++;
            return true;
        }
        if (avail < 2) {
            return false;
        }
        if (buf[start + 1] != '\n') {
            start++; // a bare CR
            return true;
        }
        if (avail < 4) {
            if (avail == 3 && buf[start + 2] != '\r') {
                start += 2;
                return true;
            }
            return false; // CRLF or CRLFCR: wait to see whether it is a ping
        }
        if (buf[start + 2] == '\r' && buf[start + 3] == '\n') {
            start += 4;
            out.accept(InboundFrame.keepAlive()); // RFC 5626 §3.5.1: answer with CRLF
        } else {
            start += 2;
        }
        return true;
    }

    /** Looks for the end of the header section; false when more bytes are needed or on error. */
    private boolean findHeaders(Consumer<InboundFrame> out) {
        int avail = end - start;
        int lineEnd = indexOf(start, end, (byte) '\r', (byte) '\n');
        int firstLineLimit = lineEnd >= 0 ? lineEnd : buf[end - 1] == '\r' ? end - 1 : end; // a CR whose LF is still in flight
        for (int i = start; i < firstLineLimit; i++) {
            int c = buf[i] & 0xff;
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return fail(out, 0, "Binary data where a SIP start line was expected", null);
            }
        }
        if (lineEnd >= 0 && !looksLikeStartLine(new String(buf, start, lineEnd - start, StandardCharsets.ISO_8859_1))) {
            return fail(out, 0, "Not a SIP start line", null);
        }
        int from = start + Math.max(0, scanFrom - 3);
        int idx = indexOf(from, end, (byte) '\r', (byte) '\n', (byte) '\r', (byte) '\n');
        if (idx < 0) {
            if (avail > maxMessageSize) {
                return fail(out, 0, "Header section larger than " + maxMessageSize + " bytes", null);
            }
            scanFrom = avail;
            return false;
        }
        int headLen = idx + 4 - start;
        long contentLength = contentLength(buf, start, idx + 4);
        if (contentLength == MISSING) {
            // RFC 3261 §18.3: mandatory on streams
            return fail(out, 400, "Missing Content-Length", Arrays.copyOfRange(buf, start, idx + 4));
        }
        if (contentLength == INVALID) {
            return fail(out, 400, "Bad Content-Length", Arrays.copyOfRange(buf, start, idx + 4));
        }
        if (contentLength + headLen > maxMessageSize) {
            // RFC 3261 §21.5.11
            return fail(out, 513, "Message Too Large", Arrays.copyOfRange(buf, start, idx + 4));
        }
        headerLength = headLen;
        bodyLength = (int) contentLength;
        return true;
    }

    private boolean fail(Consumer<InboundFrame> out, int status, String reason, byte[] head) {
        failed = true;
        buf = new byte[0];
        start = 0;
        end = 0;
        out.accept(InboundFrame.error(status, reason, head));
        return false;
    }

    private int indexOf(int from, int to, byte... pattern) {
        outer:
        for (int i = from; i <= to - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buf[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Request-Line "METHOD SP Request-URI SP SIP/x.y" or Status-Line "SIP/x.y SP code SP reason". Trailing
     * whitespace does not make a line garbage (RFC 4475 §3.1.2.11 trws): the parser refuses it with a 400.
     */
    static boolean looksLikeStartLine(String startLine) {
        String line = startLine.stripTrailing();
        if (line.startsWith("SIP/")) {
            return line.length() >= 12 && line.charAt(7) == ' ' && Character.isDigit(line.charAt(8));
        }
        int sp1 = line.indexOf(' ');
        int sp2 = line.lastIndexOf(' ');
        if (sp1 <= 0 || sp2 <= sp1 + 1 || !line.startsWith("SIP/", sp2 + 1)) {
            return false;
        }
        for (int i = 0; i < sp1; i++) {
            char c = line.charAt(i);
            if (!(Character.isLetterOrDigit(c) || "-.!%*_+`'~".indexOf(c) >= 0) || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    static final long MISSING = -1;
    static final long INVALID = -2;

    /** The Content-Length (or compact "l") of a header section; folded lines are continuations. */
    static long contentLength(byte[] head) {
        return contentLength(head, 0, head.length);
    }

    /**
     * The same over {@code b[from, to)}, read in place: once per message on every connection, so no
     * string per header line. Lines end at CRLF; the first (start line) is skipped, and so are empty
     * lines and continuations. A header name is compared without case and around its whitespace.
     */
    static long contentLength(byte[] b, int from, int to) {
        long found = MISSING;
        int ls = lineEnd(b, from, to) + 2; // past the start line
        while (ls < to) {
            int le = lineEnd(b, ls, to);
            if (le > ls && b[ls] != ' ' && b[ls] != '\t') {
                int colon = -1;
                for (int i = ls; i < le; i++) {
                    if (b[i] == ':') {
                        colon = i;
                        break;
                    }
                }
                if (colon > ls && isContentLengthName(b, ls, colon)) {
                    StringBuilder value = new StringBuilder(16).append(latin1(b, colon + 1, le));
                    int next = le + 2;
                    while (next < to) {
                        int ne = lineEnd(b, next, to);
                        if (ne == next || (b[next] != ' ' && b[next] != '\t')) {
                            break;
                        }
                        value.append(' ').append(latin1(b, next, ne));
                        next = ne + 2;
                    }
                    long v = parseLength(value.toString().trim());
                    if (v == INVALID || (found != MISSING && found != v)) {
                        return INVALID;
                    }
                    found = v;
                }
            }
            ls = le + 2;
        }
        return found;
    }

    /** Where the line starting at {@code from} ends: the index of its CRLF, or {@code to}. */
    private static int lineEnd(byte[] b, int from, int to) {
        for (int i = from; i < to - 1; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return to;
    }

    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);

    /** "Content-Length" or "l", any case, with whitespace (any char up to SP) around it ignored. */
    private static boolean isContentLengthName(byte[] b, int from, int to) {
        while (from < to && (b[from] & 0xff) <= ' ') {
            from++;
        }
        while (to > from && (b[to - 1] & 0xff) <= ' ') {
            to--;
        }
        int n = to - from;
        if (n == 1) {
            return (b[from] | 0x20) == 'l';
        }
        if (n != CONTENT_LENGTH.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c |= 0x20;
            }
            if (c != CONTENT_LENGTH[i]) {
                return false;
            }
        }
        return true;
    }

    private static String latin1(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static long parseLength(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return s.length() > 18 && s.chars().allMatch(Character::isDigit) ? Long.MAX_VALUE / 2 : INVALID;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return INVALID;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
