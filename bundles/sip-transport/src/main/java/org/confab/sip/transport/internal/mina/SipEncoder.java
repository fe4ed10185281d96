package org.confab.sip.transport.internal.mina;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolEncoderAdapter;
import org.apache.mina.filter.codec.ProtocolEncoderOutput;

/** Writes bytes already serialised by the stack (after the outbound interceptors ran). One write is one datagram on UDP. */
final class SipEncoder extends ProtocolEncoderAdapter {

    @Override
    public void encode(IoSession session, Object message, ProtocolEncoderOutput out) {
        if (!(message instanceof byte[] bytes)) {
            throw new IllegalArgumentException("Only serialised SIP messages can be written, not " + message.getClass());
        }
        out.write(IoBuffer.wrap(bytes));
    }
}
