package org.confab.sip.transport.internal.mina;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilter.NextFilter;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.AbstractProtocolEncoderOutput;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;
import org.confab.sip.transport.internal.InboundFrame;
import org.junit.Test;

/** The MINA codec around the framer: IoBuffer chunks in, frames out; bytes out as written. */
public class SipCodecTest {

    private static final String MSG = "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP 1.2.3.4;branch=z9hG4bK1\r\n"
            + "From: <sip:x@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";

    private final IoSession session = new DummySession();
    private final List<Object> out = new ArrayList<>();
    private final ProtocolDecoderOutput decoderOutput = new ProtocolDecoderOutput() {
        @Override
        public void write(Object message) {
            out.add(message);
        }

        @Override
        public void flush(NextFilter nextFilter, IoSession s) {
            // frames are collected directly
        }
    };

    private static IoBuffer buffer(String s) {
        return IoBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    public void streamDecoderFramesAcrossChunksAndConsumesTheBuffer() {
        SipStreamDecoder decoder = new SipStreamDecoder(65535);
        String twice = "\r\n\r\n" + MSG + MSG;
        IoBuffer first = buffer(twice.substring(0, 50));
        decoder.decode(session, first, decoderOutput);
        assertEquals("input consumed", 0, first.remaining());
        decoder.decode(session, buffer(twice.substring(50)), decoderOutput);
        assertEquals(3, out.size());
        assertEquals(InboundFrame.Kind.KEEPALIVE, ((InboundFrame) out.get(0)).kind());
        assertEquals(MSG, new String(((InboundFrame) out.get(1)).bytes(), StandardCharsets.ISO_8859_1));
        assertEquals(InboundFrame.Kind.MESSAGE, ((InboundFrame) out.get(2)).kind());
    }

    @Test
    public void streamDecoderSwallowsEverythingAfterAnError() {
        SipStreamDecoder decoder = new SipStreamDecoder(65535);
        decoder.decode(session, buffer(MSG.replace("Content-Length: 0", "Content-Length: 99999999")), decoderOutput);
        IoBuffer more = buffer(MSG);
        decoder.decode(session, more, decoderOutput);
        assertEquals(1, out.size());
        assertEquals(513, ((InboundFrame) out.get(0)).status());
        assertEquals(0, more.remaining());
    }

    @Test
    public void encoderWritesTheSerialisedBytes() {
        List<IoBuffer> written = new ArrayList<>();
        AbstractProtocolEncoderOutput encoderOutput = new AbstractProtocolEncoderOutput() {
            @Override
            public void write(Object encodedMessage) {
                written.add((IoBuffer) encodedMessage);
            }
        };
        new SipEncoder().encode(session, MSG.getBytes(StandardCharsets.ISO_8859_1), encoderOutput);
        assertEquals(1, written.size());
        assertEquals(MSG.length(), written.get(0).remaining());
    }
}
