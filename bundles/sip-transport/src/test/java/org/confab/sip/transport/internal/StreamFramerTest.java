package org.confab.sip.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.confab.sip.message.SipParser;
import org.confab.sip.message.SipRequest;
import org.junit.Test;

/** Content-Length framing on streams (RFC 3261 §18.3), keep-alives (RFC 5626 §3.5.1), limits. */
public class StreamFramerTest {

    private static final String BODY = "hello there";
    private static final String MSG = "MESSAGE sip:bob@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bKf1\r\n"
            + "From: <sip:a@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: f1\r\nCSeq: 1 MESSAGE\r\n"
            + "Content-Type: text/plain\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY;

    private final StreamFramer framer = new StreamFramer(65535);
    private final List<InboundFrame> frames = new ArrayList<>();

    private void feed(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        framer.feed(b, 0, b.length, frames::add);
    }

    @Test
    public void messageSplitByteByByteIsFramedOnce() throws Exception {
        byte[] b = MSG.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i++) {
            framer.feed(b, i, 1, frames::add);
            if (i < b.length - 1) {
                assertTrue("nothing before the last body byte, at " + i + ": " + frames, frames.isEmpty());
            }
        }
        assertEquals(1, frames.size());
        assertEquals(InboundFrame.Kind.MESSAGE, frames.get(0).kind());
        SipRequest r = (SipRequest) SipParser.parse(frames.get(0).bytes());
        assertEquals(BODY, new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(0, framer.buffered());
    }

    @Test
    public void twoMessagesInOnePacketGiveTwoFrames() {
        feed(MSG + MSG.replace("f1", "f2"));
        assertEquals(2, frames.size());
        assertTrue(new String(frames.get(1).bytes(), StandardCharsets.ISO_8859_1).contains("Call-ID: f2"));
        assertEquals(MSG.length(), frames.get(0).bytes().length);
    }

    @Test
    public void aRequestLineWithTrailingWhitespaceIsFramedForTheParserToRefuse() {
        // RFC 4475 §3.1.2.11 trws: the parser answers 400; the framer must not close the connection as garbage
        String trws = MSG.replaceFirst(" SIP/2.0\r\n", " SIP/2.0  \r\n");
        assertTrue(trws, trws.contains("SIP/2.0  \r\n"));
        feed(trws);
        assertEquals(1, frames.size());
        assertEquals(InboundFrame.Kind.MESSAGE, frames.get(0).kind());
    }

    @Test
    public void anIdleConnectionHoldsNoBufferAndAHalfMessageOnlyWhatArrived() {
        assertEquals(0, framer.capacity());
        feed(MSG);
        assertEquals(1, frames.size());
        assertEquals("nothing pending: the buffer is given back", 0, framer.capacity());
        feed(MSG.substring(0, 40));
        assertEquals(2048, framer.capacity());
        feed(MSG.substring(40) + "\r\n\r\n");
        assertEquals(3, frames.size()); // the message and a keep-alive ping
        assertEquals(0, framer.capacity());
    }

    @Test
    public void aReadOfWholeMessagesIsFramedWithoutBufferingAndTheCallersArrayIsNotKept() {
        byte[] read = ("xx" + MSG + MSG.substring(0, 40) + "yy").getBytes(StandardCharsets.ISO_8859_1);
        framer.feed(read, 2, MSG.length() + 40, frames::add);
        assertEquals(1, frames.size());
        assertEquals("only the incomplete tail is copied", 40, framer.buffered());
        Arrays.fill(read, (byte) 'Z');
        feed(MSG.substring(40));
        assertEquals(2, frames.size());
        assertEquals(MSG, new String(frames.get(1).bytes(), StandardCharsets.ISO_8859_1));
        assertEquals(0, framer.capacity());
    }

    @Test
    public void messageAndHalfThenRest() {
        feed(MSG + MSG.substring(0, 40));
        assertEquals(1, frames.size());
        feed(MSG.substring(40));
        assertEquals(2, frames.size());
    }

    @Test
    public void doubleCrlfIsAKeepAlivePingAndSingleCrlfsAreIgnored() {
        feed("\r\n\r\n");
        assertEquals(1, frames.size());
        assertEquals(InboundFrame.Kind.KEEPALIVE, frames.get(0).kind());
        feed("\r\n" + MSG + "\r\n");
        feed(MSG);
        assertEquals(3, frames.size());
        assertEquals(InboundFrame.Kind.MESSAGE, frames.get(1).kind());
        assertEquals(InboundFrame.Kind.MESSAGE, frames.get(2).kind());
    }

    @Test
    public void keepAliveSplitAcrossPackets() {
        feed("\r\n");
        feed("\r");
        assertTrue(frames.isEmpty());
        feed("\n");
        assertEquals(1, frames.size());
        assertEquals(InboundFrame.Kind.KEEPALIVE, frames.get(0).kind());
    }

    @Test
    public void missingContentLengthGives400AndStopsFraming() {
        feed(MSG.replace("Content-Length: " + BODY.length() + "\r\n", ""));
        assertEquals(1, frames.size());
        InboundFrame f = frames.get(0);
        assertEquals(InboundFrame.Kind.ERROR, f.kind());
        assertEquals(400, f.status());
        assertEquals("Missing Content-Length", f.reason());
        assertNotNull("header section kept so a 400 can be built", f.bytes());
        feed(MSG);
        assertEquals("dead after an error", 1, frames.size());
        assertTrue(framer.isFailed());
    }

    @Test
    public void compactContentLengthIsUnderstood() {
        feed(MSG.replace("Content-Length:", "l:"));
        assertEquals(InboundFrame.Kind.MESSAGE, frames.get(0).kind());
    }

    @Test
    public void contentLengthClaimingTwoGigabytesGives513WithoutAllocating() {
        feed(MSG.replace("Content-Length: " + BODY.length(), "Content-Length: 2147483648"));
        assertEquals(1, frames.size());
        assertEquals(513, frames.get(0).status());
        assertTrue("buffer stays small: " + framer.capacity(), framer.capacity() < 65535);
    }

    @Test
    public void contentLengthJustAboveTheLimitGives513() {
        StreamFramer small = new StreamFramer(400);
        byte[] b = MSG.replace("Content-Length: " + BODY.length(), "Content-Length: 300").getBytes(StandardCharsets.ISO_8859_1);
        small.feed(b, 0, b.length, frames::add);
        assertEquals(513, frames.get(0).status());
    }

    @Test
    public void binaryGarbageClosesAtOnce() {
        framer.feed(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05}, 0, 5, frames::add);
        assertEquals(1, frames.size());
        assertEquals(InboundFrame.Kind.ERROR, frames.get(0).kind());
        assertEquals("no response for unframeable bytes", 0, frames.get(0).status());
    }

    @Test
    public void textThatIsNotAStartLineCloses() {
        feed("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(1, frames.size());
        assertEquals(0, frames.get(0).status());
    }

    @Test
    public void endlessHeaderSectionCloses() {
        StreamFramer small = new StreamFramer(1000);
        byte[] line = "MESSAGE sip:a@b SIP/2.0\r\n".getBytes(StandardCharsets.ISO_8859_1);
        small.feed(line, 0, line.length, frames::add);
        byte[] header = "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 30 && frames.isEmpty(); i++) {
            small.feed(header, 0, header.length, frames::add);
        }
        assertEquals(1, frames.size());
        assertEquals(InboundFrame.Kind.ERROR, frames.get(0).kind());
        assertTrue(small.capacity() <= 4096);
    }

    @Test
    public void badContentLengthGives400() {
        feed(MSG.replace("Content-Length: " + BODY.length(), "Content-Length: 1x"));
        assertEquals(400, frames.get(0).status());
        assertEquals("Bad Content-Length", frames.get(0).reason());
    }

    @Test
    public void bufferShrinksAfterALargeMessage() {
        String big = "x".repeat(30_000);
        feed(MSG.replace(BODY, big).replace("Content-Length: " + BODY.length(), "Content-Length: " + big.length()));
        assertEquals(1, frames.size());
        assertTrue(framer.capacity() <= 2048);
    }

    /**
     * The in-place Content-Length scan against the string version it replaced (kept here as the
     * reference): random header sections with names in any case and padding, folded values,
     * duplicates, compact "l", bare CRs and LFs, non-ASCII bytes, missing final CRLFs.
     */
    @Test
    public void contentLengthScanAgreesWithTheStringReference() {
        java.util.Random random = new java.util.Random(3261);
        String[] names = {"Content-Length", "content-length", "CONTENT-LENGTH", "l", "L", " Content-Length ",
            "Content-Lengthx", "Content-Lengt", "Via", "To", "\tl", "Cont\u00e9nt-Length", "\u00ccontent-Length",
            "Content-Length \t", "\u000bl", "l\u0000", "\u0001Content-Length\u001f", "\u00a0l"};
        String[] values = {"0", " 5", "5 ", "12345", "", " ", "1 2", "-1", "0x10", "0000000000000000007",
            "1234567890123456789", "99999999999999999999", "5\u00b5", "\t42\t"};
        String[] breaks = {"\r\n", "\r\n", "\r\n", "\n", "\r", "\r\r\n", "\r\n \r\n", "\r\n\t"};
        for (int n = 0; n < 30_000; n++) {
            StringBuilder h = new StringBuilder(random.nextInt(8) == 0 ? "" : "MESSAGE sip:b@example.com SIP/2.0");
            int lines = random.nextInt(6);
            for (int i = 0; i < lines; i++) {
                h.append(breaks[random.nextInt(breaks.length)]);
                if (random.nextInt(10) == 0) {
                    h.append(random.nextBoolean() ? " " : "\t").append(values[random.nextInt(values.length)]);
                    continue;
                }
                h.append(names[random.nextInt(names.length)]);
                h.append(random.nextInt(6) == 0 ? "" : ":").append(values[random.nextInt(values.length)]);
            }
            if (random.nextInt(5) != 0) {
                h.append("\r\n\r\n");
            }
            byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(h.toString(), referenceContentLength(head), StreamFramer.contentLength(head));
            byte[] framed = ("xyz" + h + "abc").getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(h.toString(), referenceContentLength(head),
                    StreamFramer.contentLength(framed, 3, 3 + head.length));
        }
    }

    /** The string-based scan StreamFramer used before it read the bytes in place. */
    private static long referenceContentLength(byte[] head) {
        String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
        long found = StreamFramer.MISSING;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("l")) {
                continue;
            }
            StringBuilder value = new StringBuilder(line.substring(colon + 1));
            for (int j = i + 1; j < lines.length && !lines[j].isEmpty()
                    && (lines[j].charAt(0) == ' ' || lines[j].charAt(0) == '\t'); j++) {
                value.append(' ').append(lines[j]);
            }
            String s = value.toString().trim();
            long v;
            if (s.isEmpty() || s.length() > 18) {
                v = s.length() > 18 && s.chars().allMatch(Character::isDigit) ? Long.MAX_VALUE / 2 : StreamFramer.INVALID;
            } else {
                v = 0;
                for (int k = 0; k < s.length() && v >= 0; k++) {
                    char c = s.charAt(k);
                    v = c < '0' || c > '9' ? StreamFramer.INVALID : v * 10 + (c - '0');
                }
            }
            if (v == StreamFramer.INVALID || (found != StreamFramer.MISSING && found != v)) {
                return StreamFramer.INVALID;
            }
            found = v;
        }
        return found;
    }
}
