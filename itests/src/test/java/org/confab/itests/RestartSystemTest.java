package org.confab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.confab.sip.message.SipRequest;
import org.junit.Test;

/**
 * The whole server stops and starts again (its own JVM, as an operator runs it): bindings that
 * have not expired are still there, and a registered UDP user is reachable without registering
 * again. Also checks the operator's path: bin/client runs confab commands and fails with a
 * non-zero status on bad input.
 */
public class RestartSystemTest {

    @Test
    public void bindingsSurviveRestart() throws Exception {
        try (ConfabServer server = ConfabServer.unpack("restart")) {
            server.start();
            server.admin("confab:domain-add example.com");
            server.admin("confab:user-enable --password Wonder-Land-7 sip:alice@example.com");
            server.admin("confab:user-enable --password Build-Er-42x sip:bob@example.com");

            ConfabServer.Result bad = server.command("confab:user-enable --password Even-Ing-333 sip:eve@nowhere.example");
            assertTrue("bad input must fail: " + bad, bad.exit() != 0);
            assertTrue(bad.output(), bad.output().contains("not served"));
            assertFalse(server.admin("confab:user-list").contains("eve"));

            try (SipTestUser alice = new SipTestUser("alice", "example.com", "Wonder-Land-7", "UDP", "127.0.0.1", server.sipPort())) {
                assertEquals(200, alice.register(600).status());
                assertTrue(server.admin("confab:endpoints").contains("sip:alice@example.com"));

                server.stop();
                server.start();

                String endpoints = server.admin("confab:endpoints");
                assertTrue("binding lost across restart:\n" + endpoints, endpoints.contains("sip:alice@example.com"));
                try (SipTestUser bob = new SipTestUser("bob", "example.com", "Build-Er-42x", "TCP", "127.0.0.1", server.sipPort())) {
                    assertEquals(200, bob.message("alice", "still there?").status());
                    SipRequest got = alice.awaitMessage(5, TimeUnit.SECONDS);
                    assertNotNull("alice unreachable after restart", got);
                    assertEquals("still there?", new String(got.body(), StandardCharsets.UTF_8));
                }
            }
        }
    }
}
