package org.confab.sip.message.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.Test;

/** Header fields set by code are written straight into bytes; received ones read digits without a string. */
public class HeaderFieldTest {

    private static byte[] wire(HeaderField f) {
        byte[] out = new byte[f.wireLength() + 2];
        int end = f.writeTo(out, 1);
        assertEquals(f.wireLength() + 1, end);
        byte[] w = new byte[f.wireLength()];
        System.arraycopy(out, 1, w, 0, w.length);
        return w;
    }

    @Test
    public void asciiAndNonAsciiValues() {
        assertArrayEquals("Max-Forwards: 69\r\n".getBytes(StandardCharsets.US_ASCII), wire(HeaderField.of("Max-Forwards", "69")));
        assertArrayEquals("Subject: \r\n".getBytes(StandardCharsets.US_ASCII), wire(HeaderField.of("Subject", "")));
        // above 0x7F the value is UTF-8 encoded, as before
        assertArrayEquals("Subject: Grüße \u20ac \ud83d\ude00\r\n".getBytes(StandardCharsets.UTF_8),
                wire(HeaderField.of("Subject", "Grüße \u20ac \ud83d\ude00")));
        // a lone surrogate becomes '?', as String.getBytes made it
        assertArrayEquals("X: a?\r\n".getBytes(StandardCharsets.UTF_8), wire(HeaderField.of("X", "a\ud800")));
    }

    @Test
    public void digitsFromReceivedBytes() {
        byte[] b = "Content-Length: 0042\r\nExpires: 4294967296\r\nMax-Forwards: 7 0\r\nX: \r\n".getBytes(StandardCharsets.US_ASCII);
        HeaderField cl = HeaderField.parsed(b, 0, 22, 14, 16, 20);
        assertEquals("0042", cl.value());
        assertEquals(42, cl.digits(Integer.MAX_VALUE));
        assertEquals(-1, cl.digits(41));
        HeaderField ex = HeaderField.parsed(b, 22, 43, 29, 31, 41);
        assertEquals("4294967296", ex.value());
        assertEquals(-1, ex.digits(Integer.MAX_VALUE));
        assertEquals(4294967296L, ex.digits(Long.MAX_VALUE));
        HeaderField mf = HeaderField.parsed(b, 43, 62, 55, 57, 60);
        assertEquals("7 0", mf.value());
        assertEquals(-1, mf.digits(255));
        HeaderField empty = HeaderField.parsed(b, 62, 67, 63, 65, 65);
        assertEquals("", empty.value());
        assertEquals(-1, empty.digits(255));
        assertEquals(-1, HeaderField.of("Content-Length", "5").digits(255));
    }
}
