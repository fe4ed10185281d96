package org.confab.sip.message;

import static org.junit.Assert.assertTrue;

import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.Test;

/**
 * Differential parsing against the JAIN-SIP reference implementation (NIST, javax.sip:jain-sip-ri,
 * test scope only): the RFC 4475 and RFC 5118 messages plus variations generated from clean base
 * messages (header case, compact forms, folding, whitespace, parameter order, bad numbers, missing
 * headers, truncations, ...). Both parsers must agree on accept/reject and on the fields routing uses
 * (method, Request-URI, top Via host/port/branch, From/To tags, Call-ID, CSeq, Max-Forwards). Every
 * known disagreement is listed in {@link #EXPLAINED} with why; any other one fails the test.
 *
 * <p>"Accepted" for Confab means what the transport needs before routing: the message parses and its
 * routing fields can be read. For JAIN-SIP it means {@code StringMsgParser} (non-strict, as its stack
 * runs it) parses it and the mandatory headers its stack checks (Via, From, To, Call-ID, CSeq) are present.
 */
public class DifferentialParsingTest {

    /** Explanations, keyed by "variation:direction" (direction: confab-only, jain-only, or a field name). */
    static final Map<String, String> EXPLAINED = new LinkedHashMap<>();

    private static void explain(String why, String... keys) {
        for (String k : keys) {
            EXPLAINED.put(k, why);
        }
    }

    static {
        explain("RFC 3261 §8.1.1.6 makes Max-Forwards 0-255 (1*2DIGIT in practice); JAIN-SIP's MaxForwards "
                + "takes any int, Confab refuses a value above 255 with 400", "mf-huge:confab-rejects");
        String lenient = "JAIN-SIP's StringMsgParser in non-strict mode (the mode its stack uses) skips or keeps what it "
                + "cannot use; Confab refuses with 400 what the RFC 3261 §25 grammar forbids: ";
        explain(lenient + "Max-Forwards is 1*DIGIT (§20.22)", "mf-bad:confab-rejects", "mf-negative:confab-rejects",
                "mf-overflow:confab-rejects");
        explain(lenient + "the CSeq method must equal the request method (§8.1.1.5, RFC 4475 §3.1.2.15 mismatch01)",
                "method-lower:confab-rejects", "cseq-lowercase-method:confab-rejects", "rfc4475/mismatch01:confab-rejects");
        explain(lenient + "From, To, Call-ID and CSeq appear once (§20; JAIN keeps the first)", "two-from:confab-rejects",
                "two-call-ids:confab-rejects");
        explain(lenient + "a NUL is not allowed in a header value (TEXT-UTF8 / word)", "nul-in-header:confab-rejects");
        explain(lenient + "a header name is a token (no space)", "header-space-in-name:confab-rejects");
        explain(lenient + "the Request-Line elements are separated by single SP (§7.1, RFC 4475 §3.1.2.9 lwsstart, "
                + "§3.1.2.10 trws)", "double-space-start:confab-rejects", "rfc4475/lwsstart:confab-rejects",
                "rfc4475/trws:confab-rejects");
        explain(lenient + "Content-Length is 1*DIGIT (RFC 4475 §3.1.2.3 ncl)", "cl-bad:confab-rejects",
                "rfc4475/ncl:confab-rejects");
        explain("a message without the empty line after its headers, or with fewer body bytes than Content-Length, "
                + "is incomplete (RFC 3261 §18.3; on UDP a truncated datagram); JAIN-SIP parses what is there",
                "cut-before-blank-line:confab-rejects", "cut-90:confab-rejects", "rfc4475/mcl01:confab-rejects");
        explain(lenient + "port = 1*DIGIT within 0-65535 (§25.1)", "port-huge:confab-rejects", "port-bad:confab-rejects");
        explain("another SIP version is an error with status 505 (RFC 3261 §21.5.15, RFC 4475 §3.1.2.16 badvers) so the "
                + "transport answers 505; JAIN-SIP parses the version as text", "version-3:confab-rejects", "rfc4475/badvers:confab-rejects");
        explain("the SIP-Version is case-insensitive (RFC 3261 §7.1: 'SIP-Version string is case-insensitive'); "
                + "JAIN-SIP only knows upper case", "version-lower:jain-rejects");
        explain(lenient + "the Status-Code is 3DIGIT (§7.2)", "status-bad:confab-rejects");
        explain("tag = token (RFC 3261 §25.1); a quoted tag is kept verbatim by Confab (so it matches only itself), "
                + "JAIN-SIP removes the quotes", "tag-quoted-from:from.tag");
        explain("Confab unescapes the user part of a SIP URI (RFC 3261 §19.1.4 compares unescaped), JAIN-SIP returns it "
                + "as written; same user", "rfc4475/esc01:ruri", "rfc4475/semiuri:ruri");
        explain(lenient + "a Request-URI must not carry headers ('?', RFC 3261 §19.1.1 table, RFC 4475 §3.1.2.11 escruri)",
                "rfc4475/escruri:confab-rejects");
        explain(lenient + "addr-spec with spaces in it and an unquoted display name with a comma must be refused "
                + "(RFC 4475 §3.1.2.14 badaspec, §3.1.2.15 baddn)", "rfc4475/badaspec:confab-rejects",
                "rfc4475/baddn:confab-rejects");
        explain(lenient + "RFC 4475 §3.1.2.17 mismatch02: unknown method in the CSeq with another in the request line",
                "rfc4475/mismatch02:confab-rejects");
        explain(lenient + "RFC 5118 §4.1 ipv6-bad (IPv6 reference without brackets) and §4.6 the 3-colon ABNF bug "
                + "are invalid", "rfc5118/ipv6-bad:confab-rejects", "rfc5118/ipv6-bug-abnf-3-colons:confab-rejects");
    }

    /** What one parser made of one message. */
    record Outcome(boolean accepted, String error, Map<String, String> fields) {
        static Outcome rejected(String error) {
            return new Outcome(false, error, Map.of());
        }
    }

    // ------------------------------------------------------------------ the two parsers

    static Outcome confab(byte[] data) {
        try {
            SipMessage m = SipParser.parse(data);
            Map<String, String> f = new TreeMap<>();
            if (m instanceof SipRequest r) {
                f.put("method", r.method());
                f.put("ruri", uriKey(r.requestUri() instanceof org.confab.sip.message.SipUri su
                        ? new String[] {su.scheme(), su.user(), su.host(), Integer.toString(su.port())}
                        : new String[] {r.requestUri().scheme()}));
            }
            org.confab.sip.message.Via v = m.topVia();
            if (v == null || m.from() == null || m.to() == null || m.callId() == null || m.cseq() == null) {
                return Outcome.rejected("missing mandatory header");
            }
            f.put("via.host", host(v.host()));
            f.put("via.port", Integer.toString(v.port()));
            f.put("via.branch", String.valueOf(v.branch()));
            f.put("from.tag", String.valueOf(m.from().tag()));
            f.put("to.tag", String.valueOf(m.to().tag()));
            f.put("call-id", m.callId());
            f.put("cseq", m.cseq().number() + " " + m.cseq().method());
            f.put("max-forwards", Integer.toString(m.maxForwards()));
            return new Outcome(true, null, f);
        } catch (SipParseException | IllegalArgumentException e) {
            return Outcome.rejected(e.getMessage());
        }
    }

    static Outcome jain(byte[] data) {
        try {
            SIPMessage m = new StringMsgParser().parseSIPMessage(data, true, false, null);
            if (m == null) {
                return Outcome.rejected("nothing parsed");
            }
            Map<String, String> f = new TreeMap<>();
            if (m instanceof SIPRequest r) {
                f.put("method", r.getMethod());
                f.put("ruri", uriKey(r.getRequestURI() instanceof SipUri su
                        ? new String[] {su.getScheme(), su.getUser(), su.getHost(), Integer.toString(su.getPort())}
                        : new String[] {r.getRequestURI().getScheme()}));
            }
            Via v = m.getTopmostVia();
            if (v == null || m.getFrom() == null || m.getTo() == null || m.getCallId() == null || m.getCSeq() == null) {
                return Outcome.rejected("missing mandatory header");
            }
            f.put("via.host", host(v.getHost()));
            f.put("via.port", Integer.toString(v.getPort()));
            f.put("via.branch", String.valueOf(v.getBranch()));
            f.put("from.tag", String.valueOf(m.getFrom().getTag()));
            f.put("to.tag", String.valueOf(m.getTo().getTag()));
            f.put("call-id", m.getCallId().getCallId());
            f.put("cseq", m.getCSeq().getSeqNumber() + " " + m.getCSeq().getMethod());
            f.put("max-forwards", m.getMaxForwards() == null ? "-1" : Integer.toString(m.getMaxForwards().getMaxForwards()));
            return new Outcome(true, null, f);
        } catch (Exception | StackOverflowError e) {
            return Outcome.rejected(e.toString());
        }
    }

    private static String uriKey(String[] parts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            sb.append(i == 2 ? host(p) : p == null ? "" : i == 0 ? p.toLowerCase(Locale.ROOT) : p).append('|');
        }
        return sb.toString();
    }

    private static String host(String h) {
        if (h == null) {
            return "null";
        }
        String s = h.toLowerCase(Locale.ROOT);
        return s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    }

    // ------------------------------------------------------------------ the corpus

    record Case(String name, String variation, byte[] data) {
    }

    static final String[] BASES = {
        "REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-reg1;rport\r\n"
                + "Max-Forwards: 70\r\nFrom: \"Alice\" <sip:alice@example.com>;tag=f1\r\nTo: <sip:alice@example.com>\r\n"
                + "Call-ID: reg-1@192.0.2.10\r\nCSeq: 1 REGISTER\r\nContact: <sip:alice@192.0.2.10:5060>;expires=3600\r\n"
                + "Content-Length: 0\r\n\r\n",
        "MESSAGE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.10:50123;branch=z9hG4bK-m1\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=a1\r\nTo: \"Bob\" <sip:bob@example.com>\r\n"
                + "Call-ID: m1@example.com\r\nCSeq: 7 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
        "INVITE sip:bob@example.com;transport=tcp SIP/2.0\r\nVia: SIP/2.0/TCP client.example.com:5060;branch=z9hG4bK74bf9\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKfirst\r\nMax-Forwards: 69\r\n"
                + "From: Alice <sip:alice@example.com>;tag=9fxced76sl\r\nTo: Bob <sip:bob@example.com>\r\n"
                + "Call-ID: 3848276298220188511@client.example.com\r\nCSeq: 2 INVITE\r\n"
                + "Contact: <sip:alice@client.example.com;transport=tcp>\r\nContent-Type: application/sdp\r\n"
                + "Content-Length: 10\r\n\r\nv=0\r\no=- 1",
        "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-reg1;received=198.51.100.1;rport=6000\r\n"
                + "From: <sip:alice@example.com>;tag=f1\r\nTo: <sip:alice@example.com>;tag=t9\r\n"
                + "Call-ID: reg-1@192.0.2.10\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n",
        "OPTIONS sip:[2001:db8::10]:5070 SIP/2.0\r\nVia: SIP/2.0/UDP [2001:db8::9]:5060;branch=z9hG4bK-o6\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@[2001:db8::9]>;tag=o1\r\nTo: <sip:[2001:db8::10]:5070>\r\n"
                + "Call-ID: opt6\r\nCSeq: 3 OPTIONS\r\nContent-Length: 0\r\n\r\n",
        "SUBSCRIBE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP 10.0.0.5:5061;branch=z9hG4bK.sub;alias\r\n"
                + "Max-Forwards: 10\r\nFrom: <sip:alice@example.com>;tag=s1\r\nTo: <sip:bob@example.com>\r\n"
                + "Call-ID: sub-42\r\nCSeq: 100 SUBSCRIBE\r\nEvent: presence\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n",
        "BYE sip:alice@192.0.2.10:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.3;branch=z9hG4bK-bye\r\n"
                + "Max-Forwards: 0\r\nFrom: <sip:bob@example.com>;tag=b2\r\nTo: <sip:alice@example.com>;tag=a3\r\n"
                + "Call-ID: dlg-5\r\nCSeq: 31 BYE\r\nContent-Length: 0\r\n\r\n",
        "SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/TCP client.example.com:5060;branch=z9hG4bK74bf9\r\n"
                + "From: Alice <sip:alice@example.com>;tag=9fxced76sl\r\nTo: Bob <sip:bob@example.com>;tag=8321234356\r\n"
                + "Call-ID: 3848276298220188511@client.example.com\r\nCSeq: 2 INVITE\r\nContent-Length: 0\r\n\r\n",
        "NOTIFY sip:alice@192.0.2.10 SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.4:5080;branch=z9hG4bKnot;ttl=1\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:bob@example.com>;tag=n7\r\nTo: <sip:alice@example.com>;tag=s1\r\n"
                + "Call-ID: sub-42\r\nCSeq: 5 NOTIFY\r\nEvent: presence\r\nSubscription-State: active;expires=599\r\n"
                + "Content-Length: 0\r\n\r\n",
        "MESSAGE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.20;branch=z9hG4bKmsg2\r\n"
                + "Max-Forwards: 70\r\nFrom: sip:carol@example.com;tag=c1\r\nTo: sip:bob@example.com\r\n"
                + "Call-ID: m2\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n",
    };

    private static final Map<String, String> COMPACT = Map.of("Via", "v", "From", "f", "To", "t", "Call-ID", "i",
            "Contact", "m", "Content-Length", "l", "Content-Type", "c", "Event", "o");

    /** Each variation: a name and a text transformation of a base message (header section only unless said). */
    static Map<String, UnaryOperator<String>> variations() {
        Map<String, UnaryOperator<String>> v = new LinkedHashMap<>();
        v.put("identity", s -> s);
        v.put("names-lower", s -> mapHeaders(s, (n, val) -> n.toLowerCase(Locale.ROOT) + ": " + val));
        v.put("names-upper", s -> mapHeaders(s, (n, val) -> n.toUpperCase(Locale.ROOT) + ": " + val));
        v.put("compact", s -> mapHeaders(s, (n, val) -> COMPACT.getOrDefault(n, n) + ": " + val));
        v.put("colon-space", s -> mapHeaders(s, (n, val) -> n + " :   " + val));
        v.put("colon-tab", s -> mapHeaders(s, (n, val) -> n + "\t:\t" + val));
        v.put("no-space", s -> mapHeaders(s, (n, val) -> n + ":" + val));
        v.put("trailing-space", s -> mapHeaders(s, (n, val) -> n + ": " + val + "  "));
        v.put("fold-from", s -> mapHeaders(s, (n, val) -> n.equals("From") ? n + ":\r\n " + val : n + ": " + val));
        v.put("fold-via", s -> mapHeaders(s, (n, val) -> n.equals("Via") ? n + ": " + val.replaceFirst(" ", "\r\n\t ")
                : n + ": " + val));
        v.put("via-params-reordered", s -> mapHeaders(s, (n, val) -> n.equals("Via") ? n + ": " + reorderParams(val)
                : n + ": " + val));
        v.put("via-param-spaces", s -> mapHeaders(s, (n, val) -> n.equals("Via") ? n + ": " + val.replace(";", " ; ")
                : n + ": " + val));
        v.put("via-split", s -> s.replace("Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKfirst\r\n", "")
                .replaceFirst("(Via: [^\r]*)\r\n", "$1, SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKfirst\r\n"));
        v.put("mf-bad", s -> s.replaceFirst("Max-Forwards: [0-9]+", "Max-Forwards: abc"));
        v.put("mf-negative", s -> s.replaceFirst("Max-Forwards: [0-9]+", "Max-Forwards: -1"));
        v.put("mf-huge", s -> s.replaceFirst("Max-Forwards: [0-9]+", "Max-Forwards: 300"));
        v.put("mf-overflow", s -> s.replaceFirst("Max-Forwards: [0-9]+", "Max-Forwards: 99999999999999999999"));
        v.put("mf-missing", s -> s.replaceFirst("Max-Forwards: [0-9]+\r\n", ""));
        v.put("cseq-bad", s -> s.replaceFirst("CSeq: [0-9]+", "CSeq: x1"));
        v.put("cseq-negative", s -> s.replaceFirst("CSeq: [0-9]+", "CSeq: -4"));
        v.put("cseq-2^31", s -> s.replaceFirst("CSeq: [0-9]+", "CSeq: 2147483648"));
        v.put("cseq-overflow", s -> s.replaceFirst("CSeq: [0-9]+", "CSeq: 184467440737095516160"));
        v.put("cseq-no-method", s -> s.replaceFirst("CSeq: ([0-9]+) [A-Z]+", "CSeq: $1"));
        v.put("cseq-lowercase-method", s -> s.replaceFirst("CSeq: ([0-9]+) ([A-Z]+)", "CSeq: $1 x$2"));
        v.put("port-bad", s -> s.replaceFirst("(Via: SIP/2.0/[A-Z]+ [^;:\\]]+\\]?):?[0-9]*;", "$1:99x;"));
        v.put("port-huge", s -> s.replaceFirst("(Via: SIP/2.0/[A-Z]+ [^;:\\]]+\\]?):?[0-9]*;", "$1:999999;"));
        v.put("version-3", s -> s.replaceFirst("SIP/2\\.0", "SIP/3.0"));
        v.put("version-lower", s -> s.startsWith("SIP/") ? "sip/2.0" + s.substring(7) : s.replaceFirst(" SIP/2\\.0\r\n", " sip/2.0\r\n"));
        v.put("status-bad", s -> s.startsWith("SIP/") ? s.replaceFirst("SIP/2\\.0 [0-9]+", "SIP/2.0 2x0") : s);
        v.put("method-lower", s -> s.startsWith("SIP/") ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1));
        v.put("ruri-space", s -> s.startsWith("SIP/") ? s : s.replaceFirst(" sip:", " sip: "));
        v.put("ruri-angle", s -> s.startsWith("SIP/") ? s : s.replaceFirst(" (sip:[^ ]+) SIP", " <$1> SIP"));
        v.put("double-space-start", s -> s.replaceFirst(" ", "  "));
        v.put("no-via", s -> removeHeader(s, "Via"));
        v.put("no-from", s -> removeHeader(s, "From"));
        v.put("no-to", s -> removeHeader(s, "To"));
        v.put("no-call-id", s -> removeHeader(s, "Call-ID"));
        v.put("no-cseq", s -> removeHeader(s, "CSeq"));
        v.put("two-call-ids", s -> s.replaceFirst("(Call-ID: [^\r]*\r\n)", "$1Call-ID: other\r\n"));
        v.put("two-from", s -> s.replaceFirst("(From: [^\r]*\r\n)", "$1From: <sip:eve@example.com>;tag=e\r\n"));
        v.put("tag-quoted-from", s -> s.replaceFirst("(From: [^\r]*);tag=", "$1;tag=\"q\";x="));
        v.put("from-unclosed-angle", s -> s.replaceFirst("From: ([^<\r]*)<([^>\r]*)>", "From: $1<$2"));
        v.put("from-unbalanced-quote", s -> s.replaceFirst("From: ", "From: \"Eve "));
        v.put("header-no-colon", s -> s.replaceFirst("(Call-ID: [^\r]*\r\n)", "$1Broken header line\r\n"));
        v.put("header-space-in-name", s -> s.replaceFirst("(Call-ID: [^\r]*\r\n)", "$1X Bad: v\r\n"));
        v.put("unknown-header", s -> s.replaceFirst("(Call-ID: [^\r]*\r\n)", "$1X-Whatever: ;;,,\"\r\n"));
        v.put("lf-only", s -> s.replace("\r\n", "\n"));
        v.put("leading-crlf", s -> "\r\n" + s);
        v.put("nul-in-header", s -> s.replaceFirst("Call-ID: ", "Call-ID: a\u0000b"));
        v.put("cl-too-big", s -> s.replaceFirst("Content-Length: ([0-9]+)", "Content-Length: 9$1"));
        v.put("cl-bad", s -> s.replaceFirst("Content-Length: [0-9]+", "Content-Length: five"));
        v.put("cl-missing", s -> removeHeader(s, "Content-Length"));
        v.put("cut-25", s -> s.substring(0, s.length() / 4));
        v.put("cut-50", s -> s.substring(0, s.length() / 2));
        v.put("cut-90", s -> s.substring(0, s.length() * 9 / 10));
        v.put("cut-before-blank-line", s -> s.substring(0, s.indexOf("\r\n\r\n") + 2));
        v.put("empty", s -> "");
        return v;
    }

    private interface HeaderMapper {
        String map(String name, String value);
    }

    /** Rewrites every header line "Name: value" of the header section (not folded continuations). */
    static String mapHeaders(String msg, HeaderMapper f) {
        int end = msg.indexOf("\r\n\r\n");
        String head = msg.substring(0, end);
        String[] lines = head.split("\r\n");
        StringBuilder sb = new StringBuilder(lines[0]);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(": ");
            sb.append("\r\n").append(colon < 0 ? lines[i] : f.map(lines[i].substring(0, colon), lines[i].substring(colon + 2)));
        }
        return sb.append(msg.substring(end)).toString();
    }

    static String removeHeader(String msg, String name) {
        return msg.replaceAll("(?m)^" + name + ": [^\r]*\r\n", "");
    }

    static String reorderParams(String via) {
        String[] parts = via.split(";");
        StringBuilder sb = new StringBuilder(parts[0]);
        for (int i = parts.length - 1; i >= 1; i--) {
            sb.append(';').append(parts[i]);
        }
        return sb.toString();
    }

    static List<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        for (String n : TortureSuiteTest.RFC4475.keySet()) {
            cases.add(new Case("rfc4475/" + n, "rfc4475/" + n, TortureSuiteTest.load("rfc4475", n)));
        }
        for (String n : TortureSuiteTest.RFC5118.keySet()) {
            cases.add(new Case("rfc5118/" + n, "rfc5118/" + n, TortureSuiteTest.load("rfc5118", n)));
        }
        Map<String, UnaryOperator<String>> vs = variations();
        for (int b = 0; b < BASES.length; b++) {
            for (Map.Entry<String, UnaryOperator<String>> e : vs.entrySet()) {
                String text = e.getValue().apply(BASES[b]);
                cases.add(new Case("base" + b + "/" + e.getKey(), e.getKey(), text.getBytes(StandardCharsets.ISO_8859_1)));
            }
        }
        return cases;
    }

    // ------------------------------------------------------------------ the comparison

    /** The disagreements of one case, each as "variation:direction". */
    static List<String> disagreements(Outcome c, Outcome j, String variation) {
        List<String> out = new ArrayList<>();
        if (c.accepted() != j.accepted()) {
            out.add(variation + (c.accepted() ? ":jain-rejects" : ":confab-rejects"));
        } else if (c.accepted()) {
            for (String field : c.fields().keySet()) {
                if (!Objects.equals(c.fields().get(field), j.fields().get(field))) {
                    out.add(variation + ":" + field);
                }
            }
        }
        return out;
    }

    @Test
    public void confabAgreesWithJainSipOrTheDisagreementIsExplained() {
        List<Case> cases = corpus();
        assertTrue("corpus of at least 500 messages: " + cases.size(), cases.size() >= 500);
        List<String> unexplained = new ArrayList<>();
        Map<String, Integer> explainedSeen = new TreeMap<>();
        int agreedAccept = 0;
        int agreedReject = 0;
        for (Case k : cases) {
            Outcome c = confab(k.data());
            Outcome j = jain(k.data());
            List<String> d = disagreements(c, j, k.variation());
            if (d.isEmpty()) {
                if (c.accepted()) {
                    agreedAccept++;
                } else {
                    agreedReject++;
                }
            }
            for (String key : d) {
                if (EXPLAINED.containsKey(key)) {
                    explainedSeen.merge(key, 1, Integer::sum);
                } else {
                    unexplained.add(k.name() + " [" + key + "]\n    confab: " + (c.accepted() ? c.fields() : c.error())
                            + "\n    jain:   " + (j.accepted() ? j.fields() : j.error()));
                }
            }
        }
        System.out.printf("Differential parsing: %d messages, %d accepted by both, %d rejected by both, "
                + "explained disagreements %s, unexplained %d%n", cases.size(), agreedAccept, agreedReject,
                explainedSeen, unexplained.size());
        assertTrue(unexplained.size() + " unexplained disagreements:\n" + String.join("\n", unexplained),
                unexplained.isEmpty());
        for (String key : EXPLAINED.keySet()) {
            assertTrue("explanation no longer needed (parsers now agree): " + key, explainedSeen.containsKey(key));
        }
    }
}
