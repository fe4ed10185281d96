package org.confab.sip.transport.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.confab.sip.message.SipResponse;
import org.junit.Test;

/** RFC 3261 §17.1.2 on a fake clock. */
public class ClientNonInviteTransactionTest {

    private final LayerFixture fx = new LayerFixture();
    private final LayerFixture.Recorder rec = new LayerFixture.Recorder();

    @Test
    public void udpRetransmitsWithTimerEDoublingToT2AndTimesOutWithTimerF() {
        FakeFlow flow = FakeFlow.udp();
        ClientTransactionImpl tx = ClientTransactionFixture.start(fx, "MESSAGE", flow, rec);
        assertEquals(1, flow.count());
        long[] gaps = {500, 1000, 2000, 4000, 4000, 4000};
        for (int i = 0; i < gaps.length; i++) {
            fx.timer.advance(gaps[i] - 1);
            assertEquals(1 + i, flow.count());
            fx.timer.advance(1);
            assertEquals(2 + i, flow.count());
        }
        assertArrayEquals("retransmission is the same bytes", flow.raw().get(0), flow.raw().get(3));
        fx.timer.advance(32_000 - 15_500 - 1);
        assertEquals(0, rec.timeouts);
        fx.timer.advance(1); // Timer F = 64*T1
        assertEquals(1, rec.timeouts);
        assertTrue(tx.isTerminated());
        int sent = flow.count();
        fx.timer.advance(60_000);
        assertEquals(sent, flow.count());
        assertEquals("exactly one terminal call", 1, rec.timeouts);
        assertEquals(0, fx.layer.clientCount());
    }

    @Test
    public void reliableTransportNeverRetransmitsButStillTimesOut() {
        FakeFlow flow = FakeFlow.tcp();
        ClientTransactionFixture.start(fx, "OPTIONS", flow, rec);
        fx.timer.advance(64 * 500 - 1);
        assertEquals(1, flow.count());
        assertEquals(0, rec.timeouts);
        fx.timer.advance(1);
        assertEquals(1, rec.timeouts);
    }

    @Test
    public void proceedingRetransmitsEveryT2() {
        FakeFlow flow = FakeFlow.udp();
        ClientTransactionImpl tx = ClientTransactionFixture.start(fx, "SUBSCRIBE", flow, rec);
        tx.onResponse(Messages.responseTo(flow.request(0), 100, null));
        assertEquals("PROCEEDING", tx.state());
        fx.timer.advance(500); // Timer E armed in Trying fires once
        assertEquals(2, flow.count());
        fx.timer.advance(3999);
        assertEquals(2, flow.count());
        fx.timer.advance(1);
        assertEquals(3, flow.count());
    }

    @Test
    public void finalResponseIsDeliveredOnceWithOurViaRemovedAndTimerKEnds() {
        FakeFlow flow = FakeFlow.udp();
        ClientTransactionImpl tx = ClientTransactionFixture.start(fx, "MESSAGE", flow, rec);
        SipResponse ok = Messages.responseTo(flow.request(0), 200, "b1");
        fx.layer.receiveResponse(ok, flow);
        fx.layer.receiveResponse(Messages.responseTo(flow.request(0), 200, "b1"), flow);
        assertEquals(List.of(200), rec.statuses());
        assertTrue(rec.responses.get(0).vias().isEmpty());
        assertTrue(tx.isTerminated());
        assertEquals("COMPLETED", tx.state());
        fx.timer.advance(10_000);
        assertEquals("no retransmission after the final response", 1, flow.count());
        assertEquals("TERMINATED", tx.state()); // Timer K
        assertEquals(0, rec.timeouts);
    }

    @Test
    public void reliableTransportSkipsTimerK() {
        FakeFlow flow = FakeFlow.tcp();
        ClientTransactionImpl tx = ClientTransactionFixture.start(fx, "MESSAGE", flow, rec);
        fx.layer.receiveResponse(Messages.responseTo(flow.request(0), 404, "b1"), flow);
        assertEquals("TERMINATED", tx.state());
        assertEquals(0, fx.timer.pending());
    }

    @Test
    public void responseForAnotherMethodWithTheSameBranchDoesNotMatch() {
        FakeFlow flow = FakeFlow.udp();
        ClientTransactionFixture.start(fx, "MESSAGE", flow, rec);
        String text = new String(Messages.responseTo(flow.request(0), 200, "b1").toBytes())
                .replace("CSeq: 7 MESSAGE", "CSeq: 7 INFO");
        fx.layer.receiveResponse(Messages.parseResponse(text), flow);
        assertTrue(rec.responses.isEmpty());
    }

    @Test
    public void closedFlowGivesOneTransportError() {
        FakeFlow flow = FakeFlow.tcp();
        ClientTransactionImpl tx = ClientTransactionFixture.start(fx, "MESSAGE", flow, rec);
        flow.close(false);
        fx.layer.flowClosed(flow);
        fx.layer.flowClosed(flow);
        assertEquals(1, rec.errors.size());
        assertTrue(tx.isTerminated());
        fx.timer.advance(64 * 500);
        assertEquals(0, rec.timeouts);
    }

    @Test
    public void sendingOnAClosedFlowIsATransportError() {
        FakeFlow flow = FakeFlow.tcp();
        flow.close(false);
        ClientTransactionImpl tx = ClientTransactionFixture.start(fx, "MESSAGE", flow, rec);
        assertEquals(1, rec.errors.size());
        assertTrue(tx.isTerminated());
        assertFalse(rec.errors.get(0).getMessage().isEmpty());
        assertEquals(0, fx.layer.clientCount());
    }
}
