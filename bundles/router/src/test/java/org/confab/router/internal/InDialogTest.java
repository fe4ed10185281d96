package org.confab.router.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.confab.api.transport.Destination;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.Via;
import org.junit.Before;
import org.junit.Test;

public class InDialogTest extends RouterTestSupport {

    static final String BOB_CONTACT = "sip:bob@192.0.2.20:50200;transport=tcp";
    static final String OUR_ROUTE = "Route: <sip:127.0.0.1:5060;transport=tcp;lr>";
    static final String TO_BOB = "To: <" + BOB + ">;tag=b1";

    @Before
    public void bobIsRegistered() {
        locations.add(BOB, BOB_CONTACT, "flow-bob", "TCP", "192.0.2.20:50200");
    }

    @Test
    public void byeWithOurRouteIsPoppedAndSentOverTheCalleesFlow() {
        FakeServerTransaction tx = handle(request("BYE", BOB_CONTACT, TO_BOB, OUR_ROUTE, "CSeq: 2 BYE"));
        assertEquals(1, client.sent.size());
        SipRequest out = client.sent.get(0).request();
        assertFalse("our Route is popped", out.hasHeader(HeaderNames.ROUTE));
        assertEquals(BOB_CONTACT, out.requestUri().toString());
        assertEquals(69, out.maxForwards());
        Destination d = client.sent.get(0).destination();
        assertEquals("flow-bob", d.flowId());
        assertEquals("192.0.2.20", d.host());
        assertEquals(50200, d.port());
        assertEquals("no authentication inside a dialog", 0, auth.calls);
        respond(client.sent.get(0), 200);
        assertEquals(200, tx.lastFinal().status());
    }

    @Test
    public void strictRouterFixUpRestoresTheRealTarget() {
        handle(request("BYE", "sip:127.0.0.1:5060;transport=tcp", TO_BOB, "Route: <" + BOB_CONTACT + ">"));
        assertEquals(1, client.sent.size());
        SipRequest out = client.sent.get(0).request();
        assertEquals(BOB_CONTACT, out.requestUri().toString());
        assertFalse(out.hasHeader(HeaderNames.ROUTE));
        assertEquals("flow-bob", client.sent.get(0).destination().flowId());
    }

    @Test
    public void ackFor2xxIsForwardedStatelesslyWithAViaOfOurOwn() {
        FakeServerTransaction tx = handle(request("ACK", BOB_CONTACT, TO_BOB, OUR_ROUTE, "CSeq: 1 ACK"));
        assertTrue(client.sent.isEmpty());
        assertTrue(tx.responses.isEmpty());
        assertEquals(1, client.stateless.size());
        SipRequest ack = (SipRequest) client.stateless.get(0).message();
        List<Via> vias = ack.vias();
        assertEquals(2, vias.size());
        assertEquals("TCP", vias.get(0).transport());
        assertEquals("127.0.0.1", vias.get(0).host());
        assertTrue(vias.get(0).hasMagicCookie());
        assertEquals("z9hG4bKcaller1", vias.get(1).branch());
        assertFalse(ack.hasHeader(HeaderNames.ROUTE));
        assertEquals("flow-bob", client.stateless.get(0).destination().flowId());
    }

    @Test
    public void ackWithMaxForwardsZeroIsDropped() {
        handle(request("ACK", BOB_CONTACT, TO_BOB, OUR_ROUTE, "CSeq: 1 ACK", "Max-Forwards: 0"));
        assertTrue(client.stateless.isEmpty());
    }

    @Test
    public void maxForwardsZeroGets483InsideADialogToo() {
        FakeServerTransaction tx = handle(request("INFO", BOB_CONTACT, TO_BOB, OUR_ROUTE, "Max-Forwards: 0"));
        assertEquals(483, tx.lastFinal().status());
    }

    @Test
    public void reInviteIsForwardedWithoutChallenge() {
        FakeServerTransaction tx = handle(request("INVITE", BOB_CONTACT, TO_BOB, OUR_ROUTE));
        assertEquals(1, client.sent.size());
        assertEquals(0, auth.calls);
        respond(client.sent.get(0), 180);
        tx.cancelCallback.run();
        assertEquals(1, client.sent.get(0).ct().cancels);
        assertEquals(487, tx.lastFinal().status());
    }

    @Test
    public void msStyleMessageToTheAorGoesToTheUsersEndpoint() {
        // MS-DIALECT §6: in-dialog MESSAGE routed by the AOR in the Request-URI, Via without branch
        handle(request("MESSAGE", BOB, TO_BOB, "Via: SIP/2.0/tcp 192.0.2.10:50123", "CSeq: 2 MESSAGE"));
        assertEquals(1, client.sent.size());
        assertEquals(BOB_CONTACT, client.sent.get(0).request().requestUri().toString());
        assertEquals("flow-bob", client.sent.get(0).destination().flowId());
    }

    @Test
    public void inDialogRequestToAnAorWithoutEndpointGets480() {
        FakeServerTransaction tx = handle(request("MESSAGE", ALICE, "From: <" + BOB + ">;tag=b1",
                "To: <" + ALICE + ">;tag=a1"));
        assertEquals(480, tx.lastFinal().status());
    }

    @Test
    public void contactMatchingToleratesExtraParameters() {
        locations.removeAll(BOB);
        locations.add(BOB, "sip:bob@192.0.2.20:50200;transport=tcp;ob", "flow-bob2", "TCP", "192.0.2.20:50200");
        handle(request("INFO", "sip:bob@192.0.2.20:50200", TO_BOB, OUR_ROUTE));
        assertEquals("flow-bob2", client.sent.get(0).destination().flowId());
    }

    @Test
    public void anUnregisteredSenderCannotRelayToAForeignHost() {
        FakeServerTransaction tx = handle(request("MESSAGE", "sip:carol@198.51.100.7:5099", TO_BOB, OUR_ROUTE));
        assertEquals(403, tx.lastFinal().status());
        assertEquals("Relaying not allowed", tx.lastFinal().reason());
        assertTrue(client.sent.isEmpty());
    }

    @Test
    public void aRegisteredSenderReachesAnUnregisteredTargetAtItsUriAddress() {
        locations.add(ALICE, "sip:alice@192.0.2.10:50123;transport=tcp", "flow-alice", "TCP", "192.0.2.10:50123");
        handle(request("BYE", "sip:carol@198.51.100.7:5099;transport=tcp", TO_BOB, OUR_ROUTE));
        Destination d = client.sent.get(0).destination();
        assertEquals(null, d.flowId());
        assertEquals("TCP", d.transport());
        assertEquals("198.51.100.7", d.host());
        assertEquals(5099, d.port());
    }

    @Test
    public void theNextLooseRouteIsFollowedAndKept() {
        locations.add(ALICE, "sip:alice@192.0.2.10:50123;transport=tcp", "other-flow", "TCP", "192.0.2.10:50123");
        handle(request("BYE", BOB_CONTACT, TO_BOB, "Route: <sip:127.0.0.1:5060;transport=tcp;lr>, <sip:10.0.0.9:5070;lr>"));
        SipRequest out = client.sent.get(0).request();
        assertEquals(List.of("<sip:10.0.0.9:5070;lr>"), out.headerValues(HeaderNames.ROUTE));
        assertEquals(BOB_CONTACT, out.requestUri().toString());
        Destination d = client.sent.get(0).destination();
        assertEquals("10.0.0.9", d.host());
        assertEquals(5070, d.port());
        assertEquals("UDP", d.transport());
    }

    @Test
    public void aStrictNextHopGetsTheRequestUriMovedIntoTheRouteSet() {
        locations.add(ALICE, "sip:alice@192.0.2.10:50123;transport=tcp", "flow-alice", "TCP", "192.0.2.10:50123");
        handle(request("BYE", BOB_CONTACT, TO_BOB, "Route: <sip:127.0.0.1:5060;lr>, <sip:10.0.0.9:5070>"));
        SipRequest out = client.sent.get(0).request();
        assertEquals("sip:10.0.0.9:5070", out.requestUri().toString());
        assertEquals(List.of("<" + BOB_CONTACT + ">"), out.headerValues(HeaderNames.ROUTE));
    }

    @Test
    public void aRequestForUsWithoutARouteMatchesNoDialog() {
        FakeServerTransaction tx = handle(request("BYE", "sip:127.0.0.1:5060", TO_BOB));
        assertEquals(481, tx.lastFinal().status());
    }

    @Test
    public void aGarbageRouteGets400() {
        FakeServerTransaction tx = handle(request("BYE", BOB_CONTACT, TO_BOB, "Route: <garbage"));
        assertEquals(400, tx.lastFinal().status());
    }
}
