package org.confab.sip.transport.internal.mina;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;
import org.confab.sip.transport.internal.StreamFramer;

/** TCP (and later TLS) decoder: the bytes of one connection go through its own {@link StreamFramer}. */
final class SipStreamDecoder implements ProtocolDecoder {

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

    @Override
    public void decode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) {
        int n = in.remaining();
        if (framer.isFailed()) {
            in.skip(n); // the connection is closing; nothing more is read from it
            return;
        }
        byte[] chunk = new byte[n];
        in.get(chunk);
        framer.feed(chunk, 0, n, out::write);
        if (!framer.inHeaderSection()) {
            headerSince = 0;
        } else if (headerSince == 0) {
            headerSince = nonZero(System.nanoTime());
        }
    }

    private static long nonZero(long t) {
        return t == 0 ? 1 : t;
    }

    @Override
    public void finishDecode(IoSession session, ProtocolDecoderOutput out) {
        // an incomplete message at close is dropped
    }

    @Override
    public void dispose(IoSession session) {
        // nothing held outside the framer
    }
}
