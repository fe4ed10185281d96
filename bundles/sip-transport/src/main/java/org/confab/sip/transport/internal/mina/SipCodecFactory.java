package org.confab.sip.transport.internal.mina;

import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFactory;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolEncoder;

/** The SIP codec: a framing decoder per stream session (or the datagram decoder) and the shared encoder. */
final class SipCodecFactory implements ProtocolCodecFactory {

    private final boolean stream;
    private final int maxMessageSize;
    private final SipEncoder encoder = new SipEncoder();

    SipCodecFactory(boolean stream, int maxMessageSize) {
        this.stream = stream;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public ProtocolEncoder getEncoder(IoSession session) {
        return encoder;
    }

    @Override
    public ProtocolDecoder getDecoder(IoSession session) {
        // ProtocolCodecFilter asks once per session: the stream decoder keeps that session's partial message
        return stream ? new SipStreamDecoder(maxMessageSize) : new SipDatagramDecoder(maxMessageSize);
    }
}
