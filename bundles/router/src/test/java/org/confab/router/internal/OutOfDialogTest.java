package org.confab.router.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Instant;
import org.confab.api.auth.AuthResult;
import org.confab.api.auth.ChallengeKind;
import org.confab.api.store.Binding;
import org.confab.api.store.StoreException;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.SipResponse;
import org.junit.Test;

public class OutOfDialogTest extends RouterTestSupport {

    private SipResponse only(FakeServerTransaction tx) {
        assertEquals("exactly one final response", 1, tx.finals().size());
        return tx.lastFinal();
    }

    @Test
    public void withoutCredentialsTheCallerIsChallengedAsByAProxy() {
        locations.add(BOB, "sip:bob@192.0.2.20:50200;transport=tcp", "flow-bob", "TCP", "192.0.2.20:50200");
        FakeServerTransaction tx = handle(request("MESSAGE", BOB));
        SipResponse r = only(tx);
        assertEquals(407, r.status());
        assertEquals(ChallengeKind.PROXY, auth.lastKind);
        assertEquals(2, r.headers(HeaderNames.PROXY_AUTHENTICATE).size());
        assertTrue(client.sent.isEmpty());
    }

    @Test
    public void withoutAuthenticatorTheAnswerIs503WithRetryAfter() {
        router.authenticator = null;
        FakeServerTransaction tx = handle(request("MESSAGE", BOB, ALICE_CREDENTIALS));
        SipResponse r = only(tx);
        assertEquals(503, r.status());
        assertEquals("5", r.header(HeaderNames.RETRY_AFTER));
        assertTrue(client.sent.isEmpty());
    }

    @Test
    public void aFailingAuthenticatorCountsAsAbsent() {
        router.authenticator = (request, flow, kind) -> {
            throw new IllegalStateException("registrar stopping");
        };
        assertEquals(503, only(handle(request("INVITE", BOB, ALICE_CREDENTIALS))).status());
    }

    @Test
    public void fromMustBeTheAuthenticatedUser() {
        FakeServerTransaction tx = handle(request("MESSAGE", BOB, "Proxy-Authorization: Test " + BOB));
        SipResponse r = only(tx);
        assertEquals(403, r.status());
        assertEquals("From does not match authenticated identity", r.reason());
    }

    @Test
    public void aRejectionOfTheAuthenticatorIsPassedOn() {
        SipResponse r = only(handle(request("MESSAGE", BOB, "Proxy-Authorization: Test blocked")));
        assertEquals(403, r.status());
        assertEquals("Source blocked", r.reason());
    }

    @Test
    public void unknownUserGets404() {
        SipResponse r = only(handle(request("MESSAGE", "sip:nobody@example.com", ALICE_CREDENTIALS)));
        assertEquals(404, r.status());
    }

    @Test
    public void disabledUserGets404() {
        users.add("sip:carol@example.com", false);
        locations.add("sip:carol@example.com", "sip:carol@192.0.2.30:5060", "flow-carol", "UDP", "192.0.2.30:5060");
        assertEquals(404, only(handle(request("MESSAGE", "sip:carol@example.com", ALICE_CREDENTIALS))).status());
        assertTrue(client.sent.isEmpty());
    }

    @Test
    public void userWithoutBindingGets480() {
        SipResponse r = only(handle(request("INVITE", BOB, ALICE_CREDENTIALS)));
        assertEquals(480, r.status());
        assertEquals("Temporarily Unavailable", r.reason());
    }

    @Test
    public void expiredBindingsDoNotCount() {
        locations.put(new Binding(BOB, "sip:bob@192.0.2.20:5060", "f", "UDP", "192.0.2.20:5060",
                Instant.now().minusSeconds(1), null, 0, "c", 1, "", 1000));
        assertEquals(480, only(handle(request("MESSAGE", BOB, ALICE_CREDENTIALS))).status());
    }

    @Test
    public void foreignDomainGets403() {
        SipResponse r = only(handle(request("MESSAGE", "sip:dave@elsewhere.org", ALICE_CREDENTIALS)));
        assertEquals(403, r.status());
        assertEquals("Domain not served", r.reason());
        assertTrue(client.sent.isEmpty());
    }

    @Test
    public void telRequestUriGets416BeforeAuthentication() {
        SipResponse r = only(handle(request("INVITE", "tel:+15551234")));
        assertEquals(416, r.status());
        assertEquals(0, auth.calls);
    }

    @Test
    public void maxForwardsZeroGets483() {
        locations.add(BOB, "sip:bob@192.0.2.20:5060", "flow-bob", "UDP", "192.0.2.20:5060");
        SipResponse r = only(handle(request("MESSAGE", BOB, ALICE_CREDENTIALS, "Max-Forwards: 0")));
        assertEquals(483, r.status());
        assertTrue(client.sent.isEmpty());
    }

    @Test
    public void optionsToTheServerIsAnsweredWithAllowAndNoChallenge() {
        SipResponse byDomain = only(handle(request("OPTIONS", "sip:example.com")));
        assertEquals(200, byDomain.status());
        assertTrue(byDomain.header(HeaderNames.ALLOW).contains("MESSAGE"));
        SipResponse byAddress = only(handle(request("OPTIONS", "sip:127.0.0.1:5060;transport=tcp")));
        assertEquals(200, byAddress.status());
        assertEquals(0, auth.calls);
    }

    @Test
    public void optionsToAUserIsRoutedLikeAnyRequest() {
        locations.add(BOB, "sip:bob@192.0.2.20:5060", "flow-bob", "UDP", "192.0.2.20:5060");
        FakeServerTransaction tx = handle(request("OPTIONS", BOB, ALICE_CREDENTIALS));
        assertEquals(1, client.sent.size());
        respond(client.sent.get(0), 200);
        assertEquals(200, only(tx).status());
    }

    @Test
    public void requestUriWithoutUserGets404WithAReason() {
        SipResponse r = only(handle(request("MESSAGE", "sip:example.com", ALICE_CREDENTIALS)));
        assertEquals(404, r.status());
        assertEquals("No user part in Request-URI", r.reason());
    }

    @Test
    public void aCancelThatReachesTheRouterMatchedNothing() {
        assertEquals(481, only(handle(request("CANCEL", BOB))).status());
    }

    @Test
    public void anAckOutsideAnyDialogIsDropped() {
        locations.add(BOB, "sip:bob@192.0.2.20:5060", "flow-bob", "UDP", "192.0.2.20:5060");
        FakeServerTransaction tx = handle(request("ACK", BOB, ALICE_CREDENTIALS));
        assertTrue(tx.responses.isEmpty());
        assertTrue(client.sent.isEmpty());
        assertTrue(client.stateless.isEmpty());
    }

    @Test
    public void aStoreFailureEndsIn500() {
        users.failure = new StoreException("database unreachable");
        SipResponse r = only(handle(request("MESSAGE", BOB, ALICE_CREDENTIALS)));
        assertEquals(500, r.status());
    }

    @Test
    public void aForeignRouteIsNotFollowed() {
        locations.add(BOB, "sip:bob@192.0.2.20:5060", "flow-bob", "UDP", "192.0.2.20:5060");
        SipResponse r = only(handle(request("MESSAGE", BOB, ALICE_CREDENTIALS, "Route: <sip:relay.elsewhere.org;lr>")));
        assertEquals(403, r.status());
        assertEquals("Relaying not allowed", r.reason());
    }

    @Test
    public void aPreloadedRouteToUsIsPopped() {
        locations.add(BOB, "sip:bob@192.0.2.20:5060", "flow-bob", "UDP", "192.0.2.20:5060");
        handle(request("MESSAGE", BOB, ALICE_CREDENTIALS, "Route: <sip:example.com;lr>, <sip:127.0.0.1:5060;transport=tcp;lr>"));
        assertEquals(1, client.sent.size());
        assertFalse(client.sent.get(0).request().hasHeader(HeaderNames.ROUTE));
    }

    @Test
    public void authenticationInfoReachesTheCallerWithTheFinalResponse() {
        locations.add(BOB, "sip:bob@192.0.2.20:5060", "flow-bob", "UDP", "192.0.2.20:5060");
        FakeServerTransaction tx = handle(request("MESSAGE", BOB, ALICE_CREDENTIALS));
        assertNull("credentials are not forwarded", client.sent.get(0).request().header(HeaderNames.PROXY_AUTHORIZATION));
        respond(client.sent.get(0), 200);
        assertEquals("rspauth=\"ok\"", only(tx).header(ChallengeKind.PROXY.infoHeader()));
    }

    @Test
    public void configurationChangesRetryAfterAndAllow() {
        router.activate(config(30, 2, "MESSAGE, OPTIONS"));
        assertEquals("MESSAGE, OPTIONS", only(handle(request("OPTIONS", "sip:example.com"))).header(HeaderNames.ALLOW));
        router.authenticator = null;
        assertEquals("30", only(handle(request("MESSAGE", BOB, ALICE_CREDENTIALS))).header(HeaderNames.RETRY_AFTER));
    }

    static RouterConfig config(int retryAfter, int maxBranches, String allow) {
        return new RouterConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return RouterConfig.class;
            }

            @Override
            public int retry_after_s() {
                return retryAfter;
            }

            @Override
            public int max_branches() {
                return maxBranches;
            }

            @Override
            public String allow() {
                return allow;
            }
        };
    }

    @Test
    public void authResultHeadersAreKeptInOrder() {
        AuthResult challenge = auth.authenticate(request("MESSAGE", BOB), aliceFlow, ChallengeKind.PROXY);
        SipResponse r = only(handle(request("MESSAGE", BOB)));
        assertEquals(challenge.headers().get(0).value(), r.headers(HeaderNames.PROXY_AUTHENTICATE).get(0));
    }
}
