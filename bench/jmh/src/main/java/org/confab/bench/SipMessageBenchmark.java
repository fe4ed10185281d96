package org.confab.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.confab.sip.message.NameAddr;
import org.confab.sip.message.SipMessage;
import org.confab.sip.message.SipParseException;
import org.confab.sip.message.SipParser;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.confab.sip.message.Via;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parser and serializer of org.confab.sip.message, one thread (messages per second per core),
 * for three messages: a REGISTER with Digest credentials, a MESSAGE with a 1 KB body and a
 * NOTIFY with a 4 KB PIDF document. With {@code -prof gc}, {@code gc.alloc.rate.norm} is the
 * bytes allocated per message.
 * <ul>
 * <li>{@code parse}: parse and read what the transaction layer and a proxy read (top Via,
 * From, To, Call-ID, CSeq, Max-Forwards, Contact, body); the parser is lazy, so parsing alone
 * would measure little.</li>
 * <li>{@code serialize}: toBytes of a parsed message whose Via and Max-Forwards were changed
 * (the changed fields are written anew, the others from their original bytes).</li>
 * <li>{@code forward}: the proxy's path: parse, push a Via, decrement Max-Forwards, serialize.</li>
 * <li>{@code respond}: the registrar's path over UDP: parse, stamp received and rport on the top
 * Via (as the transport does for every request), build a response with a To tag, serialize it.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@Threads(1)
public class SipMessageBenchmark {

    @Param({"REGISTER", "MESSAGE_1K", "NOTIFY_PIDF_4K"})
    public String message;

    private byte[] wire;
    private SipMessage changed;

    @Setup(Level.Trial)
    public void setUp() throws SipParseException {
        wire = Messages.of(message);
        changed = SipParser.parse(wire);
        changed.addHeaderFirst("Via", "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-bench-proxy");
        changed.setHeader("Max-Forwards", "69");
        // sanity: the three messages parse and round-trip
        if (SipParser.parse(changed.toBytes()).body().length != changed.body().length) {
            throw new IllegalStateException("round trip lost the body of " + message);
        }
    }

    @Benchmark
    public void parse(Blackhole bh) throws SipParseException {
        SipMessage m = SipParser.parse(wire);
        bh.consume(m.topVia());
        bh.consume(m.from());
        bh.consume(m.to());
        bh.consume(m.callId());
        bh.consume(m.cseq());
        bh.consume(m.maxForwards());
        bh.consume(m.contacts());
        bh.consume(m.body());
    }

    @Benchmark
    public byte[] serialize() {
        return changed.toBytes();
    }

    @Benchmark
    public byte[] forward() throws SipParseException {
        SipMessage m = SipParser.parse(wire);
        m.addHeaderFirst("Via", "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-bench-proxy");
        m.setHeader("Max-Forwards", Integer.toString(m.maxForwards() - 1));
        return m.toBytes();
    }

    @Benchmark
    public byte[] respond() throws SipParseException {
        SipRequest req = (SipRequest) SipParser.parse(wire);
        // what SipStack.addReceived does with a request from 192.0.2.77:40001
        Via via = req.topVia();
        Via fixed = via.withParameter("received", "192.0.2.77");
        if (via.hasRport()) {
            fixed = fixed.withParameter("rport", "40001");
        }
        req.removeFirstValue("Via");
        req.addHeaderFirst("Via", fixed.toString());
        // what the transaction layer and a registrar read, then the 200 with a To tag
        req.topVia().branch();
        req.cseq();
        req.from().tag();
        SipResponse r = req.createResponse(200);
        NameAddr to = r.to();
        r.setHeader("To", to.withTag("a6c85cf").toString());
        r.setHeader("Expires", "3600");
        return r.toBytes();
    }

    /** The three messages, as a SIP client sends them. */
    static final class Messages {
        private Messages() {
        }

        static byte[] of(String name) {
            switch (name) {
                case "REGISTER":
                    return crlf("REGISTER sip:example.com SIP/2.0\n"
                            + "Via: SIP/2.0/UDP 192.0.2.10:5060;rport;branch=z9hG4bK776asdhds\n"
                            + "Max-Forwards: 70\n"
                            + "To: \"Alice\" <sip:alice@example.com>\n"
                            + "From: \"Alice\" <sip:alice@example.com>;tag=1928301774\n"
                            + "Call-ID: a84b4c76e66710@192.0.2.10\n"
                            + "CSeq: 2 REGISTER\n"
                            + "Contact: <sip:alice@192.0.2.10:5060;transport=udp>;expires=3600\n"
                            + "Authorization: Digest username=\"alice\", realm=\"example.com\", "
                            + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"sip:example.com\", "
                            + "response=\"6629fae49393a05397450978507c4ef1\", algorithm=MD5, "
                            + "qop=auth, nc=00000001, cnonce=\"0a4f113b\"\n"
                            + "User-Agent: Bench/1.0\n"
                            + "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, NOTIFY, SUBSCRIBE\n"
                            + "Expires: 3600\n"
                            + "Content-Length: 0\n\n", "");
                case "MESSAGE_1K":
                    return crlf("MESSAGE sip:bob@example.com SIP/2.0\n"
                            + "Via: SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bK776asdhdt\n"
                            + "Max-Forwards: 70\n"
                            + "To: <sip:bob@example.com>\n"
                            + "From: \"Alice\" <sip:alice@example.com>;tag=49583\n"
                            + "Call-ID: asd88asd77a@192.0.2.10\n"
                            + "CSeq: 2 MESSAGE\n"
                            + "Proxy-Authorization: Digest username=\"alice\", realm=\"example.com\", "
                            + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c094\", uri=\"sip:bob@example.com\", "
                            + "response=\"7729fae49393a05397450978507c4ef2\", algorithm=MD5, "
                            + "qop=auth, nc=00000001, cnonce=\"0a4f113c\"\n"
                            + "Content-Type: text/plain;charset=UTF-8\n"
                            + "Content-Length: %d\n\n", text(1024));
                case "NOTIFY_PIDF_4K":
                    return crlf("NOTIFY sip:alice@192.0.2.10:5060;transport=tcp SIP/2.0\n"
                            + "Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKnotify77\n"
                            + "Max-Forwards: 70\n"
                            + "To: <sip:alice@example.com>;tag=1928301775\n"
                            + "From: <sip:bob@example.com>;tag=ffd2\n"
                            + "Call-ID: 4KB-pidf-88asd77a@192.0.2.10\n"
                            + "CSeq: 7 NOTIFY\n"
                            + "Contact: <sip:127.0.0.1:5060;transport=tcp>\n"
                            + "Event: presence\n"
                            + "Subscription-State: active;expires=3599\n"
                            + "Content-Type: application/pidf+xml\n"
                            + "Content-Length: %d\n\n", pidf(4096));
                default:
                    throw new IllegalArgumentException(name);
            }
        }

        private static byte[] crlf(String head, String body) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String h = head.replace("\n", "\r\n");
            if (h.contains("%d")) {
                h = String.format(h, b.length);
            }
            return (h + body).getBytes(StandardCharsets.UTF_8);
        }

        private static String text(int size) {
            StringBuilder sb = new StringBuilder(size);
            String words = "The quick brown fox jumps over the lazy dog. ";
            while (sb.length() < size) {
                sb.append(words);
            }
            return sb.substring(0, size);
        }

        private static String pidf(int size) {
            StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:bob@example.com\">\n");
            int i = 0;
            String end = "</presence>\n";
            while (true) {
                String t = "  <tuple id=\"t" + i + "\"><status><basic>open</basic></status>"
                        + "<contact priority=\"0.8\">sip:bob@example.com</contact><note>Available, in the office</note></tuple>\n";
                if (sb.length() + t.length() + end.length() > size) {
                    break;
                }
                sb.append(t);
                i++;
            }
            while (sb.length() + end.length() < size) {
                sb.append(' ');
            }
            return sb.append(end).toString();
        }
    }
}
