package org.confab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * SIPp, a real SIP peer, against the started distribution: bob registers with digest (401) and
 * is then served by a SIPp UAS on the same address; alice registers and sends a MESSAGE (407
 * digest) that the UAS must receive and answer. Over UDP and over TCP.
 */
public class SippSystemTest {

    private static ConfabServer server;
    private static String sipp;

    @BeforeClass
    public static void startServer() throws Exception {
        sipp = SystemTools.require("sipp", "sip-tester");
        server = ConfabServer.unpack("sipp");
        // SIPp 3.6 answers only the first challenge and knows only MD5: offer MD5 alone, as an
        // operator with such older phones would.
        server.configure("org.confab.registrar", "digest.algorithms", "MD5");
        server.start();
        server.admin("confab:domain-add example.com");
        for (String u : List.of("alice", "bob", "carol", "dave")) {
            server.admin("confab:user-enable --password " + pw(u) + " sip:" + u + "@example.com");
        }
    }

    @AfterClass
    public static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String pw(String user) {
        return "Green-Tea-2026";
    }

    @Test
    public void registerAndMessageOverUdp() throws Exception {
        registerAndMessage("u1", "alice", "bob");
    }

    @Test
    public void registerAndMessageOverTcp() throws Exception {
        registerAndMessage("t1", "carol", "dave");
    }

    private void registerAndMessage(String transport, String from, String to) throws Exception {
        Path dir = Files.createDirectories(server.home().resolve("sipp-" + transport));
        String scenarios = new File(getClass().getResource("/sipp/register.xml").toURI()).getParent();
        int uasPort = ConfabServer.freePort();

        // The UAS's address is registered first: the REGISTER's Contact names the port the UAS then
        // listens on (over TCP the registering connection closes, so the contact address is used).
        Sipp reg = sipp(dir, "reg", transport, to, null, scenarios + "/register.xml", uasPort);
        assertEquals("SIPp REGISTER as " + to + " failed: " + reg.log(), 0, reg.waitFor());
        Sipp uas = sipp(dir, "uas", transport, to, null, scenarios + "/answer-message.xml", uasPort);
        Thread.sleep(500);
        Sipp uac = sipp(dir, "uac", transport, from, to, scenarios + "/register-message.xml", ConfabServer.freePort());
        assertEquals("SIPp REGISTER+MESSAGE as " + from + " failed: " + uac.log(), 0, uac.waitFor());
        assertEquals("SIPp UAS did not get the MESSAGE: " + uas.log(), 0, uas.waitFor());
        assertTrue(server.admin("confab:endpoints").contains("sip:" + from + "@example.com"));
    }

    private Sipp sipp(Path dir, String name, String transport, String user, String peer, String scenario,
                      int localPort) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(sipp, "127.0.0.1:" + server.sipPort(),
                "-sf", scenario, "-t", transport, "-i", "127.0.0.1", "-p", Integer.toString(localPort),
                "-m", "1", "-nostdin", "-timeout", "30s", "-timeout_error",
                "-trace_err", "-trace_msg", "-au", user, "-ap", pw(user),
                "-set", "user", user, "-set", "domain", "example.com"));
        if (peer != null) {
            cmd.addAll(List.of("-set", "peer", peer));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile());
        return new Sipp(pb.start(), dir, name);
    }

    private record Sipp(Process process, Path dir, String name) {
        int waitFor() throws Exception {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        }

        String log() throws Exception {
            StringBuilder sb = new StringBuilder();
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    sb.append("\n--- ").append(p.getFileName()).append('\n');
                    String s = Files.readString(p);
                    sb.append(s.length() > 4000 ? s.substring(s.length() - 4000) : s);
                }
            }
            return sb.toString();
        }
    }
}
