package org.confab.sip.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.confab.sip.message.SipResponse;
import org.junit.Test;

/** RFC 3261 §17.2.1 (and RFC 6026 Accepted) on a fake clock, with CANCEL (RFC 3261 §9.2). */
public class ServerInviteTransactionTest {

    private final LayerFixture fx = new LayerFixture();

    private ServerTransactionImpl invite(FakeFlow flow, String branch) {
        fx.layer.receiveRequest(Messages.request("INVITE", branch, flow.transport()), flow);
        return fx.requests.get(fx.requests.size() - 1);
    }

    @Test
    public void trying100IsSentImmediatelyWithoutToTag() {
        FakeFlow flow = FakeFlow.udp();
        invite(flow, "z9hG4bKi1");
        assertEquals(List.of(100), flow.statuses());
        assertNull(flow.response(0).to().tag());
    }

    @Test
    public void retransmittedInviteResendsLastProvisional() {
        FakeFlow flow = FakeFlow.udp();
        ServerTransactionImpl tx = invite(flow, "z9hG4bKi2");
        tx.respond(tx.createResponse(180));
        fx.layer.receiveRequest(Messages.request("INVITE", "z9hG4bKi2", "UDP"), flow);
        assertEquals(List.of(100, 180, 180), flow.statuses());
        assertEquals(1, fx.requests.size());
    }

    @Test
    public void udpNonSuccessFinalIsRetransmittedByTimerGUntilAck() {
        FakeFlow flow = FakeFlow.udp();
        ServerTransactionImpl tx = invite(flow, "z9hG4bKi3");
        tx.respond(tx.createResponse(486));
        assertEquals("COMPLETED", tx.state());
        assertEquals(2, flow.count());
        // Timer G: 500, then 1000, 2000, 4000, 4000 (capped at T2)
        long[] gaps = {500, 1000, 2000, 4000, 4000};
        for (int i = 0; i < gaps.length; i++) {
            fx.timer.advance(gaps[i] - 1);
            assertEquals("no retransmission before " + gaps[i], 2 + i, flow.count());
            fx.timer.advance(1);
            assertEquals(3 + i, flow.count());
            assertEquals(486, flow.response(2 + i).status());
        }
        fx.layer.receiveRequest(Messages.sameBranch("ACK", "z9hG4bKi3", "UDP"), flow);
        assertEquals("ACK absorbed", 0, fx.acks.size());
        assertEquals("CONFIRMED", tx.state());
        int sent = flow.count();
        fx.timer.advance(4000);
        assertEquals("Timer G stopped", sent, flow.count());
        fx.layer.receiveRequest(Messages.sameBranch("ACK", "z9hG4bKi3", "UDP"), flow);
        assertEquals("retransmitted ACK absorbed in Confirmed", 0, fx.acks.size());
        fx.timer.advance(1000); // Timer I = T4 = 5000 after the ACK
        assertEquals("TERMINATED", tx.state());
        assertEquals(0, fx.layer.serverCount());
    }

    @Test
    public void timerHEndsTheTransactionWhenNoAckComes() {
        FakeFlow flow = FakeFlow.udp();
        ServerTransactionImpl tx = invite(flow, "z9hG4bKi4");
        tx.respond(tx.createResponse(404));
        fx.timer.advance(64 * 500);
        assertEquals("TERMINATED", tx.state());
        int sent = flow.count();
        fx.timer.advance(10_000);
        assertEquals(sent, flow.count());
    }

    @Test
    public void reliableTransportHasNoRetransmissionsAndEndsOnAck() {
        FakeFlow flow = FakeFlow.tcp();
        ServerTransactionImpl tx = invite(flow, "z9hG4bKi5");
        tx.respond(tx.createResponse(603));
        fx.timer.advance(10_000);
        assertEquals(List.of(100, 603), flow.statuses());
        fx.layer.receiveRequest(Messages.sameBranch("ACK", "z9hG4bKi5", "TCP"), flow);
        assertEquals("TERMINATED", tx.state());
        assertEquals(0, fx.acks.size());
    }

    @Test
    public void retransmittedInviteInCompletedResendsFinal() {
        FakeFlow flow = FakeFlow.tcp();
        ServerTransactionImpl tx = invite(flow, "z9hG4bKi6");
        tx.respond(tx.createResponse(480));
        fx.layer.receiveRequest(Messages.request("INVITE", "z9hG4bKi6", "TCP"), flow);
        assertEquals(List.of(100, 480, 480), flow.statuses());
    }

    @Test
    public void successGoesToAcceptedAbsorbsInviteCopiesAndPassesAckToTheApplication() {
        FakeFlow flow = FakeFlow.udp();
        ServerTransactionImpl tx = invite(flow, "z9hG4bKi7");
        tx.respond(tx.createResponse(200));
        assertEquals("ACCEPTED", tx.state());
        fx.layer.receiveRequest(Messages.request("INVITE", "z9hG4bKi7", "UDP"), flow);
        assertEquals("INVITE copy absorbed, no response resent by the layer", List.of(100, 200), flow.statuses());
        assertEquals(1, fx.requests.size());
        fx.timer.advance(8000);
        assertEquals("no Timer G for 2xx", 2, flow.count());
        fx.layer.receiveRequest(Messages.sameBranch("ACK", "z9hG4bKi7", "UDP"), flow);
        assertEquals(1, fx.acks.size());
        assertTrue(fx.acks.get(0).isStateless());
        fx.timer.advance(64 * 500); // Timer L
        assertEquals(0, fx.layer.serverCount());
    }

    @Test
    public void ackMatchingNoTransactionIsDispatchedStatelessly() {
        FakeFlow flow = FakeFlow.udp();
        fx.layer.receiveRequest(Messages.sameBranch("ACK", "z9hG4bKnew", "UDP"), flow);
        assertEquals(1, fx.acks.size());
        ServerTransactionImpl ack = fx.acks.get(0);
        assertTrue(ack.isStateless());
        assertEquals("ACK", ack.request().method());
        try {
            ack.respond(null);
            fail("an ACK cannot be answered");
        } catch (IllegalStateException expected) {
            assertEquals(0, flow.count());
        }
        assertEquals(0, fx.layer.serverCount());
    }

    @Test
    public void cancelIsAnswered200RunsTheCallbackAnd487IsAcked() {
        FakeFlow flow = FakeFlow.udp();
        ServerTransactionImpl tx = invite(flow, "z9hG4bKc1");
        AtomicInteger callbacks = new AtomicInteger();
        tx.onCancel(() -> {
            callbacks.incrementAndGet();
            tx.respond(tx.createResponse(487));
        });
        tx.respond(tx.createResponse(180));
        fx.layer.receiveRequest(Messages.sameBranch("CANCEL", "z9hG4bKc1", "UDP"), flow);
        assertEquals(1, callbacks.get());
        List<Integer> statuses = flow.statuses();
        assertEquals(List.of(100, 180, 200, 487), statuses);
        SipResponse cancelOk = flow.response(2);
        assertEquals("CANCEL", cancelOk.cseq().method());
        assertEquals("INVITE", flow.response(3).cseq().method());
        assertEquals("the application never sees the CANCEL", 1, fx.requests.size());

        fx.layer.receiveRequest(Messages.sameBranch("CANCEL", "z9hG4bKc1", "UDP"), flow);
        assertEquals("retransmitted CANCEL gets the same 200, callback not rerun", 1, callbacks.get());
        assertEquals(200, flow.response(4).status());

        fx.layer.receiveRequest(Messages.sameBranch("ACK", "z9hG4bKc1", "UDP"), flow);
        assertEquals("CONFIRMED", tx.state());
        assertEquals(0, fx.acks.size());
    }

    @Test
    public void cancelWithoutCallbackIsAnswered487ByTheTransactionLayerAfterT1() {
        FakeFlow flow = FakeFlow.udp();
        invite(flow, "z9hG4bKc2");
        fx.layer.receiveRequest(Messages.sameBranch("CANCEL", "z9hG4bKc2", "UDP"), flow);
        assertEquals(List.of(100, 200), flow.statuses());
        fx.timer.advance(500);
        assertEquals(List.of(100, 200, 487), flow.statuses());
    }

    @Test
    public void callbackRegisteredAfterTheCancelRunsAtOnce() {
        FakeFlow flow = FakeFlow.udp();
        ServerTransactionImpl tx = invite(flow, "z9hG4bKc3");
        fx.layer.receiveRequest(Messages.sameBranch("CANCEL", "z9hG4bKc3", "UDP"), flow);
        List<String> ran = new ArrayList<>();
        tx.onCancel(() -> ran.add("cancel"));
        assertEquals(List.of("cancel"), ran);
        fx.timer.advance(500);
        assertEquals("the layer leaves the 487 to the application", List.of(100, 200), flow.statuses());
    }

    @Test
    public void cancelAfterFinalResponseIsAnswered200WithoutCallback() {
        FakeFlow flow = FakeFlow.udp();
        ServerTransactionImpl tx = invite(flow, "z9hG4bKc4");
        AtomicInteger callbacks = new AtomicInteger();
        tx.onCancel(callbacks::incrementAndGet);
        tx.respond(tx.createResponse(200));
        fx.layer.receiveRequest(Messages.sameBranch("CANCEL", "z9hG4bKc4", "UDP"), flow);
        assertEquals(List.of(100, 200, 200), flow.statuses());
        assertEquals(0, callbacks.get());
    }

    @Test
    public void unmatchedCancelGets481() {
        FakeFlow flow = FakeFlow.udp();
        fx.layer.receiveRequest(Messages.sameBranch("CANCEL", "z9hG4bKnone", "UDP"), flow);
        assertEquals(List.of(481), flow.statuses());
        assertEquals(0, fx.requests.size());
        assertFalse(flow.response(0).to().tag() == null);
    }

    @Test
    public void inviteWithoutFinalResponseIsAnswered408AfterTheInviteTimeout() {
        FakeFlow flow = FakeFlow.tcp();
        invite(flow, "z9hG4bKw2");
        fx.timer.advance(180_000);
        assertEquals(List.of(100, 408), flow.statuses());
        fx.timer.advance(64 * 500); // Timer H: no ACK
        assertEquals(0, fx.layer.serverCount());
    }
}
