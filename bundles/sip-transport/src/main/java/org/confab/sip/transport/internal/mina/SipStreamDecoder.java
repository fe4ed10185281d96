package org.confab.sip.transport.internal.mina;

import java.util.function.Consumer;

import org.apache.mina.core.buffer.IoBuffer;
import org.confab.sip.transport.internal.InboundFrame;
import org.confab.sip.transport.internal.StreamFramer;

/**
 * The read side of one TCP (and later TLS) connection: its bytes go through its own
 * {@link StreamFramer}, and the start of a header section still under way is remembered for the
 * slow-header sweep. Used by one I/O thread at a time (MINA reads a session on one processor).
 */
final class SipStreamDecoder {

    private final StreamFramer framer;
    /** System.nanoTime() when the header section being received began; 0 when none is under way. */
    private volatile long headerSince;

    SipStreamDecoder(int maxMessageSize) {
        this.framer = new StreamFramer(maxMessageSize);
    }

    /** Whether a header section has been under way for longer than this (a slow-header attack). */
    boolean headerOverdue(long now, long timeoutNanos) {
        long since = headerSince;
        return since != 0 && now - since > timeoutNanos;
    }

    /** Consumes all of {@code in}; every complete frame goes to {@code out}, in order. */
    void decode(IoBuffer in, Consumer<InboundFrame> out) {
        int n = in.remaining();
        if (framer.isFailed()) {
            in.skip(n); // the connection is closing; nothing more is read from it
            return;
        }
        if (in.hasArray()) {
            // MINA's read buffer is ours only during this call: the framer copies what it keeps
            framer.feed(in.array(), in.arrayOffset() + in.position(), n, out);
            in.skip(n);
        } else {
            byte[] chunk = new byte[n];
            in.get(chunk);
            framer.feed(chunk, 0, n, out);
        }
        if (!framer.inHeaderSection()) {
            headerSince = 0;
        } else if (headerSince == 0) {
            headerSince = nonZero(System.nanoTime());
        }
    }

    private static long nonZero(long t) {
        return t == 0 ? 1 : t;
    }
}
