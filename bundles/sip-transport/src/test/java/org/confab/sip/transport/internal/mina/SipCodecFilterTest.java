package org.confab.sip.transport.internal.mina;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilter.NextFilter;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.core.write.WriteRequest;
import org.confab.sip.transport.internal.Inbound;
import org.confab.sip.transport.internal.InboundFrame;
import org.confab.sip.transport.internal.StackConfig;
import org.confab.sip.transport.internal.TransportFlow;
import org.junit.Before;
import org.junit.Test;

/**
 * The codec filter of TCP connections: IoBuffer chunks in, frames out through the decoder that
 * lives in the connection's flow; serialised bytes out as one buffer; a session without a flow
 * (refused at accept) reads nothing.
 */
public class SipCodecFilterTest {

    private static final String MSG = "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP 1.2.3.4;branch=z9hG4bK1\r\n"
            + "From: <sip:x@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";

    private final List<TransportFlow> opened = new ArrayList<>();
    private final List<Object> received = new ArrayList<>();
    private final List<Object> written = new ArrayList<>();
    private final NextFilter next = new NextFilterRecorder();
    private MinaNetwork network;
    private SipCodecFilter filter;
    private DummySession session;

    @Before
    public void setUp() {
        network = new MinaNetwork(StackConfig.defaults(), new Inbound() {
            @Override
            public void onMessage(TransportFlow flow, byte[] message) {
            }

            @Override
            public void onFramingError(TransportFlow flow, int status, String reason, byte[] head) {
            }

            @Override
            public void flowOpened(TransportFlow flow) {
                opened.add(flow);
            }

            @Override
            public void flowClosed(TransportFlow flow) {
            }

            @Override
            public void udpFlowSeen(TransportFlow flow) {
            }
        });
        filter = new SipCodecFilter(network);
        session = new DummySession();
        session.setRemoteAddress(new InetSocketAddress("127.0.0.1", 40000));
        session.setLocalAddress(new InetSocketAddress("127.0.0.1", 5060));
    }

    private static IoBuffer buffer(String s) {
        return IoBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    public void framesAcrossChunksAndConsumesTheBuffer() {
        assertNotNull(network.flowOf(session));
        String twice = "\r\n\r\n" + MSG + MSG;
        IoBuffer first = buffer(twice.substring(0, 50));
        filter.messageReceived(next, session, first);
        assertEquals("input consumed", 0, first.remaining());
        filter.messageReceived(next, session, buffer(twice.substring(50)));
        assertEquals(3, received.size());
        assertEquals(InboundFrame.Kind.KEEPALIVE, ((InboundFrame) received.get(0)).kind());
        assertEquals(MSG, new String(((InboundFrame) received.get(1)).bytes(), StandardCharsets.ISO_8859_1));
        assertEquals(InboundFrame.Kind.MESSAGE, ((InboundFrame) received.get(2)).kind());
    }

    @Test
    public void keepsNothingOfTheReadBufferBeyondTheCall() {
        network.flowOf(session);
        // a whole message and the start of the next in one read; MINA reuses nothing, but a
        // decoder that kept a reference to the read buffer would frame scribbled bytes
        byte[] read = (MSG + MSG.substring(0, 30)).getBytes(StandardCharsets.ISO_8859_1);
        IoBuffer in = IoBuffer.wrap(read, 0, read.length);
        filter.messageReceived(next, session, in);
        Arrays.fill(read, (byte) 'X');
        filter.messageReceived(next, session, buffer(MSG.substring(30)));
        assertEquals(2, received.size());
        assertEquals(MSG, new String(((InboundFrame) received.get(0)).bytes(), StandardCharsets.ISO_8859_1));
        assertEquals(MSG, new String(((InboundFrame) received.get(1)).bytes(), StandardCharsets.ISO_8859_1));
    }

    @Test
    public void framesFromASliceOfALargerBuffer() {
        network.flowOf(session);
        byte[] backing = ("junk" + MSG + "tail").getBytes(StandardCharsets.ISO_8859_1);
        IoBuffer in = IoBuffer.wrap(backing, 4, MSG.length()).slice();
        filter.messageReceived(next, session, in);
        assertEquals(1, received.size());
        assertEquals(MSG, new String(((InboundFrame) received.get(0)).bytes(), StandardCharsets.ISO_8859_1));
    }

    @Test
    public void swallowsEverythingAfterAnError() {
        network.flowOf(session);
        filter.messageReceived(next, session, buffer(MSG.replace("Content-Length: 0", "Content-Length: 99999999")));
        IoBuffer more = buffer(MSG);
        filter.messageReceived(next, session, more);
        assertEquals(1, received.size());
        assertEquals(513, ((InboundFrame) received.get(0)).status());
        assertEquals(0, more.remaining());
    }

    @Test
    public void aSessionWithoutAFlowReadsNothing() {
        IoBuffer in = buffer(MSG);
        filter.messageReceived(next, session, in);
        assertTrue(received.isEmpty());
        assertEquals(0, in.remaining());
        assertNull(network.existingFlow(session));
    }

    @Test
    public void theDecoderLivesInTheFlowNotInSessionAttributes() {
        TransportFlow flow = network.flowOf(session);
        assertEquals(List.of(flow), opened);
        assertSame(flow, network.flowOf(session));
        filter.messageReceived(next, session, buffer(MSG.substring(0, 40)));
        assertEquals("one attribute: the flow, which holds the partial message", 1,
                session.getAttributeKeys().size());
    }

    @Test
    public void writesTheSerialisedBytesAsOneBuffer() {
        byte[] bytes = MSG.getBytes(StandardCharsets.ISO_8859_1);
        WriteRequest request = new DefaultWriteRequest(bytes);
        filter.filterWrite(next, session, request);
        assertEquals(1, written.size());
        IoBuffer out = (IoBuffer) ((WriteRequest) written.get(0)).getMessage();
        byte[] sent = new byte[out.remaining()];
        out.get(sent);
        assertArrayEquals(bytes, sent);
        assertSame("the original message is kept for messageSent", bytes, request.getOriginalMessage());
    }

    @Test
    public void passesOtherMessagesOn() {
        IoBuffer already = buffer("x");
        filter.filterWrite(next, session, new DefaultWriteRequest(already));
        assertEquals(already, ((WriteRequest) written.get(0)).getMessage()); // a buffer goes on as it is
        Object notBytes = new Object();
        filter.messageReceived(next, session, notBytes);
        assertEquals(List.of(notBytes), received);
    }

    /** Records what the codec passes on, as the next filter in a chain would receive it. */
    private final class NextFilterRecorder implements NextFilter {
        @Override
        public void messageReceived(IoSession s, Object message) {
            received.add(message);
        }

        @Override
        public void filterWrite(IoSession s, WriteRequest writeRequest) {
            written.add(writeRequest);
        }

        @Override
        public void sessionCreated(IoSession s) {
        }

        @Override
        public void sessionOpened(IoSession s) {
        }

        @Override
        public void sessionClosed(IoSession s) {
        }

        @Override
        public void sessionIdle(IoSession s, IdleStatus status) {
        }

        @Override
        public void exceptionCaught(IoSession s, Throwable cause) {
        }

        @Override
        public void inputClosed(IoSession s) {
        }

        @Override
        public void messageSent(IoSession s, WriteRequest writeRequest) {
        }

        @Override
        public void filterClose(IoSession s) {
        }

        @Override
        public void event(IoSession s, FilterEvent event) {
        }
    }
}
