package org.confab.sip.transport.internal.mina;

import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFactory;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolEncoder;

/** The SIP codec: a framing decoder per stream session (or the datagram decoder) and the shared encoder. */
final class SipCodecFactory implements ProtocolCodecFactory {

    private final boolean stream;
    private final int maxMessageSize;
    private static final AttributeKey DECODER = new AttributeKey(SipCodecFactory.class, "decoder");

    private final SipEncoder encoder = new SipEncoder();
    private final SipDatagramDecoder datagramDecoder;

    SipCodecFactory(boolean stream, int maxMessageSize) {
        this.stream = stream;
        this.maxMessageSize = maxMessageSize;
        this.datagramDecoder = new SipDatagramDecoder(maxMessageSize);
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
        if (!stream) {
            return datagramDecoder;
        }
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
