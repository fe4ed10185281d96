package org.confab.itests;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.confab.sip.message.SipMessage;
import org.confab.sip.message.SipParser;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;

/**
 * A SIP user agent for tests: one socket (UDP or TCP) on loopback, REGISTER and MESSAGE with
 * Digest computed here independently of the server's code, and an auto-answering inbox for
 * incoming MESSAGEs. Deliberately plain: what a simple phone would do.
 */
public final class SipTestUser implements Closeable {

    private final String user;
    private final String domain;
    private final String password;
    private final String transport;
    private final InetSocketAddress server;
    private final DatagramSocket udp;
    private final Socket tcp;
    private final OutputStream tcpOut;
    private final String callIdBase = UUID.randomUUID().toString();
    private final AtomicInteger cseq = new AtomicInteger(1);
    private final BlockingQueue<SipResponse> responses = new LinkedBlockingQueue<>();
    private final BlockingQueue<SipRequest> inbox = new LinkedBlockingQueue<>();
    private final BlockingQueue<SipRequest> notifies = new LinkedBlockingQueue<>();
    /** Incoming requests kept unanswered once {@link #answerManually()} was called. */
    private final BlockingQueue<SipRequest> requests = new LinkedBlockingQueue<>();
    /** Signalled on every arrival, for the matching awaits. */
    private final Object arrivals = new Object();
    private volatile boolean manual;
    private final Thread reader;
    private volatile boolean closed;
    private volatile boolean closedByServer;
    private volatile int answerStatus = 200;

    public SipTestUser(String user, String domain, String password, String transport, String host, int port)
            throws IOException {
        this.user = user;
        this.domain = domain;
        this.password = password;
        this.transport = transport.toUpperCase();
        this.server = new InetSocketAddress(host, port);
        if (this.transport.equals("UDP")) {
            udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            tcp = null;
            tcpOut = null;
        } else {
            udp = null;
            tcp = new Socket();
            tcp.connect(server, 5000);
            tcp.setTcpNoDelay(true);
            tcpOut = tcp.getOutputStream();
        }
        reader = new Thread(this::readLoop, "sip-test-" + user);
        reader.setDaemon(true);
        reader.start();
    }

    public String aor() {
        return "sip:" + user + "@" + domain;
    }

    public int localPort() {
        return udp != null ? udp.getLocalPort() : tcp.getLocalPort();
    }

    /** For TCP: false once the server closed the connection (the reader saw end of stream). */
    public boolean isConnected() {
        return tcp == null || (!closedByServer && !tcp.isClosed() && tcp.isConnected());
    }

    /** Status with which incoming MESSAGEs are answered (200 by default). */
    public void answerWith(int status) {
        this.answerStatus = status;
    }

    private String contact() {
        return "<sip:" + user + "@127.0.0.1:" + localPort() + ";transport=" + transport.toLowerCase() + ">";
    }

    private String via() {
        return "SIP/2.0/" + transport + " 127.0.0.1:" + localPort() + ";rport;branch=z9hG4bK" + UUID.randomUUID();
    }

    /** REGISTER with the given expiry, answering one digest challenge; returns the final response. */
    public SipResponse register(int expires) throws Exception {
        String callId = callIdBase + "-reg";
        String uri = "sip:" + domain;
        String base = "REGISTER " + uri + " SIP/2.0\r\n"
                + "From: <" + aor() + ">;tag=" + callIdBase.substring(0, 8) + "\r\n"
                + "To: <" + aor() + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "Contact: " + contact() + "\r\n"
                + "Expires: " + expires + "\r\n"
                + "User-Agent: confab-itest\r\n";
        return sendWithAuth("REGISTER", uri, base, "", null);
    }

    /** Sends a MESSAGE to another user of the domain; returns the final response. */
    public SipResponse message(String toUser, String text) throws Exception {
        String uri = "sip:" + toUser + "@" + domain;
        String base = "MESSAGE " + uri + " SIP/2.0\r\n"
                + "From: <" + aor() + ">;tag=" + UUID.randomUUID().toString().substring(0, 8) + "\r\n"
                + "To: <" + uri + ">\r\n"
                + "Call-ID: " + UUID.randomUUID() + "\r\n"
                + "Max-Forwards: 70\r\n";
        return sendWithAuth("MESSAGE", uri, base, text, "text/plain");
    }

    private SipResponse sendWithAuth(String method, String uri, String base, String body, String type) throws Exception {
        SipResponse r = transact(base, method, null, body, type);
        int rounds = 0;
        while (r != null && (r.status() == 401 || r.status() == 407) && rounds++ < 2) {
            String challengeHeader = r.status() == 401 ? "WWW-Authenticate" : "Proxy-Authenticate";
            String credsHeader = r.status() == 401 ? "Authorization" : "Proxy-Authorization";
            String challenge = r.headers(challengeHeader).get(0);
            r = transact(base, method, credsHeader + ": " + digest(challenge, method, uri) + "\r\n", body, type);
        }
        return r;
    }

    private SipResponse transact(String base, String method, String extra, String body, String type) throws Exception {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String msg = base.replaceFirst("\r\n", "\r\nVia: " + via() + "\r\n")
                + "CSeq: " + cseq.getAndIncrement() + " " + method + "\r\n"
                + (extra == null ? "" : extra)
                + (type == null ? "" : "Content-Type: " + type + "\r\n")
                + "Content-Length: " + b.length + "\r\n\r\n" + body;
        responses.clear();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        send(msg.getBytes(StandardCharsets.UTF_8));
        while (System.nanoTime() < deadline) {
            SipResponse r = responses.poll(100, TimeUnit.MILLISECONDS);
            if (r != null && r.status() >= 200) {
                return r;
            }
        }
        return null;
    }

    /**
     * Sends an out-of-dialog request (SUBSCRIBE, PUBLISH...) to a user of the domain with extra
     * header lines (each ending in CRLF), answering one digest challenge; returns the final response.
     */
    public SipResponse request(String method, String toUser, String callId, String fromTag, String extraHeaders,
                               String body, String type) throws Exception {
        String uri = "sip:" + toUser + "@" + domain;
        String base = method + " " + uri + " SIP/2.0\r\n"
                + "From: <" + aor() + ">;tag=" + fromTag + "\r\n"
                + "To: <" + uri + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "Contact: " + contact() + "\r\n"
                + extraHeaders;
        return sendWithAuth(method, uri, base, body == null ? "" : body, type);
    }

    /**
     * Like {@link #request} but to any SIP URI (a user of another domain, or a dialog's remote
     * target) with the given To URI and, for a request inside a dialog, the To tag; answers one
     * digest challenge; returns the final response.
     */
    public SipResponse requestTo(String method, String requestUri, String toUri, String toTag, String callId,
                                 String fromTag, String extraHeaders, String body, String type) throws Exception {
        String base = method + " " + requestUri + " SIP/2.0\r\n"
                + "From: <" + aor() + ">;tag=" + fromTag + "\r\n"
                + "To: <" + toUri + ">" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "Contact: " + contact() + "\r\n"
                + extraHeaders;
        return sendWithAuth(method, requestUri, base, body == null ? "" : body, type);
    }

    /** The next NOTIFY received (already answered 200), or null after the timeout. */
    public SipRequest awaitNotify(long timeout, TimeUnit unit) throws InterruptedException {
        return notifies.poll(timeout, unit);
    }

    /** The next MESSAGE received (already answered), or null after the timeout. */
    public SipRequest awaitMessage(long timeout, TimeUnit unit) throws InterruptedException {
        return inbox.poll(timeout, unit);
    }

    private String digest(String challenge, String method, String uri) throws Exception {
        Map<String, String> p = params(challenge.substring(challenge.indexOf(' ') + 1));
        String alg = p.getOrDefault("algorithm", "MD5");
        String realm = p.get("realm");
        String nonce = p.get("nonce");
        String cnonce = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String nc = "00000001";
        String ha1 = h(alg, user + ":" + realm + ":" + password);
        String ha2 = h(alg, method + ":" + uri);
        String response = h(alg, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        return "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", response=\"" + response + "\", algorithm=" + alg + ", cnonce=\"" + cnonce
                + "\", qop=auth, nc=" + nc + (p.containsKey("opaque") ? ", opaque=\"" + p.get("opaque") + "\"" : "");
    }

    private static String h(String alg, String s) throws Exception {
        MessageDigest md = MessageDigest.getInstance(alg.equalsIgnoreCase("SHA-256") ? "SHA-256" : "MD5");
        return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, String> params(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : s.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq).trim().toLowerCase(), part.substring(eq + 1).trim().replace("\"", ""));
            }
        }
        return m;
    }

    private synchronized void send(byte[] data) throws IOException {
        if (udp != null) {
            udp.send(new DatagramPacket(data, data.length, server));
        } else {
            tcpOut.write(data);
            tcpOut.flush();
        }
    }

    private void readLoop() {
        try {
            if (udp != null) {
                byte[] buf = new byte[65536];
                while (!closed) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    udp.receive(p);
                    // a copy: the parser is lazy and keeps reading the array, which the next datagram overwrites
                    handle(SipParser.parse(Arrays.copyOf(buf, p.getLength())));
                }
            } else {
                InputStream in = tcp.getInputStream();
                while (!closed) {
                    byte[] m = readStreamMessage(in);
                    if (m == null) {
                        closedByServer = true;
                        return;
                    }
                    if (m.length > 0) {
                        handle(SipParser.parse(m));
                    }
                }
            }
        } catch (SocketException e) {
            closedByServer = !closed; // reset by the server, unless we closed it ourselves
        } catch (Exception e) {
            if (!closed) {
                e.printStackTrace();
            }
        }
    }

    private static byte[] readStreamMessage(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n == 2 && h[0] == '\r' && h[1] == '\n') {
                head.reset(); // keep-alive pong or stray CRLF
                continue;
            }
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                String headers = new String(h, StandardCharsets.UTF_8);
                int len = 0;
                for (String line : headers.split("\r\n")) {
                    String lower = line.toLowerCase();
                    if (lower.startsWith("content-length:") || lower.startsWith("l:")) {
                        len = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
                    }
                }
                byte[] body = in.readNBytes(len);
                head.write(body);
                return head.toByteArray();
            }
        }
        return null;
    }

    private void handle(SipMessage m) throws IOException {
        if (m instanceof SipResponse r) {
            responses.add(r);
            signalArrival();
            return;
        }
        SipRequest req = (SipRequest) m;
        if (manual) {
            requests.add(req);
            signalArrival();
            return;
        }
        if (req.method().equals("ACK")) {
            return;
        }
        SipResponse resp = req.createResponse(req.method().equals("MESSAGE") ? answerStatus : 200);
        if (resp.to().tag() == null) {
            resp.setHeader("To", resp.to().withTag("t" + localPort()).toString());
        }
        send(resp.toBytes());
        if (req.method().equals("MESSAGE")) {
            inbox.add(req);
        } else if (req.method().equals("NOTIFY")) {
            notifies.add(req);
        }
    }

    private void signalArrival() {
        synchronized (arrivals) {
            arrivals.notifyAll();
        }
    }

    // ---- for tests that play the phone themselves (proxy rules: INVITE, CANCEL, ACK, forking)

    /** "UDP" or "TCP". */
    public String transport() {
        return transport;
    }

    /** The URI registered as Contact: {@code sip:user@127.0.0.1:port;transport=udp|tcp}. */
    public String contactUri() {
        return "sip:" + user + "@127.0.0.1:" + localPort() + ";transport=" + transport.toLowerCase();
    }

    /**
     * From now on every incoming request (ACK and CANCEL included) is kept, unanswered, for
     * {@link #awaitRequest}; the test answers it itself with {@link #send(SipMessage)}.
     */
    public void answerManually() {
        manual = true;
    }

    /** Sends a message as it is (the test wrote its Via, CSeq and everything else). */
    public void send(SipMessage message) throws IOException {
        send(message.toBytes());
    }

    /** Sends a message given as text, as it is. */
    public void send(String message) throws IOException {
        send(message.getBytes(StandardCharsets.UTF_8));
    }

    /** The first received response (not taken yet) that matches, waiting up to the timeout; null if none came. */
    public SipResponse awaitResponse(Predicate<? super SipResponse> match, long timeout, TimeUnit unit)
            throws InterruptedException {
        return awaitMatch(responses, match, timeout, unit);
    }

    /** After {@link #answerManually()}: the first received request (not taken yet) that matches; null if none came. */
    public SipRequest awaitRequest(Predicate<? super SipRequest> match, long timeout, TimeUnit unit)
            throws InterruptedException {
        return awaitMatch(requests, match, timeout, unit);
    }

    private <T> T awaitMatch(BlockingQueue<T> queue, Predicate<? super T> match, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (arrivals) {
            while (true) {
                for (T m : queue) {
                    if (match.test(m) && queue.remove(m)) {
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(arrivals, left);
            }
        }
    }

    /**
     * Digest credentials (the value of an Authorization or Proxy-Authorization header) answering
     * the challenge (a WWW-Authenticate or Proxy-Authenticate value) for a request.
     */
    public String credentials(String challenge, String method, String uri) throws Exception {
        return digest(challenge, method, uri);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (udp != null) {
            udp.close();
        } else {
            tcp.close();
        }
    }
}
