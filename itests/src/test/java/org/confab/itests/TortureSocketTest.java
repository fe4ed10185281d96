package org.confab.itests;

import static org.junit.Assert.assertEquals;

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
import java.util.LinkedHashMap;
import java.util.Map;
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

    @Configuration
    public Option[] config() {
        return confabDistribution();
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
        Socket s = new Socket();
        s.bind(new InetSocketAddress(SOURCE, 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), sipPort()), 3_000);
        s.setSoTimeout(3_000);
        return s;
    }

    private static String fill(String message, String transport, int port, String name) {
        return message.replace("@T@", transport)
                .replace(VIA, SOURCE + ":" + port + ";rport;branch=z9hG4bK" + name + transport);
    }

    private static String options(String transport, int port) {
        return "OPTIONS sip:example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " " + SOURCE + ":" + port + ";rport;branch=z9hG4bKvalid" + transport + "\r\n"
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
