package org.confab.sip.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.confab.sip.message.SipRequest;
import org.junit.Test;

/** RFC 3261 §17.1.1 (and RFC 6026 Accepted) on a fake clock, with CANCEL (RFC 3261 §9.1). */
public class ClientInviteTransactionTest {

    private final LayerFixture fx = new LayerFixture();
    private final LayerFixture.Recorder rec = new LayerFixture.Recorder();

    @Test
    public void udpRetransmitsWithTimerADoublingAndTimesOutWithTimerB() {
        FakeFlow flow = FakeFlow.udp();
        ClientTransactionImpl tx = ClientTransactionFixture.start(fx, "INVITE", flow, rec);
        long[] gaps = {500, 1000, 2000, 4000, 8000, 16000};
        for (int i = 0; i < gaps.length; i++) {
            fx.timer.advance(gaps[i] - 1);
            assertEquals(1 + i, flow.count());
            fx.timer.advance(1);
            assertEquals(2 + i, flow.count());
        }
        // 31.5 s so far; Timer B at 32 s
        fx.timer.advance(499);
        assertEquals(0, rec.timeouts);
        fx.timer.advance(1);
        assertEquals(1, rec.timeouts);
        assertTrue(tx.isTerminated());
        assertEquals(7, flow.count());
    }

    @Test
    public void reliableTransportNeverRetransmits() {
        FakeFlow flow = FakeFlow.tcp();
        ClientTransactionFixture.start(fx, "INVITE", flow, rec);
        fx.timer.advance(64 * 500);
        assertEquals(1, flow.count());
        assertEquals(1, rec.timeouts);
    }

    @Test
    public void provisionalStopsRetransmissionsAndTimerB() {
        FakeFlow flow = FakeFlow.udp();
        ClientTransactionImpl tx = ClientTransactionFixture.start(fx, "INVITE", flow, rec);
        fx.layer.receiveResponse(Messages.responseTo(flow.request(0), 180, "b1"), flow);
        assertEquals("PROCEEDING", tx.state());
        fx.timer.advance(64 * 500 * 2);
        assertEquals(1, flow.count());
        assertEquals(0, rec.timeouts);
        assertEquals(List.of(180), rec.statuses());
    }

    @Test
    public void nonSuccessFinalIsAckedByTheTransactionAndRetransmissionsReAck() {
        FakeFlow flow = FakeFlow.udp();
        ClientTransactionImpl tx = ClientTransactionFixture.start(fx, "INVITE", flow, rec);
        SipRequest invite = flow.request(0);
        fx.layer.receiveResponse(Messages.responseTo(invite, 486, "busy1"), flow);
        assertEquals(List.of(486), rec.statuses());
        assertEquals("COMPLETED", tx.state());
        SipRequest ack = flow.request(1);
        assertEquals("ACK", ack.method());
        assertEquals(invite.requestUri().toString(), ack.requestUri().toString());
        assertEquals(invite.topVia().branch(), ack.topVia().branch());
        assertEquals("busy1", ack.to().tag());
        assertEquals(7, ack.cseq().number());
        assertEquals("ACK", ack.cseq().method());
        assertEquals(invite.callId(), ack.callId());

        fx.layer.receiveResponse(Messages.responseTo(invite, 486, "busy1"), flow);
        assertEquals("retransmitted 486 not delivered again", 1, rec.responses.size());
        assertEquals(3, flow.count());
        assertEquals("ACK", flow.request(2).method());

        fx.timer.advance(32_000 - 1);
        assertEquals("COMPLETED", tx.state());
        fx.timer.advance(1); // Timer D
        assertEquals("TERMINATED", tx.state());
    }

    @Test
    public void successGoesToAcceptedAndEvery2xxReachesTheListener() {
        FakeFlow flow = FakeFlow.udp();
        ClientTransactionImpl tx = ClientTransactionFixture.start(fx, "INVITE", flow, rec);
        SipRequest invite = flow.request(0);
        fx.layer.receiveResponse(Messages.responseTo(invite, 200, "ok1"), flow);
        fx.layer.receiveResponse(Messages.responseTo(invite, 200, "ok1"), flow);
        assertEquals("ACCEPTED", tx.state());
        assertEquals(List.of(200, 200), rec.statuses());
        assertEquals("the transaction does not ACK a 2xx", 1, flow.count());
        fx.timer.advance(64 * 500); // Timer M
        assertEquals("TERMINATED", tx.state());
    }

    @Test
    public void cancelInProceedingSendsCancelWithTheSameBranch() {
        FakeFlow flow = FakeFlow.udp();
        ClientTransactionImpl tx = ClientTransactionFixture.start(fx, "INVITE", flow, rec);
        SipRequest invite = flow.request(0);
        fx.layer.receiveResponse(Messages.responseTo(invite, 180, "r1"), flow);
        tx.cancel();
        SipRequest cancel = flow.request(1);
        assertEquals("CANCEL", cancel.method());
        assertEquals(invite.topVia().branch(), cancel.topVia().branch());
        assertEquals("CANCEL", cancel.cseq().method());
        assertEquals(7, cancel.cseq().number());
        assertNull("To of the request, without the response's tag", cancel.to().tag());
        tx.cancel();
        assertEquals("only one CANCEL", 2, flow.count());

        fx.layer.receiveResponse(Messages.responseTo(cancel, 200, "r1"), flow);
        assertEquals("the CANCEL's 200 is not the INVITE's", List.of(180), rec.statuses());
        fx.layer.receiveResponse(Messages.responseTo(invite, 487, "r1"), flow);
        assertEquals(List.of(180, 487), rec.statuses());
        assertEquals("ACK", flow.request(2).method());
    }

    @Test
    public void cancelBeforeAnyProvisionalWaitsForOne() {
        FakeFlow flow = FakeFlow.tcp();
        ClientTransactionImpl tx = ClientTransactionFixture.start(fx, "INVITE", flow, rec);
        tx.cancel();
        assertEquals(1, flow.count());
        fx.layer.receiveResponse(Messages.responseTo(flow.request(0), 100, null), flow);
        assertEquals(2, flow.count());
        assertEquals("CANCEL", flow.request(1).method());
    }

    @Test
    public void cancelAfterFinalIsANoOp() {
        FakeFlow flow = FakeFlow.tcp();
        ClientTransactionImpl tx = ClientTransactionFixture.start(fx, "INVITE", flow, rec);
        fx.layer.receiveResponse(Messages.responseTo(flow.request(0), 200, "x"), flow);
        tx.cancel();
        assertEquals(1, flow.count());
    }

    @Test
    public void ringingForeverIsCancelledAndEndsWithTimeout() {
        FakeFlow flow = FakeFlow.tcp();
        ClientTransactionFixture.start(fx, "INVITE", flow, rec);
        fx.layer.receiveResponse(Messages.responseTo(flow.request(0), 180, "r"), flow);
        fx.timer.advance(180_000);
        assertEquals("CANCEL", flow.request(1).method());
        fx.timer.advance(64 * 500);
        assertEquals(1, rec.timeouts);
    }
}
