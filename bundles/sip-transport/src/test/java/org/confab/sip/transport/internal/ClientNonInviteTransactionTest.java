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
    public void finalResponseIsDeliveredOnceWithOurViaRemovedAndTheTransactionEndsAtOnce() {
        FakeFlow flow = FakeFlow.udp();
        ClientTransactionImpl tx = ClientTransactionFixture.start(fx, "MESSAGE", flow, rec);
        SipResponse ok = Messages.responseTo(flow.request(0), 200, "b1");
        fx.layer.receiveResponse(ok, flow);
        assertEquals("TERMINATED", tx.state()); // Timer K = 0 even over UDP: nothing kept for 5 s
        assertEquals(0, fx.layer.clientCount());
        assertEquals(0, fx.timer.pending());
        fx.layer.receiveResponse(Messages.responseTo(flow.request(0), 200, "b1"), flow); // a retransmission
        assertEquals("the retransmitted final response is absorbed", List.of(200), rec.statuses());
        assertTrue(rec.responses.get(0).vias().isEmpty());
        assertTrue(tx.isTerminated());
        fx.timer.advance(10_000);
        assertEquals("no retransmission after the final response", 1, flow.count());
        assertEquals(0, rec.timeouts);
    }

    @Test
    public void inlineResponsesReachTheListenerOnTheReceivingThreadWithoutTheTransactionLock() {
        java.util.List<Runnable> queued = new java.util.ArrayList<>();
        LayerFixture.Recorder seen = new LayerFixture.Recorder();
        java.util.List<String> how = new java.util.ArrayList<>();
        for (String mode : List.of("inline", "pool")) {
            TransactionLayer layer = new TransactionLayer(StackConfig.defaults().withAppDispatch(mode), fx.timer, fx.out,
                    queued::add, fx);
            FakeFlow flow = FakeFlow.udp();
            org.confab.sip.message.SipRequest req = Messages.outgoing("MESSAGE");
            req.addHeaderFirst("Via", new org.confab.sip.message.Via("UDP", "127.0.0.1", 5060, Ids.branch()).toString());
            ClientTransactionImpl[] tx = new ClientTransactionImpl[1];
            tx[0] = layer.newClient(req, new org.confab.api.transport.ResponseListener() {
                @Override
                public void onResponse(SipResponse response) {
                    how.add(mode + ":" + Thread.currentThread().getName() + ":lock=" + Thread.holdsLock(tx[0]));
                    seen.onResponse(response);
                }

                @Override
                public void onTimeout() {
                }

                @Override
                public void onTransportError(org.confab.api.transport.TransportException cause) {
                }
            });
            tx[0].start(flow);
            layer.receiveResponse(Messages.responseTo(flow.request(0), 180, "b1"), flow);
            layer.receiveResponse(Messages.responseTo(flow.request(0), 200, "b1"), flow);
        }
        String me = Thread.currentThread().getName();
        assertEquals("inline: both at once, here, with the lock released; pool: nothing yet",
                List.of("inline:" + me + ":lock=false", "inline:" + me + ":lock=false"), how);
        assertEquals("pool: one drain queued for both, in order", 1, queued.size());
        queued.get(0).run();
        assertEquals(List.of(180, 200, 180, 200), seen.statuses());
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
