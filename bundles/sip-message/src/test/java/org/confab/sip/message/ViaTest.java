package org.confab.sip.message;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.Test;

/**
 * Via keeps its parameters as text and edits that text in {@link Via#withParameter}: the result
 * must be what writing the whole Via anew from a copied map gave, for canonical and odd texts.
 */
public class ViaTest {

    /** What withParameter returned when it copied the parameter map and wrote the whole Via anew. */
    private static String rewritten(Via v, String name, String value) {
        Map<String, String> p = new LinkedHashMap<>(v.parameters());
        p.put(name.toLowerCase(), value == null ? "" : value);
        StringBuilder sb = new StringBuilder(v.protocol()).append('/').append(v.transport()).append(' ').append(v.host());
        if (v.port() >= 0) {
            sb.append(':').append(v.port());
        }
        for (Map.Entry<String, String> e : p.entrySet()) {
            sb.append(';').append(e.getKey());
            if (!e.getValue().isEmpty()) {
                sb.append('=').append(e.getValue());
            }
        }
        return sb.toString();
    }

    private static void assertSameAsRewrite(String via, String name, String value) throws SipParseException {
        Via v = Via.parse(via);
        Map<String, String> before = new LinkedHashMap<>(v.parameters());
        Via w = v.withParameter(name, value);
        assertEquals(via + " with " + name + "=" + value, rewritten(v, name, value), w.toString());
        // the typed reads of the edited Via agree with its parameter map and with a parse of its text
        Map<String, String> p = w.parameters();
        assertEquals(p.get("branch"), w.branch());
        assertEquals(p.get("received"), w.received());
        assertEquals(p.containsKey("rport"), w.hasRport());
        assertEquals(p, Via.parse(w.toString()).parameters());
        assertEquals(Via.parse(w.toString()), w);
        // the original is untouched
        assertEquals(via.trim(), v.toString());
        assertEquals(before, v.parameters());
    }

    @Test
    public void receivedIsReplacedWhenPresentAndAddedWhenAbsent() throws Exception {
        Via v = Via.parse("SIP/2.0/UDP 192.0.2.10:5060;received=10.0.0.1;branch=z9hG4bK776");
        Via w = v.withParameter("received", "192.0.2.77");
        assertEquals("SIP/2.0/UDP 192.0.2.10:5060;received=192.0.2.77;branch=z9hG4bK776", w.toString());
        assertEquals("192.0.2.77", w.received());
        assertEquals("z9hG4bK776", w.branch());
        assertEquals("10.0.0.1", v.received());

        Via added = Via.parse("SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776").withParameter("received", "192.0.2.77");
        assertEquals("SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776;received=192.0.2.77", added.toString());
        assertEquals("192.0.2.77", added.received());
    }

    @Test
    public void rportFlagTakesAValueInPlaceAndBack() throws Exception {
        Via v = Via.parse("SIP/2.0/UDP 192.0.2.10:5060;rport;branch=z9hG4bK776");
        assertTrue(v.hasRport());
        assertEquals(-1, v.rport());
        assertEquals("", v.parameter("rport"));
        Via w = v.withParameter("received", "192.0.2.77").withParameter("rport", "40001");
        assertEquals("SIP/2.0/UDP 192.0.2.10:5060;rport=40001;branch=z9hG4bK776;received=192.0.2.77", w.toString());
        assertEquals(40001, w.rport());
        assertEquals("40001", w.parameter("RPort"));
        Via flag = w.withParameter("rport", null);
        assertEquals("SIP/2.0/UDP 192.0.2.10:5060;rport;branch=z9hG4bK776;received=192.0.2.77", flag.toString());
        assertTrue(flag.hasRport());
        assertEquals(-1, flag.rport());
        assertEquals(Map.of("rport", "", "branch", "z9hG4bK776", "received", "192.0.2.77"), flag.parameters());
    }

    @Test
    public void parameterNamesAreCaseInsensitive() throws Exception {
        // upper-case names are not written back as they came: the whole Via is written anew, names lower-cased
        assertSameAsRewrite("SIP/2.0/UDP host;Received=10.0.0.1;BRANCH=z9hG4bK1", "received", "192.0.2.1");
        Via v = Via.parse("SIP/2.0/UDP host;Received=10.0.0.1;BRANCH=z9hG4bK1");
        assertEquals("10.0.0.1", v.received());
        assertEquals("z9hG4bK1", v.parameter("Branch"));
        assertEquals("SIP/2.0/UDP host;received=192.0.2.1;branch=z9hG4bK1",
                v.withParameter("received", "192.0.2.1").toString());
        // a name given in upper case replaces the lower-case one of a canonical Via
        assertEquals("SIP/2.0/UDP host;received=192.0.2.1;branch=z9hG4bK1",
                Via.parse("SIP/2.0/UDP host;received=10.0.0.1;branch=z9hG4bK1").withParameter("RECEIVED", "192.0.2.1").toString());
    }

    @Test
    public void quotedValuesMayHoldSemicolonsAndEquals() throws Exception {
        String via = "SIP/2.0/TCP host:5061;x=\"a;received=b=c\";branch=z9hG4bK1";
        Via v = Via.parse(via);
        assertNull(v.received());
        assertEquals("\"a;received=b=c\"", v.parameter("x"));
        assertEquals(via + ";received=192.0.2.1", v.withParameter("received", "192.0.2.1").toString());
        assertEquals("SIP/2.0/TCP host:5061;x=\"new;value\";branch=z9hG4bK1", v.withParameter("x", "\"new;value\"").toString());
        assertSameAsRewrite(via, "received", "192.0.2.1");
        assertSameAsRewrite(via, "x", "\"q=1;r\"");
        // a quoted value that looks like a later parameter's name
        assertSameAsRewrite("SIP/2.0/UDP h;x=\";branch=1\";branch=z9hG4bK2", "branch", "z9hG4bK3");
        assertSameAsRewrite("SIP/2.0/UDP h;x=\";branch=1\";branch=z9hG4bK2", "received", "192.0.2.1");
    }

    @Test
    public void ipv6Received() throws Exception {
        Via v = Via.parse("SIP/2.0/UDP [2001:db8::10]:5060;rport;branch=z9hG4bK9").withParameter("received", "2001:db8::77");
        assertEquals("SIP/2.0/UDP [2001:db8::10]:5060;rport;branch=z9hG4bK9;received=2001:db8::77", v.toString());
        assertEquals("2001:db8::77", v.received());
        assertEquals("2001:db8::77", Via.parse(v.toString()).received());
        Via again = v.withParameter("received", "2001:db8::78");
        assertEquals("SIP/2.0/UDP [2001:db8::10]:5060;rport;branch=z9hG4bK9;received=2001:db8::78", again.toString());
        assertSameAsRewrite("SIP/2.0/UDP [2001:db8::10];received=2001:db8::1", "received", "2001:db8::2");
    }

    @Test
    public void oddTextsAreWrittenAnewAsBefore() throws Exception {
        String[] vias = {
            "SIP / 2.0 / udp host.example.com : 5060 ; branch = z9hG4bK1 ; rport",
            "SIP/2.0/udp host;branch=z9hG4bK1",
            "SIP/2.0/UDP  host;branch=z9hG4bK1",
            "SIP/2.0/UDP host:05060;branch=z9hG4bK1",
            "SIP/2.0/UDP host;branch=z9hG4bK1;",
            "SIP/2.0/UDP host;branch=z9hG4bKa;branch=z9hG4bKb",
            "SIP/2.0/UDP host;rport=1;rport",
            "SIP/2.0/UDP host;branch=z9hG4bK1;x=\"q\";received=10.0.0.1",
            "sip/2.0/TCP host;branch=z9hG4bK1",
            "SIP/3.0/TCP host;branch=z9hG4bK1",
            "SIP/2.0/TCP host",
            "SIP/2.0/TCP host:0;ttl=1",
        };
        for (String via : vias) {
            assertSameAsRewrite(via, "received", "192.0.2.1");
            assertSameAsRewrite(via, "rport", "5062");
            assertSameAsRewrite(via, "rport", null);
            assertSameAsRewrite(via, "branch", "z9hG4bKnew");
            assertSameAsRewrite(via, "Maddr", "\"224.0.0.1\"");
        }
    }

    @Test
    public void generatedViasAgreeWithTheRewrite() throws Exception {
        // fixed seed: a failure names the Via, and the run repeats
        Random rnd = new Random(4475);
        String[] heads = {"SIP/2.0/UDP h", "SIP/2.0/tcp 192.0.2.1:5060", "SIP / 2.0 / TLS [::1]:05061", "SIP/2.0/WS x.example.com :7"};
        String[] names = {"branch", "Branch", "received", "RECEIVED", "rport", "x", "ttl", "maddr"};
        String[] values = {"", "=z9hG4bK1", "=10.0.0.1", "=2001:db8::1", "=\"a;b=c\"", "=\";received=1\"", "=5", " = 6"};
        String[] seps = {";", ";", ";", " ;", "; ", "\t;"};
        String[][] edits = {{"received", "192.0.2.1"}, {"rport", "5062"}, {"rport", null}, {"branch", "z9hG4bKn"},
            {"X", "\"q;r\""}, {"new", ""}, {"received", "2001:db8::2"}};
        int checked = 0;
        for (int k = 0; k < 3000; k++) {
            StringBuilder sb = new StringBuilder(heads[rnd.nextInt(heads.length)]);
            for (int p = rnd.nextInt(5); p > 0; p--) {
                sb.append(seps[rnd.nextInt(seps.length)]).append(names[rnd.nextInt(names.length)])
                        .append(values[rnd.nextInt(values.length)]);
            }
            if (rnd.nextInt(10) == 0) {
                sb.append(';');
            }
            Via v;
            try {
                v = Via.parse(sb.toString());
            } catch (SipParseException e) {
                continue;
            }
            String[] edit = edits[rnd.nextInt(edits.length)];
            assertSameAsRewrite(sb.toString(), edit[0], edit[1]);
            assertEquals(v.parameters().get("rport") == null || v.parameters().get("rport").isEmpty() ? -1
                    : Integer.parseInt(v.parameters().get("rport")), v.rport());
            checked++;
        }
        assertTrue("only " + checked + " parsed", checked > 500);
    }

    @Test
    public void repeatedNameKeepsTheLastValue() throws Exception {
        Via v = Via.parse("SIP/2.0/UDP host;branch=z9hG4bKa;received=10.0.0.1;branch=z9hG4bKb;received=10.0.0.2");
        assertEquals("z9hG4bKb", v.branch());
        assertEquals("10.0.0.2", v.received());
        assertEquals(2, v.parameters().size());
        assertEquals("SIP/2.0/UDP host;branch=z9hG4bKb;received=192.0.2.1", v.withParameter("received", "192.0.2.1").toString());
    }

    @Test
    public void valuesTheTextCannotCarryStayInTheMap() throws Exception {
        // not re-read from the text: a value with a space or ';' was never split, and still is not
        Via v = Via.parse("SIP/2.0/UDP host;branch=z9hG4bK1").withParameter("x", "a b;c");
        assertEquals("SIP/2.0/UDP host;branch=z9hG4bK1;x=a b;c", v.toString());
        assertEquals("a b;c", v.parameter("x"));
        assertEquals("z9hG4bK1", v.branch());
        Via w = v.withParameter("received", "192.0.2.1");
        assertEquals("SIP/2.0/UDP host;branch=z9hG4bK1;x=a b;c;received=192.0.2.1", w.toString());
        assertEquals("192.0.2.1", w.received());
        assertEquals(3, w.parameters().size());
    }

    @Test
    public void builtVia() {
        Via v = new Via("udp", "192.0.2.1", 5060, "z9hG4bKx");
        assertEquals("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx", v.toString());
        assertEquals("z9hG4bKx", v.branch());
        assertFalse(v.hasRport());
        assertNull(v.received());
        Via r = v.withParameter("rport", "");
        assertEquals("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx;rport", r.toString());
        assertTrue(r.hasRport());
        assertEquals("SIP/2.0/TLS h;rport", new Via("TLS", "h", -1, null).withParameter("rport", "1").withParameter("rport", null)
                .toString());
        assertEquals(Map.of(), new Via("TLS", "h", -1, null).parameters());
    }

    @Test
    public void commonTransportsAreShared() throws Exception {
        assertSame("UDP", Via.parse("SIP/2.0/udp h").transport());
        assertEquals("XYZ", Via.parse("SIP/2.0/xyz h").transport());
    }
}
