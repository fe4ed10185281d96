package org.confab.sip.transport.internal.mina;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolDecoderAdapter;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;
import org.confab.sip.transport.internal.InboundFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** UDP: one datagram is one message (RFC 3261 §18.3). Blank datagrams (CRLF keep-alives) are ignored. */
final class SipDatagramDecoder extends ProtocolDecoderAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SipDatagramDecoder.class);

    private final int maxMessageSize;

    SipDatagramDecoder(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public void decode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) {
        int n = in.remaining();
        if (n > maxMessageSize) {
            in.skip(n);
            LOG.debug("Datagram of {} bytes from {} dropped: above max.message.size", n, session.getRemoteAddress());
            return;
        }
        byte[] data = new byte[n];
        in.get(data);
        if (isBlank(data)) {
            return;
        }
        out.write(InboundFrame.message(data));
    }

    static boolean isBlank(byte[] data) {
        for (byte b : data) {
            if (b != '\r' && b != '\n' && b != ' ' && b != '\t' && b != 0) {
                return false;
            }
        }
        return true;
    }
}
