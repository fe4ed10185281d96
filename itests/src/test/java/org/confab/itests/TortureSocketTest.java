package org.confab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * RFC 4475 §3.1.2 invalid messages sent to the running server over UDP and over TCP: each gets the status the
 * RFC asks for, and a valid OPTIONS afterwards on the same transport is still answered 200. The messages are the
 * RFC's except the Via, rewritten to point at the test's socket on 127.0.0.3 (the originals name hosts such as
 * 192.0.2.5 and the server must send nothing off the loopback); the error each one tests is elsewhere.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TortureSocketTest extends ConfabPaxExamSupport {

    private static final String SOURCE = "127.0.0.3";
    private static final String VIA = "@VIA@";

    /** name -> message; {@value #VIA} stands for the sent-by and branch of the test's socket. */
    private static final Map<String, String> INVALID = new LinkedHashMap<>();
    private static final Map<String, Integer> EXPECTED = new LinkedHashMap<>();

    static {
        // §3.1.2.17 badvers: SIP/7.0 -> 505
        put("badvers", 505, "OPTIONS sip:t.watson@example.org SIP/7.0\r\n"
                + "Via:     SIP/7.0/@T@ " + VIA + "\r\n"
                + "Max-Forwards:     70\r\n"
                + "From:    A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe\r\n"
                + "To:      T. Watson <sip:t.watson@example.org>\r\n"
                + "Call-ID: badvers.31417@c.example.com\r\n"
                + "CSeq:    1 OPTIONS\r\n"
                + "l: 0\r\n\r\n");
        // §3.1.2.15 mismatch01: CSeq method differs from the request method -> 400
        put("mismatch01", 400, "OPTIONS sip:user@example.com SIP/2.0\r\n"
                + "To: sip:j.user@example.com\r\n"
                + "From: sip:caller@example.net;tag=34525\r\n"
                + "Max-Forwards: 6\r\n"
                + "Call-ID: mismatch01.dj0234sxdfl3\r\n"
                + "CSeq: 8 INVITE\r\n"
                + "Via: SIP/2.0/@T@ " + VIA + "\r\n"
                + "l: 0\r\n\r\n");
        // §3.1.2.4 scalar02: CSeq and Max-Forwards out of range -> 400
        put("scalar02", 400, "REGISTER sip:example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/@T@ " + VIA + "\r\n"
                + "To: <sip:user@example.com>\r\n"
                + "From: <sip:user@example.com>;tag=239232jh3\r\n"
                + "CSeq: 36893488147419103232 REGISTER\r\n"
                + "Call-ID: scalar02.23o0pd9vanlq3wnrlnewofjas9ui32\r\n"
                + "Max-Forwards: 300\r\n"
                + "Expires: 1" + "0".repeat(200) + "\r\n"
                + "Contact: <sip:user@host129.example.com>\r\n"
                + "  ;expires=280297596632815\r\n"
                + "Content-Length: 0\r\n\r\n");
        // §3.1.2.11 badaspec: whitespace inside the <> of an addr-spec -> 400
        put("badaspec", 400, "OPTIONS sip:user@example.org SIP/2.0\r\n"
                + "Via: SIP/2.0/@T@ " + VIA + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"Bell, Alexander\" <sip:a.g.bell@example.com>;tag=433423\r\n"
                + "To: \"Watson, Thomas\" < sip:t.watson@example.org >\r\n"
                + "Call-ID: badaspec.sdf0234n2nds0a099u23h3hnnw009cdkne3\r\n"
                + "Accept: application/sdp\r\n"
                + "CSeq: 3923239 OPTIONS\r\n"
                + "l: 0\r\n\r\n");
    }

    private static void put(String name, int status, String message) {
        INVALID.put(name, message);
        EXPECTED.put(name, status);
    }

    /** System property (set in the container) naming the sip-message test resources holding the RFC files. */
    private static final String RESOURCES_PROPERTY = "confab.test.torture.dir";

    /** Verdict for "a normal answer": any final response except 400 and 5xx (the server did not choke). */
    private static final int SERVED = 0;
    /** Verdict for "dropped": no final response within {@link #DROP_WAIT_MS} (responses and unanswerable input). */
    private static final int DROPPED = -1;
    private static final int DROP_WAIT_MS = 1_500;

    /** RFC file name -> allowed verdicts (status codes, {@link #SERVED} or {@link #DROPPED}); over UDP and TCP. */
    private static final Map<String, int[]> RFC_VERDICTS = new LinkedHashMap<>();
    /** Over TCP a Content-Length beyond the bytes sent makes the server wait for the rest (RFC 4475 §3.1.2.2). */
    private static final Map<String, int[]> TCP_OVERRIDES = new LinkedHashMap<>();

    static {
        // RFC 4475 §3.1.1 valid messages: parsed and answered normally (404/403/405/416... as the proxy rules say)
        for (String n : new String[] {"wsinv", "intmeth", "esc01", "escnull", "esc02", "lwsdisp", "longreq", "dblreq",
                "semiuri", "transports", "mpart01"}) {
            verdict(n, SERVED);
        }
        // §3.1.1.12/13 unreason, noreason and §3.1.2.5/18, §3.3.10 are responses matching no transaction: dropped
        for (String n : new String[] {"unreason", "noreason", "scalarlg", "bigcode", "bcast"}) {
            verdict(n, DROPPED);
        }
        // §3.1.2 invalid requests: 400 (505 for the unknown version)
        for (String n : new String[] {"badinv01", "clerr", "ncl", "scalar02", "quotbal", "ltgtruri", "lwsruri",
                "lwsstart", "trws", "escruri", "badaspec", "baddn", "mismatch01", "mismatch02"}) {
            verdict(n, 400);
        }
        // §3.1.2.17 a REGISTER whose Contact is malformed: the registrar authenticates (RFC 3261 §10.3 step 4)
        // before it reads the Contacts (step 7), so an unauthenticated one is challenged first
        verdict("regbadct", 400, 401);
        TCP_OVERRIDES.put("clerr", new int[] {400, DROPPED});
        verdict("badvers", 505);
        verdict("baddate", SERVED);     // §3.1.2.12 a robust element may ignore the Date
        verdict("badbranch", SERVED);   // §3.1.2.16 a branch of just the cookie is accepted
        // §3.3 transaction layer and application semantics
        verdict("insuf", 400);          // §3.3.1 missing To, From, Call-ID
        verdict("unksm", 416);          // §3.3.2
        verdict("novelsc", 416);        // §3.3.3
        verdict("unksm2", SERVED);      // §3.3.4 REGISTER with a Contact of unknown scheme
        verdict("bext01", 420);         // §3.3.5
        verdict("invut", SERVED);       // §3.3.6 415 is the UAS's business; the proxy routes (404 here)
        verdict("regaut01", SERVED);    // §3.3.7 unknown scheme in Authorization: challenged
        verdict("multi01", 400);        // §3.3.8
        verdict("mcl01", 400);          // §3.3.9
        verdict("zeromf", 483, 200);    // §3.3.11 483 from the proxy (200 if it answers OPTIONS itself)
        for (String n : new String[] {"cparam01", "cparam02", "regescrt", "sdp01", "inv2543"}) {
            verdict(n, SERVED);         // §3.3.12-15, §3.4.1
        }
        // RFC 5118
        for (String n : new String[] {"ipv6-good", "port-ambiguous", "port-unambiguous",
                "via-received-param-with-delim", "via-received-param-no-delim", "ipv6-in-sdp", "mult-ip-in-header",
                "mult-ip-in-sdp", "ipv4-mapped-ipv6", "ipv6-correct-abnf-2-colons"}) {
            verdict("5118/" + n, SERVED);
        }
        verdict("5118/ipv6-bad", 400);                   // §4.2
        verdict("5118/ipv6-bug-abnf-3-colons", 400);     // §4.10
    }

    private static void verdict(String name, int... allowed) {
        RFC_VERDICTS.put(name, allowed);
    }

    /** The first Via header field value's protocol, transport and sent-by, with LWS and folding anywhere. */
    private static final String LWS = "(?:[ \\t]|\\r\\n[ \\t])*";
    private static final Pattern TOP_VIA = Pattern.compile("(?im)^(?:via|v)[ \\t]*:" + LWS + "SIP" + LWS + "/" + LWS
            + "[0-9.]+" + LWS + "/" + LWS + "([A-Za-z]+)(?:[ \\t]|\\r\\n[ \\t])+" + "(\\[[^\\]]*\\](?::[0-9]+)?|[^;,\\s]+)");

    @Configuration
    public Option[] config() {
        Option[] base = confabDistribution();
        Option[] all = Arrays.copyOf(base, base.length + 1);
        Path dir = Paths.get("..", "bundles", "sip-message", "src", "test", "resources", "org", "confab", "sip",
                "message").toAbsolutePath().normalize();
        all[base.length] = editConfigurationFilePut("etc/system.properties", RESOURCES_PROPERTY, dir.toString());
        return all;
    }

    /**
     * Each message comes from a loopback address of its own (127.0.4.n) and a fresh socket: the flood defence
     * (40 requests per 2 s per address) must not answer 503 to a test, and retransmissions of an earlier answer
     * (a 407 to an INVITE is resent until ACKed) must not be read as the answer to the next message.
     */
    private static String sourceFor(int n) {
        return "127.0.4." + (1 + n % 250);
    }

    @Test
    public void everyRfc4475And5118MessageOverUdpGetsTheRfcVerdict() throws Exception {
        ensureDomain();
        List<String> wrong = new ArrayList<>();
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), sipPort());
        int n = 0;
        for (Map.Entry<String, int[]> e : RFC_VERDICTS.entrySet()) {
            String source = sourceFor(n++);
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(source, 0))) {
                byte[] b = rfcMessage(e.getKey(), "UDP", source, udp.getLocalPort());
                udp.setSoTimeout(waitFor(e.getValue()));
                udp.send(new DatagramPacket(b, b.length, server));
                check(wrong, e.getKey() + " over UDP", e.getValue(), udpStatus(udp));
            }
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(source, 0))) {
                udp.setSoTimeout(3_000);
                byte[] ok = options("UDP", source, udp.getLocalPort()).getBytes(StandardCharsets.UTF_8);
                udp.send(new DatagramPacket(ok, ok.length, server));
                int after = udpStatus(udp);
                if (after != 200) {
                    wrong.add("OPTIONS right after " + e.getKey() + " over UDP: " + after);
                }
            }
        }
        assertTrue(RFC_VERDICTS.size() + " messages over UDP, wrong: " + wrong, wrong.isEmpty());
    }

    @Test
    public void everyRfc4475And5118MessageOverTcpGetsTheRfcVerdict() throws Exception {
        ensureDomain();
        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, int[]> e : RFC_VERDICTS.entrySet()) {
            int[] allowed = TCP_OVERRIDES.getOrDefault(e.getKey(), e.getValue());
            if (declaresMoreBodyThanItHas(e.getKey())) {
                // on a stream the server cannot know the message ended: it waits for the rest (RFC 3261 §18.3)
                allowed = Arrays.copyOf(allowed, allowed.length + 1);
                allowed[allowed.length - 1] = DROPPED;
            }
            String source = sourceFor(n++);
            try (Socket tcp = connect(source)) {
                tcp.setSoTimeout(waitFor(allowed));
                OutputStream out = tcp.getOutputStream();
                out.write(rfcMessage(e.getKey(), "TCP", source, tcp.getLocalPort()));
                out.flush();
                check(wrong, e.getKey() + " over TCP", allowed, tcpStatus(tcp));
            }
            try (Socket tcp = connect(source)) {
                send(tcp, options("TCP", source, tcp.getLocalPort()));
                int after = tcpStatus(tcp);
                if (after != 200) {
                    wrong.add("OPTIONS right after " + e.getKey() + " over TCP: " + after);
                }
            }
        }
        assertTrue(RFC_VERDICTS.size() + " messages over TCP, wrong: " + wrong, wrong.isEmpty());
    }

    /** True when the file's Content-Length is larger than the bytes after its header section. */
    private static boolean declaresMoreBodyThanItHas(String name) throws IOException {
        String text = new String(rfcFile(name), StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        Matcher m = Pattern.compile("(?im)^(?:content-length|l)[ \\t]*:[ \\t]*([0-9]+)").matcher(text);
        return end >= 0 && m.find() && m.start() < end
                && Long.parseLong(m.group(1)) > text.length() - (end + 4);
    }

    private static int waitFor(int[] allowed) {
        return Arrays.stream(allowed).anyMatch(v -> v == DROPPED) ? DROP_WAIT_MS : 5_000;
    }

    private static void check(List<String> wrong, String what, int[] allowed, int status) {
        for (int a : allowed) {
            if (a == status || (a == SERVED && status >= 200 && status != 400 && status < 500)
                    || (a == SERVED && status >= 600)) {
                return;
            }
        }
        wrong.add(what + ": got " + status + ", expected " + Arrays.toString(allowed)
                + " (0 = served, -1 = dropped)");
    }

    /**
     * The RFC file, byte for byte, except the first Via's transport and sent-by, which name the test's socket so that
     * any answer comes back here and nothing leaves the loopback.
     */
    private static byte[] rfcMessage(String name, String transport, String source, int port) throws IOException {
        String text = new String(rfcFile(name), StandardCharsets.ISO_8859_1);
        Matcher m = TOP_VIA.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no Via in " + name);
        }
        String rewritten = text.substring(0, m.start(1)) + transport + text.substring(m.end(1), m.start(2))
                + source + ":" + port + text.substring(m.end(2));
        return rewritten.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] rfcFile(String name) throws IOException {
        String dir = System.getProperty(RESOURCES_PROPERTY);
        String file = name.startsWith("5118/") ? "rfc5118/" + name.substring(5) : "rfc4475/" + name;
        return Files.readAllBytes(Paths.get(dir, file + ".sip"));
    }

    @Test
    public void invalidMessagesOverUdpAreRefusedAndValidOnesStillServed() throws Exception {
        ensureDomain();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(SOURCE, 0))) {
            udp.setSoTimeout(3_000);
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), sipPort());
            for (Map.Entry<String, String> e : INVALID.entrySet()) {
                byte[] b = fill(e.getValue(), "UDP", udp.getLocalPort(), e.getKey()).getBytes(StandardCharsets.UTF_8);
                udp.send(new DatagramPacket(b, b.length, server));
                assertEquals(e.getKey() + " over UDP", EXPECTED.get(e.getKey()).intValue(), udpStatus(udp));
            }
            byte[] ok = options("UDP", udp.getLocalPort()).getBytes(StandardCharsets.UTF_8);
            udp.send(new DatagramPacket(ok, ok.length, server));
            assertEquals("valid OPTIONS after the invalid ones, UDP", 200, udpStatus(udp));
        }
    }

    @Test
    public void invalidMessagesOverTcpAreRefusedAndValidOnesStillServed() throws Exception {
        ensureDomain();
        for (Map.Entry<String, String> e : INVALID.entrySet()) {
            try (Socket tcp = connect()) {
                send(tcp, fill(e.getValue(), "TCP", tcp.getLocalPort(), e.getKey()));
                assertEquals(e.getKey() + " over TCP", EXPECTED.get(e.getKey()).intValue(), tcpStatus(tcp));
            }
        }
        try (Socket tcp = connect()) {
            send(tcp, options("TCP", tcp.getLocalPort()));
            assertEquals("valid OPTIONS after the invalid ones, TCP", 200, tcpStatus(tcp));
        }
    }

    private void ensureDomain() throws Exception {
        if (!execute("confab:domain-list").contains("example.com")) {
            execute("confab:domain-add example.com");
        }
    }

    private Socket connect() throws IOException {
        return connect(SOURCE);
    }

    private Socket connect(String source) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(source, 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), sipPort()), 3_000);
        s.setSoTimeout(3_000);
        return s;
    }

    private static String fill(String message, String transport, int port, String name) {
        return message.replace("@T@", transport)
                .replace(VIA, SOURCE + ":" + port + ";rport;branch=z9hG4bK" + name + transport);
    }

    private static String options(String transport, int port) {
        return options(transport, SOURCE, port);
    }

    private static String options(String transport, String source, int port) {
        return "OPTIONS sip:example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " " + source + ":" + port + ";rport;branch=z9hG4bKvalid" + transport + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:tester@example.com>;tag=v1\r\n"
                + "To: <sip:example.com>\r\n"
                + "Call-ID: valid-after-torture-" + transport + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private static void send(Socket s, String message) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(message.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** @return the status of the next final response, -1 when none came within the timeout (dropped) */
    private static int udpStatus(DatagramSocket udp) throws IOException {
        byte[] buf = new byte[65535];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (SocketTimeoutException e) {
                return -1;
            }
            int status = status(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            if (status >= 200) {
                return status;
            }
        }
    }

    /** @return the status of the next final response on the connection, -1 when closed or silent */
    private static int tcpStatus(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder text = new StringBuilder();
        byte[] buf = new byte[4096];
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                return -1;
            }
            if (n < 0) {
                return -1;
            }
            text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            int end;
            while ((end = text.indexOf("\r\n\r\n")) >= 0) {
                int status = status(text.substring(0, end));
                text.delete(0, end + 4); // responses to these requests carry no body
                if (status >= 200) {
                    return status;
                }
            }
        }
    }

    private static int status(String message) {
        if (!message.startsWith("SIP/2.0 ") || message.length() < 11) {
            return 0;
        }
        return Integer.parseInt(message.substring(8, 11));
    }
}
