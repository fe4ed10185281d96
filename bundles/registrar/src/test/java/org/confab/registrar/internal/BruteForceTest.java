package org.confab.registrar.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.junit.Test;

/** Repeated wrong passwords from one source are slowed, then blocked for the configured time, logged once. */
public class BruteForceTest {

    private final Harness h = new Harness(Map.of("auth.failures.max", 5, "auth.failures.window.s", 60,
            "auth.failures.slow.after", 3, "auth.block.s", 300));
    private final List<String> logged = new ArrayList<>();
    private int cseq = 1;

    public BruteForceTest() {
        h.digest.guard().blockLog = logged::add;
    }

    private SipResponse attempt(Fakes.FakeFlow flow, String user, String password) {
        String ch = Harness.challenge(h.respond(h.register(user, "cid-" + cseq, cseq)), "SHA-256");
        String auth = DigestClient.answer(ch, user, password, "REGISTER", Harness.RURI, 1, "c" + cseq);
        SipRequest req = h.register(user, "cid-" + cseq, ++cseq, "Contact: <sip:" + user + "@192.0.2.10:50123>",
                "Authorization: " + auth);
        Fakes.FakeTransaction tx = new Fakes.FakeTransaction(req, flow);
        h.registrar.onRequest(tx);
        return tx.finalResponse();
    }

    private static String outcome(SipResponse r) {
        return r.status() + " " + r.reason();
    }

    private static final String CHALLENGED = "401 Unauthorized";
    private static final String REFUSED = "403 " + AuthFailureGuard.REASON;

    /** The sequence of answers to wrong passwords, with the clock moved as a patient attacker would. */
    private List<String> bruteForce(String user, String password) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seen.add(outcome(attempt(h.flow, user, password)));              // failures 1..3
        }
        seen.add(outcome(attempt(h.flow, user, password)));                  // too early: slowed
        h.clock.advanceSeconds(1);
        seen.add(outcome(attempt(h.flow, user, password)));                  // failure 4, next wait 2 s
        h.clock.advanceSeconds(1);
        seen.add(outcome(attempt(h.flow, user, password)));                  // still too early
        h.clock.advanceSeconds(1);
        seen.add(outcome(attempt(h.flow, user, password)));                  // failure 5: blocked
        return seen;
    }

    @Test
    public void wrongPasswordsAreSlowedThenBlockedForTheConfiguredTimeAndLoggedOnce() {
        List<String> seen = bruteForce("alice", "guess");
        assertEquals(List.of(CHALLENGED, CHALLENGED, CHALLENGED, REFUSED, CHALLENGED, REFUSED, CHALLENGED), seen);
        // blocked: even the right password is refused, for the whole block time, and nothing more is logged
        for (int i = 0; i < 20; i++) {
            assertEquals(REFUSED, outcome(attempt(h.flow, "alice", i % 2 == 0 ? "secret" : "guess")));
            h.clock.advanceSeconds(14);
        }
        assertEquals("one line for the block, not one per request", 1, logged.size());
        assertTrue(logged.get(0), logged.get(0).contains("'alice'") && logged.get(0).contains("192.0.2.10")
                && logged.get(0).contains("300 s"));
        h.clock.advanceSeconds(300 - 20 * 14 - 1);
        assertEquals(REFUSED, outcome(attempt(h.flow, "alice", "secret")));
        h.clock.advanceSeconds(1);
        assertEquals("the block has lapsed", "200 OK", outcome(attempt(h.flow, "alice", "secret")));
        assertEquals(1, logged.size());
    }

    @Test
    public void aWrongUserAndAWrongPasswordAreIndistinguishable() {
        List<String> wrongPassword = bruteForce("alice", "guess");
        List<String> wrongUser = bruteForce("mallory", "guess");
        assertEquals(wrongPassword, wrongUser);
        assertEquals(2, logged.size());
    }

    @Test
    public void otherSourcesAndOtherUsersAreNotAffected() {
        bruteForce("alice", "guess");
        assertEquals(REFUSED, outcome(attempt(h.flow, "alice", "secret")));
        Fakes.FakeFlow elsewhere = new Fakes.FakeFlow("flow-2", "TCP", "198.51.100.7", 40000);
        assertEquals("200 OK", outcome(attempt(elsewhere, "alice", "secret")));
        assertEquals("200 OK", outcome(attempt(h.flow, "bob", "bobpw")));
    }

    @Test
    public void aSuccessForgetsEarlierFailures() {
        for (int i = 0; i < 2; i++) {
            assertEquals(CHALLENGED, outcome(attempt(h.flow, "alice", "guess")));
        }
        assertEquals("200 OK", outcome(attempt(h.flow, "alice", "secret")));
        for (int i = 0; i < 2; i++) {
            assertEquals(CHALLENGED, outcome(attempt(h.flow, "alice", "guess")));
        }
        assertEquals("200 OK", outcome(attempt(h.flow, "alice", "secret")));
        assertEquals(0, h.digest.guard().size());
    }

    @Test
    public void trackedStateIsBoundedAndExpires() {
        Fakes.MutableClock clock = new Fakes.MutableClock(Instant.parse("2025-01-01T12:00:00Z"));
        AuthFailureGuard g = new AuthFailureGuard(clock, 5, 3, 60_000, 300_000, 100);
        List<String> lines = new ArrayList<>();
        g.blockLog = lines::add;
        for (int i = 0; i < 1000; i++) {
            g.failed(AuthFailureGuard.key("203.0.113." + (i % 250), "example.com", "u" + i));
        }
        assertEquals("at most max tracked entries", 100, g.size());
        clock.advanceSeconds(61);
        g.failed(AuthFailureGuard.key("203.0.113.1", "example.com", "fresh"));
        assertEquals("lapsed entries are purged", 1, g.size());
        for (int i = 0; i < 5; i++) {
            g.failed(AuthFailureGuard.key("203.0.113.1", "example.com", "fresh"));
        }
        assertEquals(1, lines.size());
        clock.advanceSeconds(299);
        assertEquals(false, g.allowed(AuthFailureGuard.key("203.0.113.1", "example.com", "fresh")));
        clock.advanceSeconds(1);
        assertTrue(g.allowed(AuthFailureGuard.key("203.0.113.1", "example.com", "fresh")));
        assertEquals("a lapsed block is forgotten", 0, g.size());
    }
}
