package org.confab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The Standard Edition distribution end to end: provision through the shell, register over TCP
 * and UDP with real sockets, exchange MESSAGEs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StandardEditionTest extends ConfabPaxExamSupport {

    @Configuration
    public Option[] config() {
        return confabDistribution();
    }

    @Test
    public void provisionRegisterAndMessage() throws Exception {
        execute("confab:domain-add example.com");
        execute("confab:user-enable --display-name Alice --password Wonder-Land-7 sip:alice@example.com");
        execute("confab:user-enable --password Build-Er-42x bob@example.com");
        String users = execute("confab:user-list");
        assertTrue(users, users.contains("sip:alice@example.com") && users.contains("sip:bob@example.com"));

        // Bad input is refused with a reason and changes nothing.
        assertTrue(executeFailing("confab:user-enable --password Christmas-C4rol sip:carol@unserved.org").contains("not served"));
        assertTrue(executeFailing("confab:user-enable --password Wonder-Land-7 sip:alice@example.com").contains("already"));
        assertTrue(executeFailing("confab:user-enable 'sip:bad user@example.com'").length() > 0);
        assertTrue(executeFailing("confab:user-password sip:alice@example.com abc").length() > 0);
        assertFalse(execute("confab:user-list").contains("carol"));

        int port = sipPort();
        try (SipTestUser alice = new SipTestUser("alice", "example.com", "Wonder-Land-7", "TCP", "127.0.0.1", port);
             SipTestUser bob = new SipTestUser("bob", "example.com", "Build-Er-42x", "UDP", "127.0.0.1", port)) {
            assertEquals(200, alice.register(600).status());
            assertEquals(200, bob.register(600).status());

            String endpoints = execute("confab:endpoints");
            assertTrue(endpoints, endpoints.contains("sip:alice@example.com") && endpoints.contains("sip:bob@example.com"));

            SipResponse r = alice.message("bob", "hello bob");
            assertNotNull("no answer to MESSAGE", r);
            assertEquals(200, r.status());
            SipRequest got = bob.awaitMessage(5, TimeUnit.SECONDS);
            assertNotNull("bob got nothing", got);
            assertEquals("hello bob", new String(got.body(), StandardCharsets.UTF_8));
            assertEquals("sip:alice@example.com", ((org.confab.sip.message.SipUri) got.from().uri()).aor());

            r = bob.message("alice", "hi alice");
            assertEquals(200, r.status());
            assertEquals("hi alice", new String(alice.awaitMessage(5, TimeUnit.SECONDS).body(), StandardCharsets.UTF_8));

            assertEquals(404, alice.message("nobody", "x").status());
            try (SipTestUser mallory = new SipTestUser("alice", "example.com", "wrong-password", "UDP", "127.0.0.1", port)) {
                assertEquals(401, mallory.register(600).status());
            }
            execute("confab:user-disable sip:bob@example.com");
            int status = alice.message("bob", "are you there").status();
            assertTrue("disabled user reachable: " + status, status == 404 || status == 480 || status == 403);
        }
    }
}
