package org.confab.sip.transport.internal.mina;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoSession;
import org.confab.sip.transport.internal.StackConfig;
import org.junit.Before;
import org.junit.Test;

/**
 * The write batch of a TCP flow: what is written while the I/O thread handles one read leaves as
 * one buffer at its end, in the order written (whichever thread wrote it); outside a batch every
 * write leaves at once; a long batch leaves in parts; a close after flush sends what is held first.
 */
public class MinaStreamFlowTest {

    /** Buffers handed to the session, in order (DummySession "sends" at once and reports each). */
    private final List<String> sent = new ArrayList<>();
    private MinaStreamFlow flow;
    private DummySession session;

    @Before
    public void setUp() {
        session = new DummySession();
        session.setRemoteAddress(new InetSocketAddress("127.0.0.1", 40000));
        session.setLocalAddress(new InetSocketAddress("127.0.0.1", 5060));
        session.setHandler(new IoHandlerAdapter() {
            @Override
            public void messageSent(IoSession s, Object message) {
                sent.add(new String((byte[]) message, StandardCharsets.ISO_8859_1));
            }
        });
        flow = new MinaStreamFlow("t1", session, "TCP", StackConfig.defaults().maxMessageSize(), false);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    public void outsideABatchEachWriteLeavesAtOnce() throws Exception {
        flow.write(b("one"));
        flow.write(b("two"));
        assertEquals(List.of("one", "two"), sent);
    }

    @Test
    public void aBatchLeavesAsOneBufferAtItsEnd() throws Exception {
        flow.beginBatch();
        flow.write(b("SIP/2.0 200 A\r\n\r\n"));
        flow.write(b("SIP/2.0 200 B\r\n\r\n"));
        assertEquals("held until the read is handled", List.of(), sent);
        flow.endBatch();
        assertEquals(List.of("SIP/2.0 200 A\r\n\r\nSIP/2.0 200 B\r\n\r\n"), sent);
        flow.beginBatch();
        flow.endBatch();
        assertEquals("an empty batch writes nothing", 1, sent.size());
        flow.write(b("after"));
        assertEquals("after", sent.get(1));
    }

    @Test
    public void aWriteFromAnotherThreadDuringABatchJoinsItInOrder() throws Exception {
        flow.beginBatch();
        flow.write(b("1"));
        Thread other = new Thread(() -> {
            try {
                flow.write(b("2"));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        other.start();
        other.join(5000);
        flow.write(b("3"));
        assertEquals(List.of(), sent);
        flow.endBatch();
        assertEquals(List.of("123"), sent);
    }

    @Test
    public void aLongBatchLeavesInParts() throws Exception {
        String kb = "x".repeat(1023) + "\n";
        flow.beginBatch();
        for (int i = 0; i < 100; i++) {
            flow.write(b(kb));
        }
        assertTrue("64 KB held at most before it leaves", !sent.isEmpty() && sent.get(0).length() == 64 * 1024);
        flow.endBatch();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String s : sent) {
            assertTrue(s.length() <= 64 * 1024);
            all.writeBytes(b(s));
        }
        assertEquals(kb.repeat(100), all.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    public void aCloseAfterFlushSendsWhatIsHeldFirst() throws Exception {
        flow.beginBatch();
        flow.write(b("last words"));
        flow.close(true);
        assertEquals(List.of("last words"), sent);
    }
}
