package org.confab.sip.transport.internal.mina;

import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFactory;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolEncoder;

/** The SIP codec of TCP connections: a framing decoder per session and the shared encoder. */
final class SipCodecFactory implements ProtocolCodecFactory {

    private final int maxMessageSize;
    private static final AttributeKey DECODER = new AttributeKey(SipCodecFactory.class, "decoder");

    private final SipEncoder encoder = new SipEncoder();

    SipCodecFactory(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /** The stream decoder of a connection, or null before its first read. */
    static SipStreamDecoder streamDecoder(IoSession session) {
        return session.getAttribute(DECODER) instanceof SipStreamDecoder d ? d : null;
    }

    @Override
    public ProtocolEncoder getEncoder(IoSession session) {
        return encoder;
    }

    @Override
    public ProtocolDecoder getDecoder(IoSession session) {
        // ProtocolCodecFilter asks on every read, not once per session: the stream decoder that keeps
        // this connection's partial message lives in the session, or a message split across two
        // reads would lose its head
        ProtocolDecoder decoder = (ProtocolDecoder) session.getAttribute(DECODER);
        if (decoder == null) {
            decoder = new SipStreamDecoder(maxMessageSize);
            ProtocolDecoder raced = (ProtocolDecoder) session.setAttributeIfAbsent(DECODER, decoder);
            if (raced != null) {
                decoder = raced;
            }
        }
        return decoder;
    }
}
