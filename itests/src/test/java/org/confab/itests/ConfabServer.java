package org.confab.itests;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The assembled distribution run as an operator runs it: unpacked into a folder, started with
 * {@code bin/karaf server} in its own JVM, administered with {@code bin/client} over SSH. Ports
 * are free ones on loopback. Only the process this class started is ever stopped.
 */
public final class ConfabServer implements AutoCloseable {

    private final Path home;
    private final int sipPort;
    private final int sshPort;
    private final String adminPassword = "Itest-Admin-Pw-9";
    private Process process;

    private ConfabServer(Path home, int sipPort, int sshPort) {
        this.home = home;
        this.sipPort = sipPort;
        this.sshPort = sshPort;
    }

    /** Unpacks a fresh copy of the distribution into target/systest/{name}. */
    public static ConfabServer unpack(String name) throws Exception {
        File dist = new File(System.getProperty("confab.dist"));
        if (!dist.isFile()) {
            throw new IllegalStateException("Distribution not built: " + dist);
        }
        Path base = Path.of(System.getProperty("project.build.directory", "target"), "systest", name);
        if (Files.exists(base)) {
            run(List.of("rm", "-rf", base.toString()), 60);
        }
        Files.createDirectories(base);
        run(List.of("tar", "-xzf", dist.getAbsolutePath(), "-C", base.toString(), "--strip-components=1"), 120);
        ConfabServer s = new ConfabServer(base, freePort(), freePort());
        s.configure();
        return s;
    }

    private void configure() throws IOException {
        for (String t : List.of("udp", "tcp")) {
            Path cfg = home.resolve("etc/org.confab.sip.transport.listener-" + t + ".cfg");
            String text = Files.readString(cfg).replaceAll("(?m)^port\\s*=.*$", "port = " + sipPort)
                    .replaceAll("(?m)^host\\s*=.*$", "host = 127.0.0.1");
            Files.writeString(cfg, text);
        }
        Path shell = home.resolve("etc/org.apache.karaf.shell.cfg");
        Files.writeString(shell, Files.readString(shell).replaceAll("(?m)^sshPort\\s*=.*$", "sshPort = " + sshPort));
        Path users = home.resolve("etc/users.properties");
        Files.writeString(users, Files.readString(users) + "\nadmin = " + adminPassword + ",_g_:admingroup\n");
    }

    /** Sets one key of a configuration file in etc/ (before start, or live: Karaf watches etc/). */
    public void configure(String pid, String key, String value) throws IOException {
        Path cfg = home.resolve("etc/" + pid + ".cfg");
        String text = Files.exists(cfg) ? Files.readString(cfg) : "";
        String line = key + " = " + value;
        String pattern = "(?m)^#?\\s*" + java.util.regex.Pattern.quote(key) + "\\s*=.*$";
        text = java.util.regex.Pattern.compile(pattern).matcher(text).find()
                ? text.replaceFirst(pattern, java.util.regex.Matcher.quoteReplacement(line)) : text + "\n" + line + "\n";
        Files.writeString(cfg, text);
    }

    public Path home() {
        return home;
    }

    public int sipPort() {
        return sipPort;
    }

    /**
     * Starts the server and waits until it answers SIP OPTIONS and the shell accepts commands.
     *
     * <p>One launch in CI (2026-12-02) stayed alive 120 s without writing a single line to
     * karaf.log: stuck in the JVM or Karaf's launcher before its file lock, before any Confab code.
     * Not reproduced here. Such a launch is dumped (threads of every JVM in its tree, printed with
     * the marker {@code LAUNCH-HANG}), stopped and launched once more; a server that logged and
     * still did not come up fails at once.
     */
    public void start() throws Exception {
        long logBefore = Files.exists(home.resolve("data/log/karaf.log")) ? Files.size(home.resolve("data/log/karaf.log")) : 0;
        try {
            launch();
        } catch (LaunchTimeout e) {
            long logAfter = Files.exists(home.resolve("data/log/karaf.log")) ? Files.size(home.resolve("data/log/karaf.log")) : 0;
            System.out.println("LAUNCH-HANG: " + e.getMessage() + "; karaf.log grew by " + (logAfter - logBefore)
                    + " bytes; threads:\n" + threadDumps());
            stop();
            if (logAfter != logBefore) {
                throw e; // the launcher got through: whatever stopped the server is ours to see
            }
            System.out.println("LAUNCH-HANG: the launcher wrote nothing; launching once more");
            launch();
        }
    }

    /** Not up within the deadline. */
    static final class LaunchTimeout extends IllegalStateException {
        LaunchTimeout(String message) {
            super(message);
        }
    }

    private String threadDumps() throws InterruptedException {
        StringBuilder out = new StringBuilder();
        if (process == null) {
            return "(no process)";
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        for (ProcessHandle h : tree) {
            out.append("--- pid ").append(h.pid()).append(' ').append(h.info().commandLine().orElse("?")).append('\n');
            if (h.info().command().orElse("").endsWith("java")) {
                try {
                    Process jcmd = new ProcessBuilder("jcmd", Long.toString(h.pid()), "Thread.print").redirectErrorStream(true).start();
                    if (jcmd.waitFor(30, TimeUnit.SECONDS)) {
                        out.append(new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                    } else {
                        jcmd.destroyForcibly();
                        out.append("(jcmd did not answer in 30 s)\n");
                    }
                } catch (IOException e) {
                    out.append("(jcmd: ").append(e.getMessage()).append(")\n");
                }
            }
        }
        return out.toString();
    }

    private void launch() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server");
        pb.directory(home.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(home.resolve("console.log").toFile());
        pb.environment().put("JAVA_MAX_MEM", "1024m");
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Confab exited with " + process.exitValue() + "; see " + home.resolve("console.log"));
            }
            if (answersSip() && shellReady()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new LaunchTimeout("Confab did not come up within 120 s; see " + home.resolve("data/log/karaf.log"));
    }

    private boolean answersSip() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(300);
            String m = "OPTIONS sip:127.0.0.1:" + sipPort + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort()
                    + ";branch=z9hG4bKprobe" + System.nanoTime() + "\r\nFrom: <sip:probe@127.0.0.1>;tag=p\r\n"
                    + "To: <sip:127.0.0.1>\r\nCall-ID: probe" + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\n"
                    + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            byte[] b = m.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, new InetSocketAddress("127.0.0.1", sipPort)));
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            s.receive(p);
            return new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII).startsWith("SIP/2.0 ");
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean shellReady() {
        try (Socket s = new Socket("127.0.0.1", sshPort)) {
            return command("confab:domain-list").exit == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** Result of a shell command run through bin/client. */
    public record Result(int exit, String output) {
    }

    /** Runs one shell command with bin/client, as a script would. */
    public Result command(String command) throws Exception {
        // Batch mode with the command on stdin: with stdin at EOF the client would close at once.
        List<String> cmd = List.of(home.resolve("bin/client").toString(), "-h", "127.0.0.1", "-a", Integer.toString(sshPort),
                "-u", "admin", "-p", adminPassword, "-r", "2", "-d", "1", "-b");
        return run(cmd, command + "\n", 60);
    }

    /** Runs a command that must succeed and returns its output. */
    public String admin(String command) throws Exception {
        Result r = command(command);
        if (r.exit != 0) {
            throw new AssertionError("'" + command + "' failed (" + r.exit + "): " + r.output);
        }
        return r.output;
    }

    /**
     * Stops the server gracefully and waits: SIGTERM to the JVM (bin/karaf runs it as a child, so
     * the whole process tree is signalled), whose shutdown hook stops every bundle.
     */
    public void stop() throws InterruptedException {
        if (process != null) {
            List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
            tree.add(process.toHandle());
            tree.forEach(ProcessHandle::destroy);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (ProcessHandle h : tree) {
                while (h.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                if (h.isAlive()) {
                    h.destroyForcibly();
                }
            }
        }
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** Ports handed out by this JVM: the kernel may offer a port again as soon as its probe socket closes. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A loopback port free for TCP and UDP now and never returned before by this JVM, so that two ports
     * asked for one server (SIP and SSH) differ.
     */
    static int freePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket s = new ServerSocket(0);
                 java.net.DatagramSocket u = new java.net.DatagramSocket(s.getLocalPort())) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                // taken for UDP: try another
            }
        }
        throw new IllegalStateException("No free port found in 50 attempts");
    }

    static Result run(List<String> cmd, int timeoutSeconds) throws Exception {
        return run(cmd, "", timeoutSeconds);
    }

    static Result run(List<String> cmd, String input, int timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out;
        try {
            out = p.getInputStream().readAllBytes();
        } finally {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + cmd);
            }
        }
        // Karaf colours its error messages: strip ANSI escapes for readable assertions.
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;]*m", ""));
    }
}
