package org.confab.router.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.confab.api.transport.Destination;
import org.confab.api.transport.TransportException;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.SipResponse;
import org.junit.Before;
import org.junit.Test;

public class ForkingTest extends RouterTestSupport {

    static final String BOB1 = "sip:bob@192.0.2.21:5001;transport=tcp";
    static final String BOB2 = "sip:bob@192.0.2.22:5002";

    @Before
    public void twoEndpoints() {
        locations.add(BOB, BOB1, "flow-b1", "TCP", "192.0.2.21:5001");
        locations.add(BOB, BOB2, "flow-b2", "UDP", "192.0.2.22:5002");
    }

    private FakeSipClient.Sent branch(int i) {
        return client.sent.get(i);
    }

    @Test
    public void messageGoesToEveryEndpointAndOnlyTheFirst200Upstream() {
        FakeServerTransaction tx = handle(request("MESSAGE", BOB, ALICE_CREDENTIALS));
        assertEquals(2, client.sent.size());
        assertEquals(BOB1, branch(0).request().requestUri().toString());
        assertEquals(BOB2, branch(1).request().requestUri().toString());
        assertEquals(69, branch(0).request().maxForwards());
        assertFalse("no Record-Route on MESSAGE", branch(0).request().hasHeader(HeaderNames.RECORD_ROUTE));
        Destination d = branch(1).destination();
        assertEquals("flow-b2", d.flowId());
        assertEquals("UDP", d.transport());
        assertEquals("192.0.2.22", d.host());
        assertEquals(5002, d.port());

        respond(branch(1), 200);
        assertEquals(1, tx.finals().size());
        assertEquals(200, tx.lastFinal().status());
        respond(branch(0), 200);
        assertEquals("the later 200 is not sent again", 1, tx.finals().size());
        assertTrue(tx.ignored.isEmpty());
        assertTrue(client.stateless.isEmpty());
    }

    @Test
    public void whenBothFailTheBusyHereBeatsNotFound() {
        FakeServerTransaction tx = handle(request("MESSAGE", BOB, ALICE_CREDENTIALS));
        respond(branch(0), 404);
        assertTrue("no final before every branch ended", tx.finals().isEmpty());
        respond(branch(1), 486);
        assertEquals(1, tx.finals().size());
        assertEquals(486, tx.lastFinal().status());
    }

    @Test
    public void everyBranchUnreachableGives480() {
        FakeServerTransaction tx = handle(request("MESSAGE", BOB, ALICE_CREDENTIALS));
        branch(0).listener().onTransportError(new TransportException("connection closed"));
        branch(1).listener().onTransportError(new TransportException("flow gone"));
        assertEquals(480, tx.lastFinal().status());
        assertEquals(1, tx.finals().size());
    }

    @Test
    public void timeoutsAndTransportErrorsTogetherGive480() {
        FakeServerTransaction tx = handle(request("INVITE", BOB, ALICE_CREDENTIALS));
        branch(0).listener().onTimeout();
        branch(1).listener().onTransportError(new TransportException("refused"));
        assertEquals(480, tx.lastFinal().status());
    }

    @Test
    public void aRealFailureBeatsATimeoutOfTheSameClass() {
        FakeServerTransaction tx = handle(request("MESSAGE", BOB, ALICE_CREDENTIALS));
        branch(0).listener().onTimeout();
        respond(branch(1), 404);
        assertEquals(404, tx.lastFinal().status());
    }

    @Test
    public void aSendThatThrowsCountsAsATransportError() {
        client.failSend = new IllegalStateException("transport stopping");
        FakeServerTransaction tx = handle(request("MESSAGE", BOB, ALICE_CREDENTIALS));
        assertEquals(480, tx.lastFinal().status());
    }

    @Test
    public void inviteIsRecordRoutedAndSentToTheContactOverItsFlow() {
        FakeServerTransaction tx = handle(request("INVITE", BOB, ALICE_CREDENTIALS, "-Max-Forwards"));
        assertEquals(2, client.sent.size());
        FakeSipClient.Sent b = branch(0);
        assertEquals(BOB1, b.request().requestUri().toString());
        assertEquals("<sip:127.0.0.1:5060;transport=tcp;lr>", b.request().header(HeaderNames.RECORD_ROUTE));
        assertEquals("Max-Forwards absent: 70", 70, b.request().maxForwards());
        assertEquals("flow-b1", b.destination().flowId());
        assertEquals("TCP", b.destination().transport());
        assertEquals("192.0.2.21", b.destination().host());
        assertEquals(5001, b.destination().port());
        assertEquals("the caller's Via stays", "z9hG4bKcaller1", b.request().topVia().branch());
        assertTrue(tx.responses.isEmpty());
    }

    @Test
    public void provisionalResponsesButNot100GoUpstream() {
        FakeServerTransaction tx = handle(request("INVITE", BOB, ALICE_CREDENTIALS));
        respond(branch(0), 100);
        assertTrue(tx.responses.isEmpty());
        respond(branch(0), 180);
        respond(branch(1), 183);
        assertEquals(2, tx.responses.size());
        assertEquals(180, tx.responses.get(0).status());
        assertEquals(183, tx.responses.get(1).status());
    }

    @Test
    public void cancelOfTheCallerCancelsBranchesAndAnswers487() {
        FakeServerTransaction tx = handle(request("INVITE", BOB, ALICE_CREDENTIALS));
        respond(branch(0), 180);
        tx.cancelCallback.run();
        assertEquals(1, branch(0).ct().cancels);
        assertEquals("RFC 3261 §9.1: no CANCEL before a provisional", 0, branch(1).ct().cancels);
        assertEquals(487, tx.lastFinal().status());
        respond(branch(1), 180);
        assertEquals("CANCEL sent once the provisional came", 1, branch(1).ct().cancels);
        respond(branch(0), 487);
        respond(branch(1), 487);
        assertEquals(1, tx.finals().size());
        assertEquals("only the 180 before the CANCEL went up", 2, tx.responses.size());
    }

    @Test
    public void the2xxToAnInviteCancelsTheOthersAndALater2xxStillGoesUp() {
        FakeServerTransaction tx = handle(request("INVITE", BOB, ALICE_CREDENTIALS));
        respond(branch(0), 180);
        respond(branch(1), 180);
        respond(branch(0), 200);
        assertEquals(200, tx.lastFinal().status());
        assertEquals(0, branch(0).ct().cancels);
        assertEquals(1, branch(1).ct().cancels);
        respond(branch(1), 200);
        assertEquals(1, tx.finals().size());
        assertEquals("RFC 3261 §16.7 step 5", 1, client.stateless.size());
        SipResponse late = (SipResponse) client.stateless.get(0).message();
        assertEquals(200, late.status());
        assertEquals("flow-alice", client.stateless.get(0).destination().flowId());
    }

    @Test
    public void a6xxWinsOverA4xxAndCancelsTheOtherBranches() {
        FakeServerTransaction tx = handle(request("INVITE", BOB, ALICE_CREDENTIALS));
        respond(branch(0), 180);
        respond(branch(1), 603);
        assertEquals(1, branch(0).ct().cancels);
        respond(branch(0), 487);
        assertEquals(603, tx.lastFinal().status());
    }

    @Test
    public void challengesOfAllBranchesAreAggregated() {
        FakeServerTransaction tx = handle(request("MESSAGE", BOB, ALICE_CREDENTIALS));
        SipResponse first = answer(branch(0), 407);
        first.addHeader(HeaderNames.PROXY_AUTHENTICATE, "Digest realm=\"one\"");
        SipResponse second = answer(branch(1), 401);
        second.addHeader(HeaderNames.WWW_AUTHENTICATE, "Digest realm=\"two\"");
        branch(0).listener().onResponse(first);
        branch(1).listener().onResponse(second);
        SipResponse r = tx.lastFinal();
        assertEquals(407, r.status());
        assertEquals(List.of("Digest realm=\"one\""), r.headers(HeaderNames.PROXY_AUTHENTICATE));
        assertEquals(List.of("Digest realm=\"two\""), r.headers(HeaderNames.WWW_AUTHENTICATE));
    }

    @Test
    public void a503FromTheOnlyAnswerBecomes500() {
        FakeServerTransaction tx = handle(request("MESSAGE", BOB, ALICE_CREDENTIALS));
        respond(branch(0), 503);
        branch(1).listener().onTransportError(new TransportException("refused"));
        assertEquals(500, tx.lastFinal().status());
    }

    @Test
    public void ourViaNeverReachesTheCaller() {
        FakeServerTransaction tx = handle(request("MESSAGE", BOB, ALICE_CREDENTIALS));
        SipResponse r = answer(branch(0), 200);
        r.addHeaderFirst(HeaderNames.VIA, "SIP/2.0/TCP 127.0.0.1:5060;branch=" + branch(0).ct().branch());
        branch(0).listener().onResponse(r);
        assertEquals("z9hG4bKcaller1", tx.lastFinal().topVia().branch());
        assertEquals(1, tx.lastFinal().vias().size());
    }

    @Test
    public void forkingStopsAtMaxBranches() {
        router.activate(OutOfDialogTest.config(5, 1, "MESSAGE"));
        handle(request("MESSAGE", BOB, ALICE_CREDENTIALS));
        assertEquals(1, client.sent.size());
        assertEquals(BOB1, branch(0).request().requestUri().toString());
    }

    @Test
    public void aBindingWithoutFlowIsReachedAtItsSource() {
        locations.removeAll(BOB);
        locations.add(BOB, "sip:bob@[2001:db8::5]:5070", null, "UDP", "[2001:db8::5]:5070");
        handle(request("MESSAGE", BOB, ALICE_CREDENTIALS));
        Destination d = branch(0).destination();
        assertEquals(null, d.flowId());
        assertEquals("2001:db8::5", d.host());
        assertEquals(5070, d.port());
    }

    @Test
    public void anUnreadableContactIsSkipped() {
        locations.removeAll(BOB);
        locations.add(BOB, "not a uri", "flow-x", "TCP", "192.0.2.40:5000");
        locations.add(BOB, BOB2, "flow-b2", "UDP", "192.0.2.22:5002");
        handle(request("MESSAGE", BOB, ALICE_CREDENTIALS));
        assertEquals(1, client.sent.size());
        assertEquals(BOB2, branch(0).request().requestUri().toString());
    }

    @Test
    public void aTcpBindingFallsBackToItsContactAddressNotItsEphemeralSourcePort() {
        locations.removeAll(BOB);
        locations.add(BOB, "sip:bob@192.0.2.30:5080;transport=tcp", "flow-dead", "TCP", "192.0.2.30:49152");
        handle(request("MESSAGE", BOB, ALICE_CREDENTIALS));
        Destination d = branch(0).destination();
        assertEquals("flow-dead", d.flowId());
        assertEquals("192.0.2.30", d.host());
        assertEquals(5080, d.port());
    }

    @Test
    public void anOutboundTcpBindingIsReachedOnlyOverItsFlow() {
        locations.removeAll(BOB);
        locations.put(new org.confab.api.store.Binding(BOB, "sip:bob@192.0.2.31:5080;transport=tcp;ob", "flow-ob", "TCP",
                "192.0.2.31:49153", java.time.Instant.now().plusSeconds(600), "<urn:uuid:00000000-0000-0000-0000-000000000001>",
                1, "reg-ob", 1, "", 1000));
        handle(request("MESSAGE", BOB, ALICE_CREDENTIALS));
        Destination d = branch(0).destination();
        assertEquals("flow-ob", d.flowId());
        assertEquals(null, d.host());
    }

    @Test
    public void aUdpBindingIsReachedAtItsSourceAddressWhereNatLeftItOpen() {
        locations.removeAll(BOB);
        locations.add(BOB, "sip:bob@10.1.1.1:5060", "flow-u", "UDP", "192.0.2.32:40000");
        handle(request("MESSAGE", BOB, ALICE_CREDENTIALS));
        Destination d = branch(0).destination();
        assertEquals("192.0.2.32", d.host());
        assertEquals(40000, d.port());
    }
}
