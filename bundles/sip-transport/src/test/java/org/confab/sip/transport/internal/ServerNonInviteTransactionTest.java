package org.confab.sip.transport.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.confab.sip.message.SipResponse;
import org.junit.Test;

/** RFC 3261 §17.2.2 on a fake clock. */
public class ServerNonInviteTransactionTest {

    private final LayerFixture fx = new LayerFixture();

    @Test
    public void udpFinalResponseIsResentForRetransmittedRequestsUntilTimerJ() {
        FakeFlow flow = FakeFlow.udp();
        fx.layer.receiveRequest(Messages.request("REGISTER", "z9hG4bKr1", "UDP"), flow);
        assertEquals(1, fx.requests.size());
        ServerTransactionImpl tx = fx.requests.get(0);
        assertEquals("TRYING", tx.state());

        fx.layer.receiveRequest(Messages.request("REGISTER", "z9hG4bKr1", "UDP"), flow);
        assertEquals("retransmission in Trying is absorbed silently", 0, flow.count());

        tx.respond(tx.createResponse(200));
        // Completed: the layer keeps only the last response for Timer J; the transaction object is done
        assertEquals(0, fx.layer.serverCount());
        assertEquals(1, fx.layer.completed.size());
        assertEquals(1, flow.count());
        SipResponse ok = flow.response(0);
        assertEquals(200, ok.status());
        assertNotNull("To tag added to a final response", ok.to().tag());

        fx.layer.receiveRequest(Messages.request("REGISTER", "z9hG4bKr1", "UDP"), flow);
        assertEquals("application sees the request once", 1, fx.requests.size());
        assertEquals(2, flow.count());
        assertArrayEquals("same bytes resent", flow.raw().get(0), flow.raw().get(1));
        assertEquals("no retransmission by timer for non-INVITE responses", 2, flow.count());

        fx.timer.advance(64 * 500 - 1);
        fx.layer.receiveRequest(Messages.request("REGISTER", "z9hG4bKr1", "UDP"), flow);
        assertEquals("still absorbed just before Timer J", 1, fx.requests.size());
        assertEquals(3, flow.count());
        fx.timer.advance(1); // Timer J
        fx.layer.completed.expire(fx.timer.now());
        assertEquals(0, fx.layer.completed.size());
        fx.layer.receiveRequest(Messages.request("REGISTER", "z9hG4bKr1", "UDP"), flow);
        assertEquals("after Timer J the same branch is a new request", 2, fx.requests.size());
    }

    @Test
    public void completedTransactionsBeyondTheBoundLeaveOldestFirst() {
        CompletedTransactions table = new CompletedTransactions(fx.timer, 32_000, 3);
        FakeFlow flow = FakeFlow.udp();
        for (int i = 1; i <= 5; i++) {
            table.add("k" + i, new Sent(flow, new byte[] {(byte) i}));
        }
        assertEquals(3, table.size());
        assertEquals(2, table.evictedEarly());
        assertTrue("the newest stay", table.absorb("k5") && table.absorb("k3"));
        assertTrue("the oldest left", !table.absorb("k1") && !table.absorb("k2"));
        table.add("k3", new Sent(flow, new byte[] {9})); // the same key again replaces, not adds
        assertEquals(3, table.size());
        fx.timer.advance(32_000);
        table.expire(fx.timer.now());
        assertEquals(0, table.size());
    }

    @Test
    public void provisionalIsResentInProceeding() {
        FakeFlow flow = FakeFlow.udp();
        fx.layer.receiveRequest(Messages.request("SUBSCRIBE", "z9hG4bKp1", "UDP"), flow);
        ServerTransactionImpl tx = fx.requests.get(0);
        tx.respond(tx.createResponse(180));
        assertEquals("PROCEEDING", tx.state());
        fx.layer.receiveRequest(Messages.request("SUBSCRIBE", "z9hG4bKp1", "UDP"), flow);
        assertEquals(List.of(180, 180), flow.statuses());
        tx.respond(tx.createResponse(202));
        assertEquals(List.of(180, 180, 202), flow.statuses());
        assertEquals("same To tag on every response", flow.response(0).to().tag(), flow.response(2).to().tag());
    }

    @Test
    public void reliableTransportTerminatesAtOnceWithoutTimerJ() {
        FakeFlow flow = FakeFlow.tcp();
        fx.layer.receiveRequest(Messages.request("MESSAGE", "z9hG4bKt1", "TCP"), flow);
        ServerTransactionImpl tx = fx.requests.get(0);
        tx.respond(tx.createResponse(200));
        assertEquals("TERMINATED", tx.state());
        assertEquals(0, fx.layer.serverCount());
        assertEquals(0, fx.timer.pending());
    }

    @Test
    public void secondFinalResponseIsIgnored() {
        FakeFlow flow = FakeFlow.udp();
        fx.layer.receiveRequest(Messages.request("OPTIONS", "z9hG4bKo1", "UDP"), flow);
        ServerTransactionImpl tx = fx.requests.get(0);
        tx.respond(tx.createResponse(200));
        tx.respond(tx.createResponse(500));
        assertEquals(List.of(200), flow.statuses());
        assertTrue(tx.isCompleted());
    }

    @Test
    public void unansweredRequestGets408AndTheTransactionStillEnds() {
        FakeFlow flow = FakeFlow.udp();
        fx.layer.receiveRequest(Messages.request("MESSAGE", "z9hG4bKw1", "UDP"), flow);
        fx.timer.advance(64 * 500 + 4000);
        assertEquals(List.of(408), flow.statuses());
        fx.timer.advance(64 * 500);
        assertEquals(0, fx.layer.serverCount());
    }

    @Test
    public void sameBranchFromAnotherSentByIsAnotherTransaction() {
        FakeFlow flow = FakeFlow.udp();
        fx.layer.receiveRequest(Messages.request("MESSAGE", "z9hG4bKs1", "UDP"), flow);
        fx.layer.receiveRequest(Messages.parseRequest(Messages.requestText("MESSAGE", "z9hG4bKs1", "UDP", 1, "MESSAGE")
                .replace(Messages.SENT_BY, "192.0.2.99:5060")), flow);
        assertEquals(2, fx.requests.size());
    }

    @Test
    public void transactionTableLimitAnswers503WithRetryAfter() {
        LayerFixture small = new LayerFixture(StackConfig.defaults().withMaxTransactions(1));
        FakeFlow flow = FakeFlow.udp();
        small.layer.receiveRequest(Messages.request("MESSAGE", "z9hG4bKm1", "UDP"), flow);
        small.layer.receiveRequest(Messages.request("MESSAGE", "z9hG4bKm2", "UDP"), flow);
        assertEquals(1, small.requests.size());
        assertEquals(List.of(503), flow.statuses());
        assertEquals("5", flow.response(0).header("Retry-After"));
    }
}
