package org.confab.sip.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of the stream decoder with Jazzer: the input is cut into random chunks, as TCP may
 * deliver it. Nothing may throw; the framer never holds more than the maximum message size after a feed,
 * its buffer never grows towards a claimed Content-Length (at most twice what actually arrived), every
 * message frame is exactly header section + Content-Length, and nothing comes out after an error.
 * In the normal build the seeds under {@code StreamFramerFuzzTestInputs/frame/} are replayed (regression
 * mode); a long run: {@code JAZZER_FUZZ=1 mvn -pl bundles/sip-transport test -Dtest=StreamFramerFuzzTest}.
 */
class StreamFramerFuzzTest {

    private static final int MAX = 4096;
    private static final int MAX_CHUNK = 1500;

    @FuzzTest(maxDuration = "60s")
    void frame(FuzzedDataProvider data) {
        StreamFramer framer = new StreamFramer(MAX);
        // the same chunks to a second framer, whose input is scribbled over after each feed: the
        // framer frames from the caller's array and must have copied whatever it keeps
        StreamFramer scribbled = new StreamFramer(MAX);
        List<InboundFrame> frames = new ArrayList<>();
        List<InboundFrame> scribbledFrames = new ArrayList<>();
        boolean failed = false;
        while (data.remainingBytes() > 0) {
            int n = data.consumeInt(1, MAX_CHUNK);
            byte[] chunk = data.consumeBytes(n);
            int before = frames.size();
            framer.feed(chunk, 0, chunk.length, frames::add);
            byte[] padded = new byte[chunk.length + 7];
            System.arraycopy(chunk, 0, padded, 3, chunk.length);
            scribbled.feed(padded, 3, chunk.length, scribbledFrames::add);
            Arrays.fill(padded, (byte) 0x55);
            assertEquals(frames.size(), scribbledFrames.size(), "frames from an offset, scribbled-over input");
            for (int i = before; i < frames.size(); i++) {
                assertEquals(frames.get(i).kind(), scribbledFrames.get(i).kind());
                assertTrue(Arrays.equals(frames.get(i).bytes(), scribbledFrames.get(i).bytes()),
                        "same frame bytes whatever the caller does with its array afterwards");
            }
            if (failed) {
                assertEquals(before, frames.size(), "nothing is framed after an error");
            }
            assertTrue(framer.buffered() <= MAX, "buffered " + framer.buffered() + " > max " + MAX);
            assertTrue(framer.capacity() <= 2 * (MAX + MAX_CHUNK),
                    "capacity " + framer.capacity() + " beyond twice what can have arrived");
            for (int i = before; i < frames.size(); i++) {
                check(frames.get(i));
                failed |= frames.get(i).kind() == InboundFrame.Kind.ERROR;
            }
            assertEquals(failed, framer.isFailed());
        }
    }

    private static void check(InboundFrame f) {
        switch (f.kind()) {
            case MESSAGE:
                byte[] b = f.bytes();
                assertTrue(b.length <= MAX, "frame of " + b.length + " bytes");
                assertTrue(b[0] != '\r' && b[0] != '\n', "a frame starts with its start line");
                int head = headerEnd(b);
                assertTrue(head > 0, "a frame holds a whole header section");
                long cl = StreamFramer.contentLength(Arrays.copyOf(b, head));
                assertEquals(b.length - head, cl, "frame = header section + Content-Length");
                break;
            case ERROR:
                assertTrue(f.status() == 0 || f.status() == 400 || f.status() == 513, "status " + f.status());
                break;
            default:
                break;
        }
    }

    private static int headerEnd(byte[] b) {
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }
}
