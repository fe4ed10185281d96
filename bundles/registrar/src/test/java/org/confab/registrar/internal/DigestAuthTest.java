package org.confab.registrar.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.confab.api.store.Binding;
import org.confab.sip.message.SipResponse;
import org.junit.Test;

/** Digest authentication of REGISTER, end to end through the registrar. */
public class DigestAuthTest {

    private final Harness h = new Harness();

    @Test
    public void firstRegisterIsChallengedWithSha256ThenMd5() {
        SipResponse r = h.respond(h.register("alice", "c1", 1, "Contact: <sip:alice@192.0.2.10:50123;transport=tcp>"));
        assertEquals(401, r.status());
        List<String> ch = r.headers("WWW-Authenticate");
        assertEquals(2, ch.size());
        Map<String, String> first = DigestClient.params(ch.get(0));
        Map<String, String> second = DigestClient.params(ch.get(1));
        assertTrue(ch.get(0).startsWith("Digest "));
        assertEquals("SHA-256", first.get("algorithm"));
        assertEquals("MD5", second.get("algorithm"));
        assertEquals("example.com", first.get("realm"));
        assertEquals("auth", first.get("qop"));
        assertNotNull(first.get("nonce"));
        assertNotNull(first.get("opaque"));
        assertNull(first.get("stale"));
        assertNotNull("401 carries a Date", r.header("Date"));
        assertTrue(r.to().tag() != null);
        assertEquals(0, h.locations.size());
    }

    @Test
    public void sha256RightPasswordRegistersAndSignsTheAnswer() {
        String ch = h.challengeFor("alice", "SHA-256");
        String auth = DigestClient.answer(ch, "alice", "secret", "REGISTER", Harness.RURI, 1, "abc123");
        Fakes.FakeTransaction tx = h.send(h.register("alice", "c1", 2,
                "Contact: <sip:alice@192.0.2.10:50123;transport=tcp>", "Authorization: " + auth));
        SipResponse r = tx.finalResponse();
        assertEquals(200, r.status());
        assertEquals("sip:alice@example.com", tx.attribute(RegistrarApplication.IDENTITY_ATTRIBUTE));
        Map<String, String> info = DigestClient.params(r.header("Authentication-Info"));
        assertEquals(DigestClient.rspauth(ch, "alice", "secret", Harness.RURI, 1, "abc123"), info.get("rspauth"));
        assertEquals("00000001", info.get("nc"));
        List<Binding> b = h.locations.bindings("sip:alice@example.com");
        assertEquals(1, b.size());
        assertEquals("sip:alice@192.0.2.10:50123;transport=tcp", b.get(0).contact());
    }

    @Test
    public void md5RightPasswordRegisters() {
        String ch = h.challengeFor("alice", "MD5");
        String auth = DigestClient.answer(ch, "alice", "secret", "REGISTER", Harness.RURI, 1, "x9");
        SipResponse r = h.respond(h.register("alice", "c1", 2,
                "Contact: <sip:alice@192.0.2.10:50123;transport=tcp>", "Authorization: " + auth));
        assertEquals(200, r.status());
        assertEquals(1, h.locations.size());
    }

    @Test
    public void fullSignInNameAsUsernameIsAccepted() {
        String ch = h.challengeFor("alice", "SHA-256");
        String auth = DigestClient.answer(ch, "alice@example.com", "secret", "REGISTER", Harness.RURI, 1, "x9");
        assertEquals(200, h.respond(h.register("alice", "c1", 2, "Authorization: " + auth)).status());
    }

    @Test
    public void wrongPasswordIsChallengedAgainAndBindsNothing() {
        String ch = h.challengeFor("alice", "SHA-256");
        String auth = DigestClient.answer(ch, "alice", "wrong", "REGISTER", Harness.RURI, 1, "abc");
        SipResponse r = h.respond(h.register("alice", "c1", 2,
                "Contact: <sip:alice@192.0.2.10:50123>", "Authorization: " + auth));
        assertEquals(401, r.status());
        assertEquals(2, r.headers("WWW-Authenticate").size());
        assertNotEquals("a fresh nonce", DigestClient.params(ch).get("nonce"),
                DigestClient.params(r.headers("WWW-Authenticate").get(0)).get("nonce"));
        assertNull(DigestClient.params(r.headers("WWW-Authenticate").get(0)).get("stale"));
        assertEquals(0, h.locations.size());
    }

    @Test
    public void unknownUserAndWrongPasswordLookAlike() {
        String ch1 = h.challengeFor("alice", "SHA-256");
        SipResponse wrongPassword = h.respond(h.register("alice", "c1", 2, "Authorization: "
                + DigestClient.answer(ch1, "alice", "wrong", "REGISTER", Harness.RURI, 1, "abc")));
        int lookupsBefore = h.users.credentialLookups;
        String ch2 = h.challengeFor("mallory", "SHA-256");
        SipResponse unknownUser = h.respond(h.register("mallory", "c2", 2, "Authorization: "
                + DigestClient.answer(ch2, "mallory", "whatever", "REGISTER", Harness.RURI, 1, "abc")));
        assertEquals("the credential was looked up (and hashed) for the unknown user too",
                lookupsBefore + 1, h.users.credentialLookups);
        assertEquals(wrongPassword.status(), unknownUser.status());
        assertEquals(wrongPassword.reason(), unknownUser.reason());
        assertEquals(shape(wrongPassword), shape(unknownUser));
    }

    // header names in order, and per challenge its parameter names
    private static List<Object> shape(SipResponse r) {
        List<Object> out = new ArrayList<>(new TreeSet<>(r.headerNames()));
        for (String c : r.headers("WWW-Authenticate")) {
            out.add(new TreeSet<>(DigestClient.params(c).keySet()));
            out.add(DigestClient.params(c).get("algorithm"));
        }
        return out;
    }

    @Test
    public void increasingNonceCountIsAcceptedAndReplayIsChallenged() {
        String ch = h.challengeFor("alice", "SHA-256");
        String a1 = DigestClient.answer(ch, "alice", "secret", "REGISTER", Harness.RURI, 1, "cn");
        assertEquals(200, h.respond(h.register("alice", "c1", 2, "Authorization: " + a1)).status());
        String a2 = DigestClient.answer(ch, "alice", "secret", "REGISTER", Harness.RURI, 2, "cn");
        assertEquals(200, h.respond(h.register("alice", "c1", 3, "Authorization: " + a2)).status());
        // the same nc again, and a lower one
        SipResponse replay = h.respond(h.register("alice", "c1", 4, "Authorization: " + a2));
        assertEquals(401, replay.status());
        assertNull(DigestClient.params(replay.headers("WWW-Authenticate").get(0)).get("stale"));
        assertEquals(401, h.respond(h.register("alice", "c1", 5, "Authorization: " + a1)).status());
        String a5 = DigestClient.answer(ch, "alice", "secret", "REGISTER", Harness.RURI, 5, "cn");
        assertEquals(200, h.respond(h.register("alice", "c1", 6, "Authorization: " + a5)).status());
    }

    @Test
    public void expiredNonceWithRightPasswordGetsStaleTrue() {
        String ch = h.challengeFor("alice", "SHA-256");
        h.clock.advanceSeconds(301);
        String auth = DigestClient.answer(ch, "alice", "secret", "REGISTER", Harness.RURI, 1, "cn");
        SipResponse r = h.respond(h.register("alice", "c1", 2, "Authorization: " + auth));
        assertEquals(401, r.status());
        for (String c : r.headers("WWW-Authenticate")) {
            assertEquals("true", DigestClient.params(c).get("stale"));
        }
        // the client retries with the new nonce, transparently
        String fresh = Harness.challenge(r, "SHA-256");
        String again = DigestClient.answer(fresh, "alice", "secret", "REGISTER", Harness.RURI, 1, "cn");
        assertEquals(200, h.respond(h.register("alice", "c1", 3, "Authorization: " + again)).status());
    }

    @Test
    public void expiredNonceWithWrongPasswordIsNotStale() {
        String ch = h.challengeFor("alice", "SHA-256");
        h.clock.advanceSeconds(301);
        String auth = DigestClient.answer(ch, "alice", "nope", "REGISTER", Harness.RURI, 1, "cn");
        SipResponse r = h.respond(h.register("alice", "c1", 2, "Authorization: " + auth));
        assertEquals(401, r.status());
        assertNull(DigestClient.params(r.headers("WWW-Authenticate").get(0)).get("stale"));
    }

    @Test
    public void tamperedNonceIsChallengedWithoutStale() {
        String ch = h.challengeFor("alice", "SHA-256");
        String nonce = DigestClient.params(ch).get("nonce");
        char last = nonce.charAt(3);
        String tampered = nonce.substring(0, 3) + (last == 'A' ? 'B' : 'A') + nonce.substring(4);
        String forged = ch.replace(nonce, tampered);
        String auth = DigestClient.answer(forged, "alice", "secret", "REGISTER", Harness.RURI, 1, "cn");
        SipResponse r = h.respond(h.register("alice", "c1", 2, "Authorization: " + auth));
        assertEquals(401, r.status());
        assertNull(DigestClient.params(r.headers("WWW-Authenticate").get(0)).get("stale"));
        assertEquals(0, h.locations.size());
    }

    @Test
    public void nonceOfAnotherRealmIsRefused() {
        h.domains.add("other.org");
        h.users.addUser("sip:carol@other.org", "pw");
        String ch = h.challengeFor("alice", "SHA-256");
        // a valid example.com nonce presented for realm other.org
        String forged = ch.replace("realm=\"example.com\"", "realm=\"other.org\"");
        String auth = DigestClient.answer(forged, "carol", "pw", "REGISTER", "sip:other.org", 1, "cn");
        SipResponse r = h.respond(Harness.parse("REGISTER sip:other.org SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.10;branch=z9hG4bK-x\r\n"
                + "From: <sip:carol@other.org>;tag=1\r\nTo: <sip:carol@other.org>\r\nCall-ID: r1\r\nCSeq: 2 REGISTER\r\n"
                + "Authorization: " + auth + "\r\nContent-Length: 0\r\n\r\n"));
        assertEquals(401, r.status());
        assertEquals("other.org", DigestClient.params(r.headers("WWW-Authenticate").get(0)).get("realm"));
    }

    @Test
    public void clientWithoutQopIsAccepted() {
        String ch = h.challengeFor("alice", "MD5");
        String auth = DigestClient.answerWithoutQop(ch, "alice", "secret", "REGISTER", Harness.RURI);
        SipResponse r = h.respond(h.register("alice", "c1", 2, "Contact: <sip:alice@192.0.2.10>", "Authorization: " + auth));
        assertEquals(200, r.status());
        assertNull("no rspauth without qop", r.header("Authentication-Info"));
        String wrong = DigestClient.answerWithoutQop(ch, "alice", "bad", "REGISTER", Harness.RURI);
        assertEquals(401, h.respond(h.register("alice", "c1", 3, "Authorization: " + wrong)).status());
    }

    @Test
    public void malformedCredentialsGetAFreshChallenge() {
        String ch = h.challengeFor("alice", "SHA-256");
        String good = DigestClient.answer(ch, "alice", "secret", "REGISTER", Harness.RURI, 1, "cn");
        List<String> bad = List.of(
                "Digest username=\"alice, realm=\"example.com\"",                 // unterminated quote
                "Digest username",                                                 // no '='
                "Digest realm=\"example.com\", nonce=\"abc\"",                     // missing fields
                good.replace("qop=auth, nc=00000001", "qop=auth, nc=zz"),          // bad nc
                good.replace("qop=auth", "qop=auth-int"),                          // qop not offered
                good.replace("algorithm=SHA-256", "algorithm=SHA-512"),            // unknown algorithm
                good + ", nonce=\"again\"",                                        // duplicate parameter
                good.replace(DigestClient.params(ch).get("opaque"), "0000"),        // wrong opaque
                "Digest",
                "Digest ,,,",
                "Digest response=\"\\");
        long cseq = 2;
        for (String b : bad) {
            SipResponse r = h.respond(h.register("alice", "c1", cseq++, "Authorization: " + b));
            assertEquals(b, 401, r.status());
            assertEquals(b, 2, r.headers("WWW-Authenticate").size());
        }
        assertEquals(0, h.locations.size());
        assertEquals("the good answer still works", 200,
                h.respond(h.register("alice", "c1", cseq, "Authorization: " + good)).status());
    }

    @Test
    public void digestUriMustMatchTheRequestUri() {
        String ch = h.challengeFor("alice", "SHA-256");
        String elsewhere = DigestClient.answer(ch, "alice", "secret", "REGISTER", "sip:evil.example.net", 1, "cn");
        assertEquals(401, h.respond(h.register("alice", "c1", 2, "Authorization: " + elsewhere)).status());
        // loosely equal: parameters and case of the host do not matter
        String loose = DigestClient.answer(ch, "alice", "secret", "REGISTER", "sip:EXAMPLE.com;transport=tcp", 2, "cn");
        assertEquals(200, h.respond(h.register("alice", "c1", 3, "Authorization: " + loose)).status());
        // the address the request arrived at (the fake flow's local 127.0.0.1:5060) names this server too
        String server = DigestClient.answer(ch, "alice", "secret", "REGISTER", "sip:127.0.0.1:5060", 3, "cn");
        assertEquals(200, h.respond(h.register("alice", "c1", 4, "Authorization: " + server)).status());
        String otherPort = DigestClient.answer(ch, "alice", "secret", "REGISTER", "sip:127.0.0.1:5070", 4, "cn");
        assertEquals(401, h.respond(h.register("alice", "c1", 5, "Authorization: " + otherPort)).status());
        String withUser = DigestClient.answer(ch, "alice", "secret", "REGISTER", "sip:mallory@127.0.0.1:5060", 5, "cn");
        assertEquals(401, h.respond(h.register("alice", "c1", 6, "Authorization: " + withUser)).status());
    }

    @Test
    public void disabledUserIsRefusedAfterAuthentication() {
        h.users.setEnabled("sip:alice@example.com", false);
        SipResponse r = h.registerAs("alice", "secret", "c1", 2, "Contact: <sip:alice@192.0.2.10>");
        assertEquals(403, r.status());
        assertEquals("User disabled", r.reason());
        assertEquals(0, h.locations.size());
    }

    @Test
    public void disabledUserWithWrongPasswordIsOnlyChallenged() {
        h.users.setEnabled("sip:alice@example.com", false);
        assertEquals(401, h.registerAs("alice", "guess", "c1", 2).status());
    }

    @Test
    public void identityMustMatchTheTo() {
        // alice's credentials in a REGISTER for bob's address of record
        String ch = h.challengeFor("bob", "SHA-256");
        String auth = DigestClient.answer(ch, "alice", "secret", "REGISTER", Harness.RURI, 1, "cn");
        SipResponse r = h.respond(h.register("bob", "c1", 2, "Contact: <sip:bob@192.0.2.66>", "Authorization: " + auth));
        assertEquals(403, r.status());
        assertEquals("Authenticated identity does not match To", r.reason());
        assertEquals(0, h.locations.size());
    }

    @Test
    public void unknownAddressOfRecordIsChallengedBeforeItIsNamed() {
        SipResponse first = h.respond(h.register("nobody", "c1", 1, "Contact: <sip:n@192.0.2.66>"));
        assertEquals("no hint that the user does not exist", 401, first.status());
        String ch = Harness.challenge(first, "SHA-256");
        String auth = DigestClient.answer(ch, "alice", "secret", "REGISTER", Harness.RURI, 1, "cn");
        SipResponse r = h.respond(h.register("nobody", "c1", 2, "Contact: <sip:n@192.0.2.66>", "Authorization: " + auth));
        assertEquals(404, r.status());
        assertEquals("User not found", r.reason());
    }

    @Test
    public void retryAfterARegistrarUpdateKeepsNoncesWhenStateIsSaved() throws Exception {
        Path dir = Files.createTempDirectory("digest");
        try {
            DigestScheme before = new DigestScheme();
            before.userStore = h.users;
            before.clock = h.clock;
            before.start(Fakes.config(), dir);
            h.authenticator.removeScheme(h.digest);
            h.authenticator.addScheme(before, Map.of("service.id", 2L));
            String ch = h.challengeFor("alice", "SHA-256");
            assertEquals(200, h.respond(h.register("alice", "c1", 2, "Authorization: "
                    + DigestClient.answer(ch, "alice", "secret", "REGISTER", Harness.RURI, 1, "cn"))).status());
            before.deactivate();
            h.authenticator.removeScheme(before);

            DigestScheme after = new DigestScheme();
            after.userStore = h.users;
            after.clock = h.clock;
            after.start(Fakes.config(), dir);
            h.authenticator.addScheme(after, Map.of("service.id", 3L));
            assertEquals("nonce of the old instance still valid", 200, h.respond(h.register("alice", "c1", 3,
                    "Authorization: " + DigestClient.answer(ch, "alice", "secret", "REGISTER", Harness.RURI, 2, "cn"))).status());
            assertEquals("replay protection carried over", 401, h.respond(h.register("alice", "c1", 4,
                    "Authorization: " + DigestClient.answer(ch, "alice", "secret", "REGISTER", Harness.RURI, 1, "cn"))).status());
            assertFalse("state file consumed", Files.exists(dir.resolve(NonceFiles.STATE)));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    public void afterACrashOldNoncesAreStaleNotReplayable() throws Exception {
        Path dir = Files.createTempDirectory("digest");
        try {
            DigestScheme before = new DigestScheme();
            before.userStore = h.users;
            before.clock = h.clock;
            before.start(Fakes.config(), dir);
            h.authenticator.removeScheme(h.digest);
            h.authenticator.addScheme(before, Map.of("service.id", 2L));
            String ch = h.challengeFor("alice", "SHA-256");
            String a1 = DigestClient.answer(ch, "alice", "secret", "REGISTER", Harness.RURI, 1, "cn");
            assertEquals(200, h.respond(h.register("alice", "c1", 2, "Authorization: " + a1)).status());
            h.authenticator.removeScheme(before);     // no deactivate: the JVM died

            h.clock.advanceSeconds(1);
            DigestScheme after = new DigestScheme();
            after.userStore = h.users;
            after.clock = h.clock;
            after.start(Fakes.config(), dir);
            h.authenticator.addScheme(after, Map.of("service.id", 3L));
            SipResponse r = h.respond(h.register("alice", "c9", 1, "Authorization: " + a1));
            assertEquals(401, r.status());
            assertEquals("true", DigestClient.params(r.headers("WWW-Authenticate").get(0)).get("stale"));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    public void configuredAlgorithmsAreTheOnlyOnesOfferedAndAccepted() {
        Harness md5Only = new Harness(Map.of("digest.algorithms", new String[] {"MD5"}));
        SipResponse r = md5Only.respond(md5Only.register("alice", "c1", 1, "Contact: <sip:alice@192.0.2.10:50123>"));
        List<String> ch = r.headers("WWW-Authenticate");
        assertEquals(1, ch.size());
        assertEquals("MD5", DigestClient.params(ch.get(0)).get("algorithm"));
        // An answer with an algorithm not offered is challenged again, even with the right password.
        String sha = ch.get(0).replace("algorithm=MD5", "algorithm=SHA-256");
        String auth = DigestClient.answer(sha, "alice", "secret", "REGISTER", Harness.RURI, 1, "q1");
        assertEquals(401, md5Only.respond(md5Only.register("alice", "c1", 2,
                "Contact: <sip:alice@192.0.2.10:50123>", "Authorization: " + auth)).status());
        auth = DigestClient.answer(ch.get(0), "alice", "secret", "REGISTER", Harness.RURI, 1, "q2");
        assertEquals(200, md5Only.respond(md5Only.register("alice", "c1", 3,
                "Contact: <sip:alice@192.0.2.10:50123>", "Authorization: " + auth)).status());
        assertEquals(List.of("MD5", "SHA-256"), DigestScheme.offeredAlgorithms(new String[] {"md5, SHA-256", "bogus"}));
        assertEquals(List.of("SHA-256", "MD5"), DigestScheme.offeredAlgorithms(new String[] {"bogus"}));
    }
}
