/*
 * Presence load client for bench/presence.py: many SIP user agents over UDP in one JVM.
 *
 *   java bench/presence/PresenceLoad.java --server 127.0.0.1:5060 --domain example.com --password PW
 *        [--sockets 16] [--addresses 8] [--base-port 30000] [--window 200] [--prefix u]
 *
 * JDK 17 only (single-file launch, no build). Each simulated user has its own dialogs (Call-ID,
 * tags) and its own Contact (sip:<user>@<address>:<port>); users share a few UDP sockets bound to
 * distinct loopback addresses (127.0.0.2, 127.0.0.3, ...), one receiving thread per socket with an
 * 8 MiB receive buffer (as far as net.core.rmem_max allows). Requests are retransmitted like an RFC
 * 3261 non-INVITE client transaction (T1 = 500 ms doubling to T2 = 4 s, given up at 32 s);
 * challenges (401/407, Digest MD5 or SHA-256, qop=auth) are answered once per request; a 503 is
 * retried after its Retry-After (at most 5 s), at most --retries times. Every NOTIFY is answered
 * 200 at once on its receiving thread and its arrival time recorded.
 *
 * Commands, one per line on standard input; each answers one line "RESULT {json}" on standard
 * output (progress goes to standard error):
 *   register FROM TO                 REGISTER users FROM..TO (Expires 3600)
 *   subscribe PRESENTITY FROM TO     users FROM..TO SUBSCRIBE (Event: presence) to user PRESENTITY;
 *                                    waits for every 200 and initial NOTIFY
 *   publish USER MARKER [ACTIVITY]   USER PUBLISHes PIDF with note MARKER (SIP-If-Match after its first);
 *                                    waits until every dialog watching USER has a NOTIFY carrying MARKER
 *   signin FROM TO CONTACTS          login storm: each user REGISTERs, then SUBSCRIBEs to its own
 *                                    contact list (Supported: eventlist, RFC 4662); waits for every
 *                                    initial NOTIFY and checks it names CONTACTS resources
 *   listsub FROM TO CONTACTS         the same without the REGISTER
 *   view FROM TO CONTACTS            what the list subscriptions of FROM..TO currently show
 *   stats                            counters
 *   quit
 * Every wait is bounded (--wait seconds, default 120).
 */

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class PresenceLoad {

    // ------------------------------------------------------------------ configuration

    static InetSocketAddress server;
    static String domain = "example.com";
    static String password = "";
    static String prefix = "u";
    static int nSockets = 16;
    static int nAddresses = 8;
    static int basePort = 30000;
    static int window = 200;
    static int retries = 3;
    static long waitMs = 120_000;
    static final long T1 = 500, T2 = 4000, TXN_TIMEOUT = 64 * T1;

    static Sock[] socks;
    static Sock publisherSock;
    static final PrintStream OUT = System.out;

    // ------------------------------------------------------------------ state

    static final ConcurrentHashMap<String, Txn> txns = new ConcurrentHashMap<>();      // by Via branch
    static final ConcurrentHashMap<String, Dialog> dialogs = new ConcurrentHashMap<>(); // by Call-ID
    static final ConcurrentHashMap<String, String> etags = new ConcurrentHashMap<>();   // user -> SIP-ETag
    static final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "timer");
        t.setDaemon(true);
        return t;
    });
    static final AtomicLong ids = new AtomicLong();
    static final String RUN = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

    static final AtomicLong rxPackets = new AtomicLong(), txPackets = new AtomicLong(), retransmits = new AtomicLong(),
            notifies = new AtomicLong(), notifyDups = new AtomicLong(), notifyUnknown = new AtomicLong(),
            parseErrors = new AtomicLong(), status503 = new AtomicLong(), bytesIn = new AtomicLong(),
            terminated = new AtomicLong(), strayResponses = new AtomicLong();

    // ------------------------------------------------------------------ main

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (a) {
                case "--server" -> { String[] hp = v.split(":"); server = new InetSocketAddress(hp[0], Integer.parseInt(hp[1])); i++; }
                case "--domain" -> { domain = v; i++; }
                case "--password" -> { password = v; i++; }
                case "--prefix" -> { prefix = v; i++; }
                case "--sockets" -> { nSockets = Integer.parseInt(v); i++; }
                case "--addresses" -> { nAddresses = Integer.parseInt(v); i++; }
                case "--base-port" -> { basePort = Integer.parseInt(v); i++; }
                case "--window" -> { window = Integer.parseInt(v); i++; }
                case "--retries" -> { retries = Integer.parseInt(v); i++; }
                case "--wait" -> { waitMs = Long.parseLong(v) * 1000; i++; }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (server == null) {
            server = new InetSocketAddress("127.0.0.1", 5060);
        }
        socks = new Sock[nSockets];
        for (int i = 0; i < nSockets; i++) {
            socks[i] = new Sock(i, "127.0.0." + (2 + i % nAddresses), basePort + i);
        }
        // the publisher gets a socket of its own: its 200 must not queue behind the watchers' NOTIFYs
        publisherSock = new Sock(nSockets, "127.0.0." + (2 + nAddresses), basePort + nSockets);
        for (Sock s : socks) {
            s.start();
        }
        publisherSock.start();
        Thread retx = new Thread(PresenceLoad::retransmitLoop, "retransmit");
        retx.setDaemon(true);
        retx.start();
        err("ready: " + nSockets + " sockets on " + nAddresses + " addresses, receive buffer "
                + socks[0].ch.getOption(StandardSocketOptions.SO_RCVBUF) + " bytes, window " + window);
        OUT.println("READY " + json("sockets", nSockets, "addresses", nAddresses, "rcvbuf",
                socks[0].ch.getOption(StandardSocketOptions.SO_RCVBUF)));
        OUT.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] w = line.split("\\s+");
            String result;
            try {
                result = switch (w[0]) {
                    case "register" -> register(Integer.parseInt(w[1]), Integer.parseInt(w[2]));
                    case "subscribe" -> subscribe(Integer.parseInt(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3]));
                    case "publish" -> publish(Integer.parseInt(w[1]), w[2], w.length > 3 ? w[3] : "");
                    case "signin" -> listStorm(Integer.parseInt(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3]), true);
                    case "listsub" -> listStorm(Integer.parseInt(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3]), false);
                    case "view" -> view(Integer.parseInt(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3]));
                    case "stats" -> stats();
                    case "quit" -> null;
                    default -> json("error", "unknown command " + w[0]);
                };
            } catch (RuntimeException e) {
                result = json("error", e.toString());
            }
            if (result == null) {
                break;
            }
            OUT.println("RESULT " + result);
            OUT.flush();
        }
        for (Sock s : socks) {
            s.close();
        }
        publisherSock.close();
        System.exit(0);
    }

    static void err(String s) {
        System.err.println("[load] " + s);
    }

    static String user(int i) {
        return prefix + i;
    }

    static Sock sockOf(int userIndex) {
        return socks[Math.floorMod(userIndex, nSockets)];
    }

    // ------------------------------------------------------------------ sockets

    static final class Sock {
        final int index;
        final DatagramChannel ch;
        final String hostPort;
        Thread reader;
        volatile boolean open = true;

        Sock(int index, String address, int port) throws Exception {
            this.index = index;
            ch = DatagramChannel.open();
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            try {
                ch.bind(new InetSocketAddress(address, port));
            } catch (java.io.IOException e) {
                ch.bind(new InetSocketAddress(address, 0)); // the fixed port is taken: any port
            }
            InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
            hostPort = local.getAddress().getHostAddress() + ":" + local.getPort();
        }

        void start() {
            reader = new Thread(this::readLoop, "rx-" + index);
            reader.setDaemon(true);
            reader.start();
        }

        void send(byte[] b) {
            try {
                ch.send(ByteBuffer.wrap(b), server);
                txPackets.incrementAndGet();
            } catch (java.io.IOException e) {
                err("send failed on " + hostPort + ": " + e);
            }
        }

        void send(byte[] b, java.net.SocketAddress to) {
            try {
                ch.send(ByteBuffer.wrap(b), to);
                txPackets.incrementAndGet();
            } catch (java.io.IOException e) {
                err("send failed on " + hostPort + ": " + e);
            }
        }

        void readLoop() {
            ByteBuffer buf = ByteBuffer.allocateDirect(65536);
            byte[] arr = new byte[65536];
            while (open) {
                try {
                    buf.clear();
                    java.net.SocketAddress from = ch.receive(buf);
                    long now = System.nanoTime();
                    buf.flip();
                    int n = buf.remaining();
                    buf.get(arr, 0, n);
                    rxPackets.incrementAndGet();
                    bytesIn.addAndGet(n);
                    handle(this, new String(arr, 0, n, StandardCharsets.ISO_8859_1), from, now);
                } catch (java.nio.channels.ClosedChannelException e) {
                    return;
                } catch (Exception e) {
                    parseErrors.incrementAndGet();
                    if (parseErrors.get() < 10) {
                        err("receive on " + hostPort + ": " + e);
                    }
                }
            }
        }

        void close() {
            open = false;
            try {
                ch.close();
            } catch (java.io.IOException ignored) {
            }
        }
    }

    // ------------------------------------------------------------------ messages

    static final class Msg {
        String method;  // null for a response
        int status;
        final List<String[]> headers = new ArrayList<>(16);
        String body = "";
        String raw;

        String h(String name) {
            for (String[] kv : headers) {
                if (kv[0].equals(name)) {
                    return kv[1];
                }
            }
            return null;
        }

        List<String> all(String name) {
            List<String> out = new ArrayList<>(2);
            for (String[] kv : headers) {
                if (kv[0].equals(name)) {
                    out.add(kv[1]);
                }
            }
            return out;
        }
    }

    static final Map<String, String> COMPACT = Map.of("i", "call-id", "v", "via", "f", "from", "t", "to",
            "l", "content-length", "c", "content-type", "m", "contact", "o", "event", "k", "supported");

    static Msg parse(String s) {
        Msg m = new Msg();
        m.raw = s;
        int end = s.indexOf("\r\n\r\n");
        String head = end < 0 ? s : s.substring(0, end);
        m.body = end < 0 ? "" : s.substring(end + 4);
        String[] lines = head.split("\r\n");
        String first = lines[0];
        if (first.startsWith("SIP/2.0 ")) {
            m.status = Integer.parseInt(first.substring(8, 11));
        } else {
            m.method = first.substring(0, first.indexOf(' '));
        }
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            if (l.isEmpty()) {
                continue;
            }
            if ((l.charAt(0) == ' ' || l.charAt(0) == '\t') && !m.headers.isEmpty()) {
                String[] last = m.headers.get(m.headers.size() - 1);
                last[1] = last[1] + " " + l.trim();
                continue;
            }
            int c = l.indexOf(':');
            if (c < 0) {
                continue;
            }
            String name = l.substring(0, c).trim().toLowerCase(Locale.ROOT);
            name = COMPACT.getOrDefault(name, name);
            m.headers.add(new String[] {name, l.substring(c + 1).trim()});
        }
        return m;
    }

    static final Map<String, Pattern> PARAMS = new ConcurrentHashMap<>();
    static final Map<String, Pattern> QUOTED = new ConcurrentHashMap<>();

    static String param(String header, String name) {
        if (header == null) {
            return null;
        }
        Matcher mt = PARAMS.computeIfAbsent(name, n -> Pattern.compile("(?i)[;,\\s]" + Pattern.quote(n)
                + "=\"?([^\";,>\\s]*)")).matcher(header);
        return mt.find() ? mt.group(1) : null;
    }

    static String tag(String nameAddr) {
        return param(nameAddr, "tag");
    }

    static long cseqNumber(String cseq) {
        return cseq == null ? -1 : Long.parseLong(cseq.trim().split("\\s+")[0]);
    }

    static String newId(String what) {
        return what + RUN + "x" + ids.incrementAndGet();
    }

    /** One request; Via branch, From tag and the rest given. */
    static byte[] request(String method, String ruri, Sock s, String branch, String fromUser, String fromTag,
                          String toUri, String toTag, String callId, long cseq, String contactUser,
                          List<String> extra, String contentType, String body) {
        StringBuilder b = new StringBuilder(640 + (body == null ? 0 : body.length()));
        b.append(method).append(' ').append(ruri).append(" SIP/2.0\r\n");
        b.append("Via: SIP/2.0/UDP ").append(s.hostPort).append(";rport;branch=").append(branch).append("\r\n");
        b.append("Max-Forwards: 70\r\n");
        b.append("From: <sip:").append(fromUser).append('@').append(domain).append(">;tag=").append(fromTag).append("\r\n");
        b.append("To: <").append(toUri).append('>');
        if (toTag != null) {
            b.append(";tag=").append(toTag);
        }
        b.append("\r\n");
        b.append("Call-ID: ").append(callId).append("\r\n");
        b.append("CSeq: ").append(cseq).append(' ').append(method).append("\r\n");
        if (contactUser != null) {
            b.append("Contact: <sip:").append(contactUser).append('@').append(s.hostPort).append(">\r\n");
        }
        b.append("User-Agent: confab-bench-presence\r\n");
        for (String h : extra) {
            b.append(h).append("\r\n");
        }
        byte[] bodyBytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            b.append("Content-Type: ").append(contentType).append("\r\n");
        }
        b.append("Content-Length: ").append(bodyBytes.length).append("\r\n\r\n");
        byte[] head = b.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(head, head.length + bodyBytes.length);
        System.arraycopy(bodyBytes, 0, out, head.length, bodyBytes.length);
        return out;
    }

    static String branch() {
        return "z9hG4bK" + newId("b");
    }

    // ------------------------------------------------------------------ digest

    static String hex(String alg, String s) {
        try {
            MessageDigest md = MessageDigest.getInstance(alg.equalsIgnoreCase("SHA-256") ? "SHA-256" : "MD5");
            byte[] d = md.digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder(d.length * 2);
            for (byte x : d) {
                b.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
            }
            return b.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String quoted(String challenge, String name) {
        Matcher mt = QUOTED.computeIfAbsent(name, n -> Pattern.compile("(?i)(?:^|[,\\s])" + n
                + "\\s*=\\s*(?:\"([^\"]*)\"|([^,\\s]*))")).matcher(challenge);
        if (!mt.find()) {
            return null;
        }
        return mt.group(1) != null ? mt.group(1) : mt.group(2);
    }

    /** The Authorization / Proxy-Authorization value answering the first challenge we support. */
    static String answer(List<String> challenges, String method, String uri, String user) {
        String chosen = null;
        String alg = null;
        for (String c : challenges) {
            if (!c.regionMatches(true, 0, "Digest", 0, 6)) {
                continue;
            }
            String a = quoted(c, "algorithm");
            a = a == null ? "MD5" : a;
            if (a.equalsIgnoreCase("MD5") || a.equalsIgnoreCase("SHA-256")) {
                chosen = c;
                alg = a;
                break;
            }
        }
        if (chosen == null) {
            return null;
        }
        String realm = quoted(chosen, "realm");
        String nonce = quoted(chosen, "nonce");
        String opaque = quoted(chosen, "opaque");
        String qop = quoted(chosen, "qop");
        String ha1 = hex(alg, user + ":" + realm + ":" + password);
        String ha2 = hex(alg, method + ":" + uri);
        StringBuilder b = new StringBuilder(256);
        b.append("Digest username=\"").append(user).append("\", realm=\"").append(realm).append("\", nonce=\"")
                .append(nonce).append("\", uri=\"").append(uri).append("\", algorithm=").append(alg);
        if (qop != null && Arrays.stream(qop.split(",")).anyMatch(q -> q.trim().equals("auth"))) {
            String cnonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
            String resp = hex(alg, ha1 + ":" + nonce + ":00000001:" + cnonce + ":auth:" + ha2);
            b.append(", qop=auth, nc=00000001, cnonce=\"").append(cnonce).append("\", response=\"").append(resp).append('"');
        } else {
            b.append(", response=\"").append(hex(alg, ha1 + ":" + nonce + ":" + ha2)).append('"');
        }
        if (opaque != null) {
            b.append(", opaque=\"").append(opaque).append('"');
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ client transactions

    static final class Txn {
        final String branch;
        final byte[] bytes;
        final Sock sock;
        final Consumer<Msg> onFinal;
        final Runnable onTimeout;
        final long deadline;
        long next;
        long interval = T1;
        volatile boolean provisional;

        Txn(String branch, byte[] bytes, Sock sock, Consumer<Msg> onFinal, Runnable onTimeout) {
            this.branch = branch;
            this.bytes = bytes;
            this.sock = sock;
            this.onFinal = onFinal;
            this.onTimeout = onTimeout;
            long now = System.nanoTime() / 1_000_000;
            this.next = now + T1;
            this.deadline = now + TXN_TIMEOUT;
        }
    }

    static void sendTxn(Sock s, String branch, byte[] bytes, Consumer<Msg> onFinal, Runnable onTimeout) {
        txns.put(branch, new Txn(branch, bytes, s, onFinal, onTimeout));
        s.send(bytes);
    }

    static void retransmitLoop() {
        while (true) {
            try {
                Thread.sleep(20);
                long now = System.nanoTime() / 1_000_000;
                for (Txn t : txns.values()) {
                    if (now >= t.deadline) {
                        if (txns.remove(t.branch, t)) {
                            t.onTimeout.run();
                        }
                    } else if (now >= t.next && !t.provisional) {
                        t.interval = Math.min(t.interval * 2, T2);
                        t.next = now + t.interval;
                        retransmits.incrementAndGet();
                        t.sock.send(t.bytes);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                err("retransmit loop: " + e);
            }
        }
    }

    // ------------------------------------------------------------------ receiving

    static void handle(Sock s, String data, java.net.SocketAddress from, long now) {
        if (data.length() < 4 || data.isBlank()) {
            return; // keep-alive
        }
        Msg m;
        try {
            m = parse(data);
        } catch (RuntimeException e) {
            parseErrors.incrementAndGet();
            return;
        }
        if (m.method == null) {
            String via = m.h("via");
            String br = param(via, "branch");
            Txn t = br == null ? null : txns.get(br);
            if (t == null) {
                strayResponses.incrementAndGet(); // a retransmitted final response
                return;
            }
            if (m.status < 200) {
                t.provisional = true;
                return;
            }
            if (txns.remove(br, t)) {
                if (m.status == 503) {
                    status503.incrementAndGet();
                }
                rxTime.set(now);
                t.onFinal.accept(m);
            }
            return;
        }
        if (m.method.equals("NOTIFY")) {
            onNotify(s, m, from, now);
        } else {
            s.send(response(m, m.method.equals("OPTIONS") ? 200 : 405, null), from);
        }
    }

    /** The arrival time of the response being handled (per receiving thread). */
    static final ThreadLocal<Long> rxTimeHolder = new ThreadLocal<>();
    static final class RxTime {
        void set(long t) {
            rxTimeHolder.set(t);
        }

        long get() {
            Long t = rxTimeHolder.get();
            return t == null ? System.nanoTime() : t;
        }
    }
    static final RxTime rxTime = new RxTime();

    static byte[] response(Msg req, int status, String reason) {
        StringBuilder b = new StringBuilder(400);
        b.append("SIP/2.0 ").append(status).append(' ').append(reason != null ? reason
                : status == 200 ? "OK" : status == 481 ? "Call/Transaction Does Not Exist" : "Method Not Allowed").append("\r\n");
        for (String[] kv : req.headers) {
            if (kv[0].equals("via")) {
                b.append("Via: ").append(kv[1]).append("\r\n");
            }
        }
        b.append("From: ").append(req.h("from")).append("\r\n");
        String to = req.h("to");
        b.append("To: ").append(to);
        if (tag(to) == null) {
            b.append(";tag=").append(newId("t"));
        }
        b.append("\r\n");
        b.append("Call-ID: ").append(req.h("call-id")).append("\r\n");
        b.append("CSeq: ").append(req.h("cseq")).append("\r\n");
        b.append("Content-Length: 0\r\n\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static void onNotify(Sock s, Msg m, java.net.SocketAddress from, long now) {
        String callId = m.h("call-id");
        Dialog d = callId == null ? null : dialogs.get(callId);
        if (d == null) {
            notifyUnknown.incrementAndGet();
            s.send(response(m, 481, null), from);
            return;
        }
        s.send(response(m, 200, null), from); // answer first: the server's transaction is waiting
        long cseq = cseqNumber(m.h("cseq"));
        synchronized (d) {
            if (cseq <= d.lastCseq) {
                notifyDups.incrementAndGet(); // a retransmission (our 200 came late or was lost)
                return;
            }
            d.lastCseq = cseq;
            notifies.incrementAndGet();
            d.notifies++;
            if (d.remoteTag == null) {
                d.remoteTag = tag(m.h("from"));
            }
            String state = m.h("subscription-state");
            if (state != null && state.startsWith("terminated")) {
                d.terminated = state;
                terminated.incrementAndGet();
            }
            if (d.list) {
                d.applyList(m);
            } else {
                String mk = d.marker;
                if (mk != null && d.markerAt == 0 && m.body.contains(mk)) {
                    d.markerAt = now;
                }
            }
            if (d.firstNotifyAt == 0) {
                d.firstNotifyAt = now;
                d.firstState = state;
            }
        }
    }

    // ------------------------------------------------------------------ dialogs

    static final Pattern RESOURCE = Pattern.compile(
            "<resource uri=\"([^\"]+)\">.*?<instance [^>]*?state=\"(\\w+)\"(?: cid=\"([^\"]+)\")?", Pattern.DOTALL);
    static final Pattern CONTENT_ID = Pattern.compile("(?i)Content-ID:\\s*<([^>]+)>");

    static final class Dialog {
        final String callId;
        final String fromTag;
        final int user;
        final int presentity;
        final boolean list;
        final Sock sock;
        volatile String remoteTag;
        long sentAt;           // first SUBSCRIBE sent (sign-in: the REGISTER)
        long subSentAt;        // first SUBSCRIBE sent
        long okAt;             // its 200
        long firstNotifyAt;
        String firstState;
        int firstResources = -1;
        long lastCseq = -1;
        int notifies;
        volatile boolean failed;
        String failure;
        String terminated;
        volatile String marker;
        long markerAt;
        Map<String, Boolean> view;   // list: member URI -> open
        long viewChangedAt;

        Dialog(int user, int presentity, boolean list, Sock sock) {
            this.user = user;
            this.presentity = presentity;
            this.list = list;
            this.sock = sock;
            this.callId = newId("c") + "@bench";
            this.fromTag = newId("f");
            if (list) {
                view = new HashMap<>();
            }
        }

        /** RFC 4662: full state replaces the view, partial state updates the named resources. */
        void applyList(Msg m) {
            String body = m.body;
            Map<String, Boolean> cidOpen = new HashMap<>();
            String ct = m.h("content-type");
            String boundary = param(ct == null ? "" : ";" + ct, "boundary");
            if (boundary != null) {
                for (String part : body.split(Pattern.quote("--" + boundary))) {
                    Matcher cm = CONTENT_ID.matcher(part);
                    if (cm.find()) {
                        cidOpen.put(cm.group(1), part.contains("<basic>open</basic>"));
                    }
                }
            }
            boolean full = body.contains("fullState=\"true\"");
            if (full) {
                view.clear();
            }
            int n = 0;
            Matcher rm = RESOURCE.matcher(body);
            while (rm.find()) {
                n++;
                String cid = rm.group(3);
                view.put(rm.group(1), cid != null && Boolean.TRUE.equals(cidOpen.get(cid)));
            }
            if (firstResources < 0) {
                firstResources = n;
            }
            viewChangedAt = System.nanoTime();
        }

        int online() {
            int n = 0;
            for (Boolean b : view.values()) {
                if (b) {
                    n++;
                }
            }
            return n;
        }
    }

    // ------------------------------------------------------------------ operations (bounded by a window)

    abstract static class Op {
        Runnable done;
        volatile boolean finished;
        volatile boolean ok;
        String why;
        int attempts;

        abstract void start();

        void finish(boolean success, String reason) {
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
            }
            ok = success;
            why = reason;
            done.run();
        }

        /** 503: once more after Retry-After (at most 5 s), at most `retries` times. */
        boolean retryLater(Msg r) {
            if (r.status != 503 || ++attempts > retries) {
                return false;
            }
            long after = 1;
            try {
                String ra = r.h("retry-after");
                if (ra != null) {
                    after = Math.max(1, Math.min(5, Long.parseLong(ra.trim().split("[\\s;(]")[0])));
                }
            } catch (RuntimeException ignored) {
            }
            timer.schedule(this::start, after, TimeUnit.SECONDS);
            return true;
        }
    }

    /** Runs the ops, at most `window` at a time; returns {ok, failed, seconds}. */
    static final class Batch {
        final AtomicInteger okCount = new AtomicInteger(), failCount = new AtomicInteger();
        final Map<String, Integer> reasons = new ConcurrentHashMap<>();
        long started, ended;
        int n;

        Batch run(List<Op> ops, long limitMs) {
            n = ops.size();
            Semaphore slots = new Semaphore(window);
            AtomicInteger left = new AtomicInteger(ops.size());
            started = System.nanoTime();
            long deadline = System.currentTimeMillis() + limitMs;
            for (Op op : ops) {
                op.done = () -> {
                    if (op.ok) {
                        okCount.incrementAndGet();
                    } else {
                        failCount.incrementAndGet();
                        reasons.merge(op.why == null ? "?" : op.why, 1, Integer::sum);
                    }
                    left.decrementAndGet();
                    slots.release();
                };
                try {
                    if (!slots.tryAcquire(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    break;
                }
                op.start();
            }
            while (left.get() > 0 && System.currentTimeMillis() < deadline) {
                sleep(5);
            }
            ended = System.nanoTime();
            return this;
        }

        double seconds() {
            return (ended - started) / 1e9;
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** REGISTER (Expires 3600) with digest; the socket's address becomes exempt from the rate limit. */
    static final class RegisterOp extends Op {
        final int u;
        final Sock s;
        final String callId = newId("r") + "@bench";
        final String fromTag = newId("f");
        long cseq;

        RegisterOp(int u, Sock s) {
            this.u = u;
            this.s = s;
        }

        @Override
        void start() {
            send(null);
        }

        void send(String auth) {
            String br = branch();
            List<String> extra = new ArrayList<>(2);
            extra.add("Expires: 3600");
            if (auth != null) {
                extra.add("Authorization: " + auth);
            }
            String aor = "sip:" + user(u) + "@" + domain;
            byte[] b = request("REGISTER", "sip:" + domain, s, br, user(u), fromTag, aor, null, callId, ++cseq,
                    user(u), extra, null, null);
            sendTxn(s, br, b, r -> {
                if (r.status / 100 == 2) {
                    finish(true, null);
                } else if (r.status == 401 && auth == null) {
                    String a = answer(r.all("www-authenticate"), "REGISTER", "sip:" + domain, user(u));
                    if (a == null) {
                        finish(false, "REGISTER: no supported challenge");
                    } else {
                        send(a);
                    }
                } else if (!retryLater(r)) {
                    finish(false, "REGISTER " + r.status);
                }
            }, () -> finish(false, "REGISTER timeout"));
        }
    }

    /** SUBSCRIBE (Event: presence, Expires 3600) with digest; list = to the own list with Supported: eventlist. */
    static final class SubscribeOp extends Op {
        final Dialog d;
        long cseq;

        SubscribeOp(Dialog d) {
            this.d = d;
        }

        @Override
        void start() {
            long now = System.nanoTime();
            if (d.sentAt == 0) {
                d.sentAt = now;
            }
            if (d.subSentAt == 0) {
                d.subSentAt = now;
            }
            dialogs.put(d.callId, d);
            send(null);
        }

        void send(String auth) {
            String br = branch();
            String target = "sip:" + user(d.presentity) + "@" + domain;
            List<String> extra = new ArrayList<>(5);
            extra.add("Event: presence");
            extra.add("Expires: 3600");
            if (d.list) {
                extra.add("Supported: eventlist");
                extra.add("Accept: application/pidf+xml, application/rlmi+xml, multipart/related");
            } else {
                extra.add("Accept: application/pidf+xml");
            }
            if (auth != null) {
                extra.add("Proxy-Authorization: " + auth);
            }
            byte[] b = request("SUBSCRIBE", target, d.sock, br, user(d.user), d.fromTag, target, null, d.callId, ++cseq,
                    user(d.user), extra, null, null);
            sendTxn(d.sock, br, b, r -> {
                if (r.status / 100 == 2) {
                    d.okAt = rxTime.get();
                    if (d.remoteTag == null) {
                        d.remoteTag = tag(r.h("to"));
                    }
                    finish(true, null);
                } else if ((r.status == 407 || r.status == 401) && auth == null) {
                    String a = answer(r.all(r.status == 407 ? "proxy-authenticate" : "www-authenticate"), "SUBSCRIBE",
                            target, user(d.user));
                    if (a == null) {
                        fail("SUBSCRIBE: no supported challenge");
                    } else {
                        send(a);
                    }
                } else if (!retryLater(r)) {
                    fail("SUBSCRIBE " + r.status);
                }
            }, () -> fail("SUBSCRIBE timeout"));
        }

        void fail(String why) {
            d.failed = true;
            d.failure = why;
            finish(false, why);
        }
    }

    /** Two ops one after the other (sign-in: REGISTER, then SUBSCRIBE). */
    static final class SeqOp extends Op {
        final Op first;
        final Op second;
        final Dialog stamp;

        SeqOp(Op first, Op second, Dialog stamp) {
            this.first = first;
            this.second = second;
            this.stamp = stamp;
        }

        @Override
        void start() {
            if (stamp != null && stamp.sentAt == 0) {
                stamp.sentAt = System.nanoTime(); // sign-in time counts from the REGISTER
            }
            first.done = () -> {
                if (!first.ok) {
                    finish(false, first.why);
                    return;
                }
                second.done = () -> finish(second.ok, second.why);
                second.start();
            };
            first.start();
        }
    }

    /** PUBLISH of a PIDF document with a note (and optional RPID activity); SIP-If-Match after the first. */
    static final class PublishOp extends Op {
        final int u;
        final String marker;
        final String activity;
        final Sock s = publisherSock;
        final String callId = newId("p") + "@bench";
        final String fromTag = newId("f");
        long cseq;
        long okAt;

        PublishOp(int u, String marker, String activity) {
            this.u = u;
            this.marker = marker;
            this.activity = activity;
        }

        @Override
        void start() {
            send(null);
        }

        void send(String auth) {
            String br = branch();
            String aor = "sip:" + user(u) + "@" + domain;
            String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
                    + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\""
                    + " xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" entity=\"" + aor + "\">\r\n"
                    + " <tuple id=\"bench\"><status><basic>open</basic></status></tuple>\r\n"
                    + " <dm:person id=\"p\">"
                    + (activity.isEmpty() ? "" : "<rpid:activities><rpid:" + activity + "/></rpid:activities>")
                    + "<dm:note>" + marker + "</dm:note></dm:person>\r\n</presence>\r\n";
            List<String> extra = new ArrayList<>(4);
            extra.add("Event: presence");
            extra.add("Expires: 3600");
            String etag = etags.get(user(u));
            if (etag != null) {
                extra.add("SIP-If-Match: " + etag);
            }
            if (auth != null) {
                extra.add("Proxy-Authorization: " + auth);
            }
            byte[] b = request("PUBLISH", aor, s, br, user(u), fromTag, aor, null, callId, ++cseq, null, extra,
                    "application/pidf+xml", body);
            sendTxn(s, br, b, r -> {
                if (r.status / 100 == 2) {
                    okAt = rxTime.get();
                    String e = r.h("sip-etag");
                    if (e != null) {
                        etags.put(user(u), e.trim());
                    }
                    finish(true, null);
                } else if ((r.status == 407 || r.status == 401) && auth == null) {
                    String a = answer(r.all(r.status == 407 ? "proxy-authenticate" : "www-authenticate"), "PUBLISH",
                            aor, user(u));
                    if (a == null) {
                        finish(false, "PUBLISH: no supported challenge");
                    } else {
                        send(a);
                    }
                } else if (r.status == 412 && etag != null) {
                    etags.remove(user(u)); // the publication lapsed: publish anew
                    send(null);
                } else if (!retryLater(r)) {
                    finish(false, "PUBLISH " + r.status);
                }
            }, () -> finish(false, "PUBLISH timeout"));
        }
    }

    // ------------------------------------------------------------------ commands

    /** Registers users FROM..TO; the first user of each socket alone first, so every address is exempt. */
    static String register(int from, int to) {
        List<Op> first = new ArrayList<>();
        List<Op> rest = new ArrayList<>();
        boolean[] seen = new boolean[nSockets + 1];
        for (int u = from; u <= to; u++) {
            Sock s = sockOf(u);
            Op op = new RegisterOp(u, s);
            if (!seen[s.index]) {
                seen[s.index] = true;
                first.add(op);
            } else {
                rest.add(op);
            }
        }
        long t0 = System.nanoTime();
        Batch a = new Batch().run(first, waitMs);
        Batch b = new Batch().run(rest, waitMs);
        double secs = (System.nanoTime() - t0) / 1e9;
        Map<String, Integer> reasons = new HashMap<>(a.reasons);
        b.reasons.forEach((k, v) -> reasons.merge(k, v, Integer::sum));
        int ok = a.okCount.get() + b.okCount.get();
        return json("users", to - from + 1, "ok", ok, "failed", (to - from + 1) - ok, "seconds", secs,
                "per_second", ok / Math.max(secs, 1e-9), "reasons", reasons, "503s", status503.get());
    }

    /** The presentity registers from the publisher socket (it must be online to be shown so). */
    static String registerPublisher(int u) {
        Batch a = new Batch().run(List.of(new RegisterOp(u, publisherSock)), waitMs);
        return json("ok", a.okCount.get());
    }

    static String subscribe(int presentity, int from, int to) {
        String reg = registerPublisher(presentity);
        List<Dialog> ds = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        for (int u = from; u <= to; u++) {
            Dialog d = new Dialog(u, presentity, false, sockOf(u));
            ds.add(d);
            ops.add(new SubscribeOp(d));
        }
        long s503 = status503.get(), retx0 = retransmits.get(), dups0 = notifyDups.get();
        long t0 = System.nanoTime();
        Batch b = new Batch().run(ops, waitMs);
        double all200 = (System.nanoTime() - t0) / 1e9;
        long deadline = System.currentTimeMillis() + waitMs;
        while (System.currentTimeMillis() < deadline && ds.stream().anyMatch(d -> !d.failed && d.firstNotifyAt == 0)) {
            sleep(5);
        }
        double allNotify = (ds.stream().mapToLong(d -> d.firstNotifyAt).max().orElse(t0) - t0) / 1e9;
        List<Double> setup = new ArrayList<>(), okMs = new ArrayList<>(), lag = new ArrayList<>();
        int withNotify = 0;
        Map<String, Integer> states = new HashMap<>();
        for (Dialog d : ds) {
            if (d.okAt != 0) {
                okMs.add((d.okAt - d.sentAt) / 1e6);
            }
            if (d.firstNotifyAt != 0) {
                withNotify++;
                setup.add((d.firstNotifyAt - d.sentAt) / 1e6);
                if (d.okAt != 0) {
                    lag.add((d.firstNotifyAt - d.okAt) / 1e6);
                }
                states.merge(String.valueOf(d.firstState).split(";")[0], 1, Integer::sum);
            }
        }
        return json("presentity_registered", reg, "subscriptions", ds.size(), "ok", b.okCount.get(), "failed",
                b.failCount.get(), "reasons", b.reasons, "initial_notify", withNotify, "missing_notify",
                ds.size() - withNotify, "seconds_to_all_200", all200, "seconds_to_all_initial_notify", allNotify,
                "per_second", withNotify / Math.max(allNotify, 1e-9), "setup_ms", percentiles(setup), "ok_ms",
                percentiles(okMs), "notify_after_ok_ms", percentiles(lag), "states", states,
                "503s", status503.get() - s503, "retransmits", retransmits.get() - retx0, "notify_dups",
                notifyDups.get() - dups0);
    }

    static String publish(int u, String marker, String activity) {
        List<Dialog> watching = new ArrayList<>();
        for (Dialog d : dialogs.values()) {
            if (!d.list && d.presentity == u && !d.failed && d.terminated == null) {
                synchronized (d) {
                    d.marker = marker;
                    d.markerAt = 0;
                }
                watching.add(d);
            }
        }
        long notifiesBefore = notifies.get(), dupsBefore = notifyDups.get();
        PublishOp p = new PublishOp(u, marker, activity);
        long t0 = System.nanoTime();
        Batch b = new Batch().run(List.of(p), waitMs);
        if (b.okCount.get() != 1) {
            return json("error", "PUBLISH failed: " + b.reasons);
        }
        long ok = p.okAt;
        long deadline = System.currentTimeMillis() + waitMs;
        while (System.currentTimeMillis() < deadline && watching.stream().anyMatch(d -> d.markerAt == 0 && d.terminated == null)) {
            sleep(2);
        }
        List<Double> lat = new ArrayList<>();
        long last = ok;
        long firstAt = Long.MAX_VALUE;
        int got = 0;
        for (Dialog d : watching) {
            if (d.markerAt != 0) {
                got++;
                lat.add((d.markerAt - ok) / 1e6);
                last = Math.max(last, d.markerAt);
                firstAt = Math.min(firstAt, d.markerAt);
            }
        }
        return json("watchers", watching.size(), "received", got, "missing", watching.size() - got,
                "publish_ms", (ok - t0) / 1e6, "fanout_ms", (last - ok) / 1e6,
                "first_ms", got == 0 ? 0 : (firstAt - ok) / 1e6, "latency_ms", percentiles(lat),
                "notifies", notifies.get() - notifiesBefore, "retransmitted_notifies", notifyDups.get() - dupsBefore,
                "per_second", got / Math.max((last - ok) / 1e9, 1e-9));
    }

    /** Login storm: (REGISTER then) SUBSCRIBE to the own contact list, FROM..TO, `window` users at a time. */
    static String listStorm(int from, int to, int contacts, boolean register) {
        List<Dialog> ds = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        List<Op> first = new ArrayList<>();
        boolean[] seen = new boolean[nSockets + 1];
        for (int u = from; u <= to; u++) {
            Sock s = sockOf(u);
            Dialog d = new Dialog(u, u, true, s);
            ds.add(d);
            Op sub = new SubscribeOp(d);
            Op op = register ? new SeqOp(new RegisterOp(u, s), sub, d) : sub;
            if (register && !seen[s.index]) {
                seen[s.index] = true;
                first.add(op); // one user per address first: its 2xx to REGISTER exempts the address
            } else {
                ops.add(op);
            }
        }
        long s503 = status503.get(), retx0 = retransmits.get(), dups0 = notifyDups.get();
        long t0 = System.nanoTime();
        Batch a = new Batch().run(first, waitMs);
        Batch b = new Batch().run(ops, waitMs);
        double allOk = (System.nanoTime() - t0) / 1e9;
        long deadline = System.currentTimeMillis() + waitMs;
        while (System.currentTimeMillis() < deadline && ds.stream().anyMatch(d -> !d.failed && d.firstNotifyAt == 0)) {
            sleep(5);
        }
        long lastNotify = t0;
        List<Double> setup = new ArrayList<>(), okMs = new ArrayList<>(), lag = new ArrayList<>();
        int withNotify = 0, complete = 0;
        long resources = 0;
        for (Dialog d : ds) {
            synchronized (d) {
                if (d.okAt != 0) {
                    okMs.add((d.okAt - d.subSentAt) / 1e6);
                    if (d.firstNotifyAt != 0) {
                        lag.add((d.firstNotifyAt - d.okAt) / 1e6);
                    }
                }
                if (d.firstNotifyAt != 0) {
                    withNotify++;
                    lastNotify = Math.max(lastNotify, d.firstNotifyAt);
                    setup.add((d.firstNotifyAt - d.sentAt) / 1e6);
                    resources += Math.max(0, d.firstResources);
                    if (d.firstResources == contacts) {
                        complete++;
                    }
                }
            }
        }
        Map<String, Integer> reasons = new HashMap<>(a.reasons);
        b.reasons.forEach((k, v) -> reasons.merge(k, v, Integer::sum));
        double secs = (lastNotify - t0) / 1e9;
        return json("users", ds.size(), "ok", a.okCount.get() + b.okCount.get(), "failed",
                a.failCount.get() + b.failCount.get(), "reasons", reasons, "initial_notify", withNotify,
                "missing_notify", ds.size() - withNotify, "lists_complete", complete,
                "resources_in_initial", resources, "seconds_to_all_ok", allOk, "seconds_to_all_initial_notify", secs,
                "per_second", withNotify / Math.max(secs, 1e-9), "signin_ms", percentiles(setup),
                "ok_ms", percentiles(okMs), "notify_after_ok_ms", percentiles(lag),
                "503s", status503.get() - s503, "retransmits", retransmits.get() - retx0, "notify_dups",
                notifyDups.get() - dups0, "notifies", notifies.get());
    }

    /** What the list subscriptions of FROM..TO show now: members seen online. */
    static String view(int from, int to, int contacts) {
        int lists = 0, allOnline = 0, withView = 0;
        long online = 0, entries = 0, notes = 0;
        long lastChange = 0;
        int[] hist = new int[5];
        for (Dialog d : dialogs.values()) {
            if (!d.list || d.user < from || d.user > to) {
                continue;
            }
            lists++;
            synchronized (d) {
                if (d.firstNotifyAt == 0) {
                    continue;
                }
                withView++;
                int on = d.online();
                online += on;
                entries += d.view.size();
                notes += d.notifies;
                lastChange = Math.max(lastChange, d.viewChangedAt);
                if (on == contacts) {
                    allOnline++;
                }
                hist[Math.min(4, (int) (4.0 * on / Math.max(1, contacts)))]++;
            }
        }
        return json("lists", lists, "with_view", withView, "members", entries, "online", online,
                "lists_all_online", allOnline, "notifies_total", notes,
                "online_quartiles", Arrays.toString(hist), "seconds_since_last_change",
                lastChange == 0 ? -1 : (System.nanoTime() - lastChange) / 1e9);
    }

    static String stats() {
        return json("rx", rxPackets.get(), "tx", txPackets.get(), "bytes_in", bytesIn.get(), "retransmits",
                retransmits.get(), "notifies", notifies.get(), "notify_dups", notifyDups.get(), "notify_unknown",
                notifyUnknown.get(), "parse_errors", parseErrors.get(), "503s", status503.get(), "terminated",
                terminated.get(), "stray_responses", strayResponses.get(), "open_txns", txns.size(),
                "dialogs", dialogs.size());
    }

    // ------------------------------------------------------------------ output

    static Map<String, Object> percentiles(List<Double> v) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        if (v.isEmpty()) {
            return m;
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        m.put("n", a.length);
        m.put("min", a[0]);
        m.put("p50", a[(int) Math.min(a.length - 1, Math.floor(0.50 * a.length))]);
        m.put("p90", a[(int) Math.min(a.length - 1, Math.floor(0.90 * a.length))]);
        m.put("p99", a[(int) Math.min(a.length - 1, Math.floor(0.99 * a.length))]);
        m.put("max", a[a.length - 1]);
        return m;
    }

    static String json(Object... kv) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) {
                b.append(", ");
            }
            b.append('"').append(kv[i]).append("\": ");
            value(b, kv[i + 1]);
        }
        return b.append('}').toString();
    }

    static void value(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Number || v instanceof Boolean) {
            if (v instanceof Double dv && (dv.isNaN() || dv.isInfinite())) {
                b.append("null");
            } else {
                b.append(v);
            }
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean firstEntry = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!firstEntry) {
                    b.append(", ");
                }
                firstEntry = false;
                b.append('"').append(escape(String.valueOf(e.getKey()))).append("\": ");
                value(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof String s && s.startsWith("{")) {
            b.append(s); // an already rendered object
        } else {
            b.append('"').append(escape(String.valueOf(v))).append('"');
        }
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ").replace("\r", " ");
    }
}
