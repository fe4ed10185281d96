package org.confab.itests;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Assume;

/**
 * baresip, the SIP client of Debian's {@code baresip-core}, run as a separate process for a system
 * test: one account, one contact watched with {@code ;presence=p2p}, its own configuration folder
 * (no audio, no video: only the modules presence needs) and the {@code ctrl_tcp} control socket on
 * loopback, through which the test types the commands a user would. Only the process this class
 * started is ever stopped.
 *
 * <p>The {@code presence} module is not in the configuration: {@link #loadPresence()} loads it once
 * the account is registered. Loaded at start, baresip 1.0.0 sends its first PUBLISH at once and a
 * second one (no SIP-If-Match) on its REGISTER's 200; when that 200 comes before the first PUBLISH's
 * 200, the user has two publications and baresip remembers only one entity tag, so a later
 * {@code presence_offline} changes one of them and the user still shows online.
 */
final class BaresipClient implements AutoCloseable {

    /** What the presence module of baresip 1.0.0 needs: accounts, contacts, commands, control. */
    private static final List<String> MODULES = List.of("account.so", "contact.so", "menu.so", "presence.so",
            "ctrl_tcp.so");
    private static final List<String> MODULE_DIRS = List.of("/usr/lib/baresip/modules",
            "/usr/lib/x86_64-linux-gnu/baresip/modules", "/usr/local/lib/baresip/modules");
    private static final Pattern STATUS = Pattern.compile("\\b(Unknown|Online|Offline|Busy)\\b");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");

    private final Process process;
    private final Path dir;
    private final String aor;
    private final int controlPort;
    private Socket control;
    private int tokens;

    private BaresipClient(Process process, Path dir, String aor, int controlPort) {
        this.process = process;
        this.dir = dir;
        this.aor = aor;
        this.controlPort = controlPort;
    }

    /**
     * The folder holding baresip's modules; like {@link SystemTools#require}, skips the test (or
     * fails it with CI=true) when the modules this client loads are not installed.
     */
    static String requireModules() {
        for (String d : MODULE_DIRS) {
            if (MODULES.stream().allMatch(m -> new File(d, m).isFile())) {
                return d;
            }
        }
        String reason = "baresip modules " + MODULES + " not found in " + MODULE_DIRS
                + " (Debian package baresip-core)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true and " + reason + ": a skipped system test is a failure");
        }
        System.out.println("SKIPPED: " + reason);
        Assume.assumeTrue(reason, false);
        return null;
    }

    /**
     * Writes a configuration folder for {@code user@domain} signing in over {@code transport}
     * (udp or tcp) through the server at 127.0.0.1:{@code serverPort}, watching {@code peer}'s
     * presence, and starts baresip on it (SIP trace to {@code baresip.log}).
     */
    static BaresipClient start(String binary, String moduleDir, Path dir, String user, String domain, String password,
                               String transport, int serverPort, String peer) throws Exception {
        Files.createDirectories(dir);
        int sipPort = freePortPair();
        int controlPort;
        do {
            controlPort = ConfabServer.freePort();
        } while (controlPort == sipPort || controlPort == sipPort + 1);
        // baresip listens for SIP on sip_listen over UDP and TCP, and for SIP over TLS on the next port.
        Files.writeString(dir.resolve("config"), String.join("\n",
                "poll_method\tepoll",
                "sip_listen\t127.0.0.1:" + sipPort,
                "module_path\t" + moduleDir,
                "module_tmp\taccount.so",
                "module_app\tcontact.so",
                "module_app\tmenu.so",
                "module_app\tctrl_tcp.so",
                "ctrl_tcp_listen\t127.0.0.1:" + controlPort,
                ""));
        // pubint turns publishing on (baresip's default is 0: no PUBLISH); outbound is the route to the server.
        Files.writeString(dir.resolve("accounts"), "<sip:" + user + "@" + domain + ";transport=" + transport + ">"
                + ";auth_pass=" + password
                + ";outbound=\"sip:127.0.0.1:" + serverPort + ";transport=" + transport + "\""
                + ";regint=600;pubint=600\n");
        Files.writeString(dir.resolve("contacts"), "\"" + displayName(peer) + "\" <sip:" + peer + "@" + domain
                + ">;presence=p2p\n");
        ProcessBuilder pb = new ProcessBuilder(binary, "-f", dir.toString(), "-s").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("baresip.log").toFile());
        BaresipClient c = new BaresipClient(pb.start(), dir, "sip:" + user + "@" + domain, controlPort);
        try {
            c.connect(15);
        } catch (Exception e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static String displayName(String user) {
        return Character.toUpperCase(user.charAt(0)) + user.substring(1);
    }

    /** A port free on UDP and TCP whose successor is free on TCP (baresip's TLS listener). */
    private static int freePortPair() {
        for (int i = 0; i < 50; i++) {
            int p = ConfabServer.freePort();
            if (p < 65535 && free(p) && free(p + 1)) {
                return p;
            }
        }
        throw new IllegalStateException("no two adjacent free ports on 127.0.0.1 in 50 tries");
    }

    private static boolean free(int port) {
        try (ServerSocket t = new ServerSocket();
             DatagramSocket u = new DatagramSocket(null)) {
            t.bind(new InetSocketAddress("127.0.0.1", port));
            u.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void connect(int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("baresip exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", controlPort), 1000);
                control = s;
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("baresip's ctrl_tcp did not open 127.0.0.1:" + controlPort + " within "
                + seconds + " s (" + last + "):\n" + log());
    }

    /**
     * Runs a command as the user would type it (without the slash), e.g. {@code contacts},
     * {@code presence_offline}; returns its output without terminal colours.
     */
    String command(String command) throws Exception {
        return command(command, "");
    }

    /** Runs a command with a parameter (plain word: it is not escaped for JSON). */
    String command(String command, String params) throws Exception {
        String token = "t" + (++tokens);
        // ctrl_tcp speaks JSON in netstrings: "<length>:<json>," both ways; events come in between.
        byte[] json = ("{\"command\":\"" + command + "\",\"params\":\"" + params + "\",\"token\":\"" + token
                + "\"}").getBytes(StandardCharsets.UTF_8);
        OutputStream out = control.getOutputStream();
        out.write((json.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.write(json);
        out.write(',');
        out.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new IllegalStateException("baresip did not answer '" + command + "' within 5 s:\n" + log());
            }
            control.setSoTimeout((int) left);
            String reply;
            try {
                reply = readNetstring(control.getInputStream());
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (reply.contains("\"response\":true") && reply.contains("\"token\":\"" + token + "\"")) {
                String data = jsonString(reply, "data");
                if (!reply.contains("\"ok\":true")) {
                    throw new IllegalStateException("baresip refused '" + command + "': " + data);
                }
                return data == null ? "" : ANSI.matcher(data).replaceAll("");
            }
        }
    }

    /** Loads the presence module (publisher, contact subscriber) into the running client. */
    void loadPresence() throws Exception {
        String out = command("insmod", "presence");
        if (!out.contains("loaded")) {
            throw new IllegalStateException("insmod presence: " + out + "\n" + log());
        }
    }

    /** True once baresip's own registration list shows the account registered (200 OK). */
    boolean registered() throws Exception {
        for (String line : command("reginfo").split("\n")) {
            if (line.contains(aor) && line.matches(".*\\sOK\\s.*")) {
                return true;
            }
        }
        return false;
    }

    /** The presence baresip shows for a contact (Unknown, Online, Offline or Busy); null if not listed. */
    String contactStatus(String contactAor) throws Exception {
        for (String line : command("contacts").split("\n")) {
            if (line.contains("<" + contactAor + ">")) {
                Matcher m = STATUS.matcher(line);
                return m.find() ? m.group(1) : line.trim();
            }
        }
        return null;
    }

    /** The last part of baresip's output (its log and SIP trace), for failure messages. */
    String log() {
        try {
            String s = Files.readString(dir.resolve("baresip.log"), StandardCharsets.UTF_8);
            s = ANSI.matcher(s).replaceAll("");
            return s.length() > 8000 ? "..." + s.substring(s.length() - 8000) : s;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Quits as a user closing the client would (SIGTERM: baresip unregisters, then exits); after
     * 10 s it is killed. Returns whether it had exited by itself.
     */
    boolean stop() throws InterruptedException {
        if (control != null) {
            try {
                control.close();
            } catch (IOException ignored) {
                // closing only
            }
        }
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        if (process.waitFor(10, TimeUnit.SECONDS)) {
            return true;
        }
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static String readNetstring(InputStream in) throws IOException {
        int len = 0;
        int c;
        int digits = 0;
        while ((c = in.read()) != ':') {
            if (c < '0' || c > '9' || ++digits > 7) {
                throw new IOException("not a netstring from ctrl_tcp (read " + c + ")");
            }
            len = len * 10 + (c - '0');
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(len);
        b.write(in.readNBytes(len));
        if (b.size() != len || in.read() != ',') {
            throw new IOException("truncated netstring from ctrl_tcp");
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** The value of a string member of a flat JSON object; enough for ctrl_tcp's replies. */
    private static String jsonString(String json, String key) {
        String start = "\"" + key + "\":\"";
        int i = json.indexOf(start);
        if (i < 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int j = i + start.length(); j < json.length(); j++) {
            char c = json.charAt(j);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\' && j + 1 < json.length()) {
                char e = json.charAt(++j);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(json.substring(j + 1, j + 5), 16));
                        j += 4;
                    }
                    default -> sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
        return null;
    }
}
