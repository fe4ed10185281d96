package org.confab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.NameAddr;
import org.confab.sip.message.SipParser;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.confab.sip.message.SipUri;
import org.confab.sip.message.Uri;
import org.confab.sip.message.Via;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The proxy rules of RFC 3261 §16 in the running distribution, over real sockets on 127.0.0.1:
 * Max-Forwards (483, decrement), loop detection (482), Record-Route and loose routing of ACK and
 * BYE, in-dialog requests for dialogs the server does not know, CANCEL of a forked INVITE,
 * a forked MESSAGE, a CANCEL matching nothing (481) and a non-SIP Request-URI (416).
 * The callers write their requests themselves; each test calls its own user, so the bindings of
 * one test never receive another's requests (one container serves the whole class).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ProxyRulesTest extends ConfabPaxExamSupport {

    private static final String DOMAIN = "example.com";
    private static final String ALICE_PASSWORD = "Wonder-Land-7";
    private static final String CALLEE_PASSWORD = "Build-Er-42x";
    private static final long WAIT_S = 5;

    @Configuration
    public Option[] config() {
        return confabDistribution();
    }

    // ---- 1. Max-Forwards (RFC 3261 §16.3 step 3, §16.6 step 3)

    @Test
    public void maxForwardsZeroGets483AndOtherwiseIsDecremented() throws Exception {
        ensureUser("alice", ALICE_PASSWORD);
        ensureUser("mf-bob", CALLEE_PASSWORD);
        try (SipTestUser alice = phone("alice", "TCP");
             SipTestUser bob = registered("mf-bob", "UDP", false)) {
            Call zero = new Call(alice, "sip:mf-bob@" + DOMAIN);
            Sent sent = zero.sendAuthenticated("MESSAGE", 0, "", "hop count zero");
            SipResponse r = finalOn(alice, sent.branch());
            assertNotNull("no answer to an authenticated MESSAGE with Max-Forwards 0", r);
            assertEquals("authenticated MESSAGE with Max-Forwards 0", 483, r.status());

            Call one = new Call(alice, "sip:mf-bob@" + DOMAIN);
            sent = one.sendAuthenticated("MESSAGE", 1, "", "hop count one");
            SipRequest got = bob.awaitMessage(WAIT_S, TimeUnit.SECONDS);
            assertNotNull("Max-Forwards 1 is still forwarded", got);
            assertEquals("the MESSAGE with Max-Forwards 0 must not reach the callee", "hop count one", body(got));
            assertEquals("Max-Forwards 1 arrives decremented", 0, got.maxForwards());
            assertEquals(200, finalOn(alice, sent.branch()).status());

            Call seventy = new Call(alice, "sip:mf-bob@" + DOMAIN);
            sent = seventy.sendAuthenticated("MESSAGE", 70, "", "hop count seventy");
            got = bob.awaitMessage(WAIT_S, TimeUnit.SECONDS);
            assertNotNull("bob got no MESSAGE", got);
            assertEquals("hop count seventy", body(got));
            assertEquals("Max-Forwards 70 arrives decremented", 69, got.maxForwards());
            assertNull("credentials were for the proxy and are not forwarded",
                    got.header(HeaderNames.PROXY_AUTHORIZATION));
            SipResponse ok = finalOn(alice, sent.branch());
            assertNotNull("no 200 to the MESSAGE", ok);
            assertEquals(200, ok.status());
        }
    }

    // ---- 2. Loop detection (RFC 3261 §16.3 step 4)

    /**
     * A request the server forwarded, sent back to it unchanged (as a forwarder pointing at the server
     * would), carries the server's own Via and branch: 482. The branch is checked against the hash
     * computed here (RFC 3261 §16.6 step 8), and a request naming the server in a Via with that hash,
     * sent fresh from another socket, gets 482 too. A spiral (other Request-URI) is routed.
     */
    @Test
    public void aRequestThatComesBackToTheServerGets482AndASpiralIsRouted() throws Exception {
        ensureUser("alice", ALICE_PASSWORD);
        ensureUser("loop-bob", CALLEE_PASSWORD);
        try (SipTestUser alice = phone("alice", "TCP");
             SipTestUser bob = registered("loop-bob", "UDP", true)) {
            Call call = new Call(alice, "sip:loop-bob@" + DOMAIN);
            Sent sent = call.sendAuthenticated("MESSAGE", 70, "", "round and round");
            SipRequest forwarded = bob.awaitRequest(is("MESSAGE", call.callId), WAIT_S, TimeUnit.SECONDS);
            assertNotNull("bob got no MESSAGE", forwarded);
            bob.send(answer(forwarded, 200, "loop-ok"));
            assertEquals(200, finalOn(alice, sent.branch()).status());
            Via serverVia = forwarded.topVia();
            assertEquals("the server's Via is on top", sipPort(), serverVia.port());
            assertTrue("the server's branch " + serverVia.branch() + " ends in the request's loop hash "
                    + loopHash(forwarded), serverVia.branch().endsWith("." + loopHash(forwarded)));

            // bob's endpoint sends it straight back to the server: a loop
            SipRequest back = forwarded.copy();
            String backBranch = branch();
            back.addHeaderFirst(HeaderNames.VIA, "SIP/2.0/UDP 127.0.0.1:" + bob.localPort() + ";rport;branch="
                    + backBranch);
            bob.send(back);
            SipResponse looped = finalOn(bob, backBranch);
            assertNotNull("no answer to the request sent back to the server", looped);
            assertEquals("a forwarded request that comes back unchanged", 482, looped.status());

            // a request never forwarded, carrying a Via of the server with its hash, from alice's socket
            Call crafted = new Call(alice, "sip:loop-bob@" + DOMAIN);
            String branch = branch();
            SipRequest fake = parse(crafted.request("MESSAGE", crafted.target, 1, branch, 70, "", "round again"));
            fake.addHeader(HeaderNames.VIA, "SIP/2.0/UDP 127.0.0.1:" + sipPort() + ";branch=z9hG4bK" + tag() + "."
                    + loopHash(fake));
            alice.send(fake);
            SipResponse r = finalOn(alice, branch);
            assertNotNull("no answer to a request carrying the server's Via and hash", r);
            assertEquals(482, r.status());
            assertEquals("the 482 goes to the sender's Via", branch, r.topVia().branch());
            assertNull("a looped request is not forwarded",
                    bob.awaitRequest(is("MESSAGE", crafted.callId), 300, TimeUnit.MILLISECONDS));

            // a spiral: sent back with another Request-URI, the hash differs and the router takes it (challenge)
            SipRequest spiral = forwarded.copy();
            spiral.setRequestUri(Uri.parse("sip:loop-bob@" + DOMAIN));
            String spiralBranch = branch();
            spiral.addHeaderFirst(HeaderNames.VIA, "SIP/2.0/UDP 127.0.0.1:" + bob.localPort() + ";rport;branch="
                    + spiralBranch);
            bob.send(spiral);
            SipResponse s = finalOn(bob, spiralBranch);
            assertNotNull("no answer to a spiral", s);
            assertEquals("a spiral is not a loop: the router challenges it", 407, s.status());
        }
    }

    // ---- 3. Record-Route and loose routing (RFC 3261 §16.6 step 4, §16.4, §16.12)

    @Test
    public void inviteIsRecordRoutedAndAckAndByeFollowTheRouteSet() throws Exception {
        ensureUser("alice", ALICE_PASSWORD);
        ensureUser("dlg-bob", CALLEE_PASSWORD);
        try (SipTestUser alice = phone("alice", "TCP");
             SipTestUser bob = registered("dlg-bob", "UDP", true)) {
            Call call = new Call(alice, "sip:dlg-bob@" + DOMAIN);
            Sent invite = call.sendAuthenticated("INVITE", 70, "Contact: <" + alice.contactUri() + ">\r\n", "");
            SipRequest atBob = bob.awaitRequest(is("INVITE", call.callId), WAIT_S, TimeUnit.SECONDS);
            assertNotNull("bob got no INVITE", atBob);
            assertEquals("the Request-URI is bob's registered contact", Uri.parse(bob.contactUri()), atBob.requestUri());
            assertEquals(69, atBob.maxForwards());
            List<String> recordRoute = atBob.headerValues(HeaderNames.RECORD_ROUTE);
            assertEquals("one Record-Route, the server's: " + recordRoute, 1, recordRoute.size());
            SipUri rr = (SipUri) NameAddr.parse(recordRoute.get(0)).uri();
            assertEquals("Record-Route names the server", "127.0.0.1", rr.host());
            assertEquals("Record-Route names the server's port", sipPort(), rr.port());
            assertNotNull("Record-Route is a loose router (;lr): " + rr, rr.parameter("lr"));
            assertNull("the server's user part is empty", rr.user());

            SipResponse ok = answer(atBob, 200, "bob-dlg");
            ok.setHeader(HeaderNames.CONTACT, "<" + bob.contactUri() + ">");
            for (String v : atBob.headers(HeaderNames.RECORD_ROUTE)) {
                ok.addHeader(HeaderNames.RECORD_ROUTE, v); // RFC 3261 §12.1.1
            }
            bob.send(ok);
            SipResponse okAtAlice = alice.awaitResponse(on(invite.branch(), 200), WAIT_S, TimeUnit.SECONDS);
            assertNotNull("alice got no 200 to the INVITE", okAtAlice);
            assertEquals("the server's Via is gone from the response", 1, okAtAlice.vias().size());
            assertEquals("bob-dlg", okAtAlice.to().tag());
            List<String> routeSet = new ArrayList<>(okAtAlice.headerValues(HeaderNames.RECORD_ROUTE));
            assertEquals("the 200 brings the route set", recordRoute, routeSet);
            Collections.reverse(routeSet); // RFC 3261 §12.1.2: the UAC's route set is the reverse
            String route = "Route: " + String.join(", ", routeSet) + "\r\n";
            String remoteTarget = NameAddr.parse(okAtAlice.header(HeaderNames.CONTACT)).uri().toString();
            call.toTag = okAtAlice.to().tag();

            // ACK for the 2xx: its own transaction, to the remote target through the route set
            alice.send(call.request("ACK", remoteTarget, invite.cseq(), branch(), 70, route, ""));
            SipRequest ack = bob.awaitRequest(is("ACK", call.callId), WAIT_S, TimeUnit.SECONDS);
            assertNotNull("the ACK for the 2xx did not reach bob", ack);
            assertFalse("the server popped its Route from the ACK: " + ack.headers(HeaderNames.ROUTE),
                    ack.hasHeader(HeaderNames.ROUTE));
            assertEquals(Uri.parse(bob.contactUri()), ack.requestUri());
            assertEquals("the ACK went through the server (a Via of its own on top)", 2, ack.vias().size());
            assertEquals(sipPort(), ack.topVia().port());
            assertEquals(69, ack.maxForwards());

            String byeBranch = branch();
            alice.send(call.request("BYE", remoteTarget, invite.cseq() + 1, byeBranch, 70, route, ""));
            SipRequest bye = bob.awaitRequest(is("BYE", call.callId), WAIT_S, TimeUnit.SECONDS);
            assertNotNull("the BYE did not reach bob", bye);
            assertFalse("the server popped its Route from the BYE", bye.hasHeader(HeaderNames.ROUTE));
            assertEquals(Uri.parse(bob.contactUri()), bye.requestUri());
            assertEquals(2, bye.vias().size());
            assertEquals(69, bye.maxForwards());
            bob.send(bye.createResponse(200));
            SipResponse byeOk = finalOn(alice, byeBranch);
            assertNotNull("alice got no answer to her BYE", byeOk);
            assertEquals(200, byeOk.status());
        }
    }

    /**
     * The router keeps no dialog state (docs: only the response contexts of requests in flight), so
     * a BYE for an unknown dialog is judged by where it goes: to the server itself, 481; to a
     * registered contact, forwarded, and the UA's 481 comes back; to an address nobody registered,
     * from a sender that is not registered either, 403 (no open relay).
     */
    @Test
    public void inDialogRequestsForADialogTheServerDoesNotKnow() throws Exception {
        ensureUser("alice", ALICE_PASSWORD);
        ensureUser("ghost-bob", CALLEE_PASSWORD);
        try (SipTestUser alice = phone("alice", "TCP");
             SipTestUser bob = registered("ghost-bob", "TCP", true)) {
            String route = "Route: <sip:127.0.0.1:" + sipPort() + ";transport=tcp;lr>\r\n";

            Call toServer = new Call(alice, bob.aor());
            toServer.toTag = "unknown-1";
            String b1 = branch();
            alice.send(toServer.request("BYE", "sip:127.0.0.1:" + sipPort() + ";transport=tcp", 2, b1, 70, route, ""));
            SipResponse r1 = finalOn(alice, b1);
            assertNotNull("no answer to a BYE addressed to the server", r1);
            assertEquals("a BYE for the server itself matches no dialog", 481, r1.status());

            Call toBob = new Call(alice, bob.aor());
            toBob.toTag = "unknown-2";
            String b2 = branch();
            alice.send(toBob.request("BYE", bob.contactUri(), 2, b2, 70, route, ""));
            SipRequest bye = bob.awaitRequest(is("BYE", toBob.callId), WAIT_S, TimeUnit.SECONDS);
            assertNotNull("a BYE to a registered contact is forwarded (the proxy is dialog-stateless)", bye);
            assertFalse("the server popped its Route", bye.hasHeader(HeaderNames.ROUTE));
            bob.send(bye.createResponse(481));
            SipResponse r2 = finalOn(alice, b2);
            assertNotNull("bob's 481 did not come back", r2);
            assertEquals("the UA's 481 is relayed", 481, r2.status());
            assertNull("the BYE for the server itself must not have reached bob",
                    bob.awaitRequest(is("BYE", toServer.callId), 200, TimeUnit.MILLISECONDS));

            Call relay = new Call(alice, bob.aor());
            relay.toTag = "unknown-3";
            String b3 = branch();
            alice.send(relay.request("BYE", "sip:carol@127.0.0.1:9;transport=tcp", 2, b3, 70, route, ""));
            SipResponse r3 = finalOn(alice, b3);
            assertNotNull("no answer to a BYE towards an unregistered address", r3);
            assertEquals("an unregistered sender cannot relay through the server", 403, r3.status());
            assertEquals("Relaying not allowed", r3.reason());
        }
    }

    // ---- 4. CANCEL of a forked INVITE (RFC 3261 §16.10, §9.1, §17.1.1.3)

    @Test
    public void cancelOfAForkedInviteCancelsEveryBranch() throws Exception {
        ensureUser("alice", ALICE_PASSWORD);
        ensureUser("fork-bob", CALLEE_PASSWORD);
        try (SipTestUser alice = phone("alice", "TCP");
             SipTestUser desk = registered("fork-bob", "UDP", true);
             SipTestUser laptop = registered("fork-bob", "TCP", true)) {
            Call call = new Call(alice, "sip:fork-bob@" + DOMAIN);
            Sent invite = call.sendAuthenticated("INVITE", 70, "Contact: <" + alice.contactUri() + ">\r\n", "");
            SipTestUser[] endpoints = {desk, laptop};
            String[] tags = {"desk-tag", "laptop-tag"};
            SipRequest[] invites = new SipRequest[2];
            for (int i = 0; i < 2; i++) {
                invites[i] = endpoints[i].awaitRequest(is("INVITE", call.callId), WAIT_S, TimeUnit.SECONDS);
                assertNotNull("endpoint " + tags[i] + " got no INVITE", invites[i]);
                assertEquals(Uri.parse(endpoints[i].contactUri()), invites[i].requestUri());
            }
            assertFalse("each branch has its own branch id",
                    invites[0].topVia().branch().equals(invites[1].topVia().branch()));
            for (int i = 0; i < 2; i++) {
                endpoints[i].send(answer(invites[i], 180, tags[i]));
            }
            Set<String> ringing = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                SipResponse ring = alice.awaitResponse(on(invite.branch(), 180), WAIT_S, TimeUnit.SECONDS);
                assertNotNull("alice got " + ringing.size() + " of the two 180s", ring);
                ringing.add(ring.to().tag());
            }
            assertEquals("both endpoints' 180s reach alice", Set.of(tags), ringing);

            alice.send(call.cancel(invite));
            SipResponse cancelOk = alice.awaitResponse(finalTo(invite.branch(), "CANCEL"), WAIT_S, TimeUnit.SECONDS);
            assertNotNull("no answer to the CANCEL", cancelOk);
            assertEquals("the CANCEL matched the INVITE's transaction", 200, cancelOk.status());
            SipResponse terminated = alice.awaitResponse(finalTo(invite.branch(), "INVITE"), WAIT_S, TimeUnit.SECONDS);
            assertNotNull("no final response to the cancelled INVITE", terminated);
            assertEquals(487, terminated.status());
            alice.send(call.ackFor(terminated, invite));

            for (int i = 0; i < 2; i++) {
                SipRequest cancel = endpoints[i].awaitRequest(is("CANCEL", call.callId), WAIT_S, TimeUnit.SECONDS);
                assertNotNull("endpoint " + tags[i] + " got no CANCEL", cancel);
                assertEquals("RFC 3261 §9.1: the CANCEL has the INVITE's branch", invites[i].topVia().branch(),
                        cancel.topVia().branch());
                assertEquals(invites[i].cseq().number(), cancel.cseq().number());
                assertEquals(invites[i].requestUri(), cancel.requestUri());
                endpoints[i].send(cancel.createResponse(200));
                SipResponse t = answer(invites[i], 487, tags[i]);
                endpoints[i].send(t);
                SipRequest ack = endpoints[i].awaitRequest(is("ACK", call.callId), WAIT_S, TimeUnit.SECONDS);
                assertNotNull("endpoint " + tags[i] + " got no ACK for its 487", ack);
                assertEquals("the server ACKs the 487 hop by hop, in the INVITE's transaction",
                        invites[i].topVia().branch(), ack.topVia().branch());
                assertEquals(invites[i].cseq().number(), ack.cseq().number());
                assertEquals(tags[i], ack.to().tag());
            }
            assertNull("no other final response to the cancelled INVITE",
                    alice.awaitResponse(finalTo(invite.branch(), "INVITE"), 500, TimeUnit.MILLISECONDS));
        }
    }

    // ---- 5. A forked MESSAGE (RFC 3261 §16.7 steps 5 and 9)

    @Test
    public void aForkedMessageReachesEveryEndpointAndOneFinalResponseGoesBack() throws Exception {
        ensureUser("alice", ALICE_PASSWORD);
        ensureUser("msg-bob", CALLEE_PASSWORD);
        try (SipTestUser alice = phone("alice", "TCP");
             SipTestUser desk = registered("msg-bob", "UDP", true);
             SipTestUser laptop = registered("msg-bob", "TCP", true)) {
            Call call = new Call(alice, "sip:msg-bob@" + DOMAIN);
            Sent message = call.sendAuthenticated("MESSAGE", 70, "", "to all of you");
            SipRequest atDesk = desk.awaitRequest(is("MESSAGE", call.callId), WAIT_S, TimeUnit.SECONDS);
            SipRequest atLaptop = laptop.awaitRequest(is("MESSAGE", call.callId), WAIT_S, TimeUnit.SECONDS);
            assertNotNull("the desk endpoint got no MESSAGE", atDesk);
            assertNotNull("the laptop endpoint got no MESSAGE", atLaptop);
            assertEquals("to all of you", body(atDesk));
            assertEquals("to all of you", body(atLaptop));

            laptop.send(answer(atLaptop, 200, "laptop-first"));
            SipResponse ok = finalOn(alice, message.branch());
            assertNotNull("the first 200 did not reach alice", ok);
            assertEquals(200, ok.status());
            assertEquals("the first 200 is the one forwarded", "laptop-first", ok.to().tag());
            desk.send(answer(atDesk, 200, "desk-second"));
            assertNull("a second final response reached alice",
                    alice.awaitResponse(finalTo(message.branch(), "MESSAGE"), 2, TimeUnit.SECONDS));
        }
    }

    // ---- 6. CANCEL matching nothing (RFC 3261 §9.2, §16.10) and unsupported URI scheme (§16.3 step 2)

    @Test
    public void cancelMatchingNoTransactionGets481AndTelRequestUriGets416() throws Exception {
        ensureDomain();
        try (SipTestUser alice = phone("alice", "UDP")) {
            Call nothing = new Call(alice, "sip:err-bob@" + DOMAIN);
            String b = branch();
            alice.send(nothing.request("CANCEL", nothing.target, 1, b, 70, "", ""));
            SipResponse r = finalOn(alice, b);
            assertNotNull("no answer to a CANCEL matching nothing", r);
            assertEquals(481, r.status());

            Call tel = new Call(alice, "tel:+15551234");
            b = branch();
            alice.send(tel.request("INVITE", tel.target, 1, b, 70, "Contact: <" + alice.contactUri() + ">\r\n", ""));
            r = finalOn(alice, b);
            assertNotNull("no answer to an INVITE of a tel: URI", r);
            assertEquals("tel: Request-URI, before any authentication", 416, r.status());
            alice.send(tel.ackFor(r, new Sent(b, 1)));

            Call telMessage = new Call(alice, "tel:+15551234");
            b = branch();
            alice.send(telMessage.request("MESSAGE", telMessage.target, 1, b, 70, "", "to a number"));
            r = finalOn(alice, b);
            assertNotNull("no answer to a MESSAGE to a tel: URI", r);
            assertEquals(416, r.status());
        }
    }

    // ---- helpers

    /** The branch and CSeq number of a request sent. */
    private record Sent(String branch, long cseq) {
    }

    /** One call (or out-of-dialog request) from a test phone: its identifiers and the requests a phone writes. */
    private static final class Call {
        final SipTestUser caller;
        final String target;
        final String callId = "proxy-rules-" + UUID.randomUUID();
        final String fromTag = tag();
        String toTag;
        long cseq = 1;

        Call(SipTestUser caller, String target) {
            this.caller = caller;
            this.target = target;
        }

        String request(String method, String ruri, long number, String branch, int maxForwards, String extra,
                       String body) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            return method + " " + ruri + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/" + caller.transport() + " 127.0.0.1:" + caller.localPort() + ";rport;branch="
                    + branch + "\r\n"
                    + "Max-Forwards: " + maxForwards + "\r\n"
                    + "From: <" + caller.aor() + ">;tag=" + fromTag + "\r\n"
                    + "To: <" + target + ">" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: " + number + " " + method + "\r\n"
                    + "User-Agent: confab-itest\r\n"
                    + extra
                    + (b.length == 0 ? "" : "Content-Type: text/plain\r\n")
                    + "Content-Length: " + b.length + "\r\n\r\n" + body;
        }

        /**
         * Sends an out-of-dialog request to the target as the proxy wants it: first without
         * credentials, then, after the 407 (ACKed for an INVITE), with Proxy-Authorization, a new
         * branch and the next CSeq (RFC 3261 §22.3). Responses to the second are the caller's to await.
         */
        Sent sendAuthenticated(String method, int maxForwards, String extra, String body) throws Exception {
            Sent first = new Sent(branch(), cseq++);
            caller.send(request(method, target, first.cseq(), first.branch(), 70, extra, body));
            SipResponse challenge = finalOn(caller, first.branch());
            assertNotNull(method + " without credentials got no answer", challenge);
            assertEquals(method + " without credentials", 407, challenge.status());
            if ("INVITE".equals(method)) {
                caller.send(ackFor(challenge, first));
            }
            String credentials = caller.credentials(challenge.header(HeaderNames.PROXY_AUTHENTICATE), method, target);
            Sent second = new Sent(branch(), cseq++);
            caller.send(request(method, target, second.cseq(), second.branch(), maxForwards,
                    extra + "Proxy-Authorization: " + credentials + "\r\n", body));
            return second;
        }

        /** RFC 3261 §17.1.1.3: the ACK for a non-2xx final response, inside the INVITE's transaction. */
        String ackFor(SipResponse response, Sent invite) {
            return "ACK " + target + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/" + caller.transport() + " 127.0.0.1:" + caller.localPort() + ";rport;branch="
                    + invite.branch() + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: " + response.header(HeaderNames.FROM) + "\r\n"
                    + "To: " + response.header(HeaderNames.TO) + "\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: " + invite.cseq() + " ACK\r\n"
                    + "Content-Length: 0\r\n\r\n";
        }

        /** RFC 3261 §9.1: Request-URI, Call-ID, From, To, CSeq number and Via (branch) of the INVITE. */
        String cancel(Sent invite) {
            return "CANCEL " + target + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/" + caller.transport() + " 127.0.0.1:" + caller.localPort() + ";rport;branch="
                    + invite.branch() + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <" + caller.aor() + ">;tag=" + fromTag + "\r\n"
                    + "To: <" + target + ">\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: " + invite.cseq() + " CANCEL\r\n"
                    + "Content-Length: 0\r\n\r\n";
        }
    }

    /** A UAS response: Vias, From, To (with the UAS's tag), Call-ID and CSeq of the request (RFC 3261 §8.2.6). */
    private static SipResponse answer(SipRequest request, int status, String toTag) {
        SipResponse r = request.createResponse(status);
        if (r.to().tag() == null) {
            r.setHeader(HeaderNames.TO, r.to().withTag(toTag).toString());
        }
        return r;
    }

    /** Responses with this status to the request sent with this branch. */
    private static Predicate<SipResponse> on(String branch, int status) {
        return r -> branch.equals(topBranch(r)) && r.status() == status;
    }

    /** Final responses to the request of this branch and CSeq method (CANCEL shares the INVITE's branch). */
    private static Predicate<SipResponse> finalTo(String branch, String method) {
        return r -> branch.equals(topBranch(r)) && r.status() >= 200 && r.cseq() != null
                && method.equals(r.cseq().method());
    }

    private static String topBranch(SipResponse r) {
        Via v = r.topVia();
        return v == null ? null : v.branch();
    }

    private static SipResponse finalOn(SipTestUser user, String branch) throws InterruptedException {
        return user.awaitResponse(r -> branch.equals(topBranch(r)) && r.status() >= 200, WAIT_S, TimeUnit.SECONDS);
    }

    private static Predicate<SipRequest> is(String method, String callId) {
        return r -> method.equals(r.method()) && callId.equals(r.callId());
    }

    /**
     * The server's loop hash of a request, computed here independently of its code (sip-transport's
     * LoopDetector): SHA-256 over Request-URI, From tag, To tag, Call-ID, CSeq number and Proxy-Require,
     * the first 8 bytes in hex. Its branches are "z9hG4bK" random "." hash.
     */
    private static String loopHash(SipRequest r) throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append(r.requestUri()).append('\n');
        sb.append(r.from().tag() == null ? "" : r.from().tag()).append('\n');
        sb.append(r.to().tag() == null ? "" : r.to().tag()).append('\n');
        sb.append(r.callId()).append('\n');
        sb.append(r.cseq().number()).append('\n');
        for (String pr : r.headers(HeaderNames.PROXY_REQUIRE)) {
            sb.append(pr).append('\n');
        }
        byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d, 0, 8);
    }

    private static SipRequest parse(String text) throws Exception {
        return (SipRequest) SipParser.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String body(SipRequest r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static String branch() {
        return "z9hG4bK" + UUID.randomUUID().toString().replace("-", "");
    }

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private SipTestUser phone(String user, String transport) throws Exception {
        return new SipTestUser(user, DOMAIN, user.equals("alice") ? ALICE_PASSWORD : CALLEE_PASSWORD, transport,
                "127.0.0.1", sipPort());
    }

    /** A registered endpoint of the user; with {@code manual} it answers nothing by itself. */
    private SipTestUser registered(String user, String transport, boolean manual) throws Exception {
        SipTestUser u = phone(user, transport);
        SipResponse r = u.register(600);
        assertNotNull(user + " got no answer to REGISTER over " + transport, r);
        assertEquals(user + " REGISTER over " + transport, 200, r.status());
        if (manual) {
            u.answerManually();
        }
        return u;
    }

    private void ensureDomain() throws Exception {
        if (!execute("confab:domain-list").contains(DOMAIN)) {
            execute("confab:domain-add " + DOMAIN);
        }
    }

    private void ensureUser(String user, String password) throws Exception {
        ensureDomain();
        String aor = "sip:" + user + "@" + DOMAIN;
        if (!execute("confab:user-list").contains(aor)) {
            execute("confab:user-enable --password " + password + " " + aor);
        }
    }
}
