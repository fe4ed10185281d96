package org.confab.sip.transport.internal.mina;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;

/**
 * The codec of TCP connections: bytes read become {@link org.confab.sip.transport.internal.InboundFrame}s
 * through the connection's {@link SipStreamDecoder}; a serialised message written as {@code byte[]}
 * goes out as one buffer. In place of MINA's ProtocolCodecFilter, which keeps a decoder, a decoder
 * output and an encoder output in each session's attributes and wraps every write twice: here the
 * decoder lives in the connection's flow, so an idle connection (most of 20,000 registered phones)
 * costs only the flow. A session without a flow was refused at accept and is closing: its bytes
 * are dropped.
 */
final class SipCodecFilter extends IoFilterAdapter {

    private final MinaNetwork network;

    SipCodecFilter(MinaNetwork network) {
        this.network = network;
    }

    @Override
    public void messageReceived(NextFilter nextFilter, IoSession session, Object message) {
        if (!(message instanceof IoBuffer in)) {
            nextFilter.messageReceived(session, message);
            return;
        }
        MinaStreamFlow flow = network.existingFlow(session);
        if (flow == null) {
            in.skip(in.remaining());
            return;
        }
        flow.beginBatch();
        try {
            flow.decoder().decode(in, frame -> nextFilter.messageReceived(session, frame));
        } finally {
            flow.endBatch();
        }
    }

    @Override
    public void filterWrite(NextFilter nextFilter, IoSession session, WriteRequest writeRequest) {
        if (writeRequest.getMessage() instanceof byte[] bytes) {
            writeRequest.setMessage(IoBuffer.wrap(bytes));
        }
        nextFilter.filterWrite(session, writeRequest);
    }
}
