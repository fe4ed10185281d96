package org.confab.sip.message;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.confab.sip.message.internal.Text;
import org.junit.Test;

/**
 * NameAddr keeps its parameters as text and edits that text in {@link NameAddr#withParameter}
 * when it can: the result must be what writing the value anew from a copied map gave.
 */
public class NameAddrTest {

    /** What withParameter returned when it copied the parameter map and wrote the value anew. */
    private static String rewritten(NameAddr a, String name, String value) {
        Map<String, String> p = new LinkedHashMap<>(a.parameters());
        p.put(name.toLowerCase(), value == null ? "" : value);
        StringBuilder sb = new StringBuilder();
        if (a.displayName() != null) {
            sb.append(Text.quote(a.displayName())).append(' ');
        }
        sb.append('<').append(a.uri()).append('>');
        for (Map.Entry<String, String> e : p.entrySet()) {
            sb.append(';').append(e.getKey());
            if (!e.getValue().isEmpty()) {
                sb.append('=').append(e.getValue());
            }
        }
        return sb.toString();
    }

    private static void assertSameAsRewrite(String addr, String name, String value) throws SipParseException {
        NameAddr a = NameAddr.parse(addr);
        Map<String, String> before = new LinkedHashMap<>(a.parameters());
        NameAddr b = a.withParameter(name, value);
        assertEquals(addr + " with " + name + "=" + value, rewritten(a, name, value), b.toString());
        assertEquals(b.parameters().get("tag"), b.tag());
        assertEquals(b.parameters(), NameAddr.parse(b.toString()).parameters());
        assertEquals(NameAddr.parse(b.toString()), b);
        assertEquals(NameAddr.parse(b.toString()).hashCode(), b.hashCode());
        assertEquals(addr.trim(), a.toString());
        assertEquals(before, a.parameters());
    }

    @Test
    public void toTagIsAppendedToTheText() throws Exception {
        NameAddr to = NameAddr.parse("\"Alice\" <sip:alice@example.com>");
        assertNull(to.tag());
        NameAddr tagged = to.withTag("a6c85cf");
        assertEquals("\"Alice\" <sip:alice@example.com>;tag=a6c85cf", tagged.toString());
        assertEquals("a6c85cf", tagged.tag());
        assertEquals("a6c85cf", tagged.parameter("TAG"));
        assertEquals("Alice", tagged.displayName());
        assertEquals("\"Alice\" <sip:alice@example.com>;tag=b", tagged.withTag("b").toString());
        assertEquals("<sip:bob@example.com>;expires=0;tag=1",
                NameAddr.parse("<sip:bob@example.com>;expires=3600;tag=1").withParameter("expires", "0").toString());
    }

    @Test
    public void otherFormsAreWrittenAnewAsBefore() throws Exception {
        String[] addrs = {
            "Bob <sip:bob@example.com>",
            "sip:bob@example.com;tag=1",
            "\"A \\\"B\\\"\" <sip:a@example.com>;tag=1",
            "\"Tab\there\" <sip:a@example.com>",
            "\"Two  spaces\"  <sip:a@example.com>",
            "\"\" <sip:a@example.com>",
            "<sip:a@example.com> ; tag = 1",
            "<sip:a@example.com>;TAG=1",
            "<sip:a@example.com>;tag=1;tag=2",
            "<sip:a@example.com>;tag=1;",
            "<sip:a@example.com>;x=\";tag=2\";tag=3",
            "<tel:+1-201-555-0123;phone-context=example.com>;tag=9",
            "<SIP:a@example.com>;tag=1",
            "<urn:service:sos>",
        };
        for (String a : addrs) {
            assertSameAsRewrite(a, "tag", "t1");
            assertSameAsRewrite(a, "expires", "0");
            assertSameAsRewrite(a, "lr", null);
            assertSameAsRewrite(a, "X", "\"v;w=1\"");
        }
    }

    @Test
    public void generatedAddressesAgreeWithTheRewrite() throws Exception {
        Random rnd = new Random(3261);
        String[] heads = {"<sip:a@example.com>", "\"Alice\" <sip:a@example.com>", "Alice <sip:a@example.com>",
            "sip:a@example.com", "\"A\\\\B\" <sips:a@[::1]:5061;transport=tls>"};
        String[] names = {"tag", "Tag", "expires", "q", "x"};
        String[] values = {"", "=1", "=0.5", "=\"a;tag=b\"", " = 2"};
        String[] seps = {";", ";", ";", " ;", "; "};
        String[][] edits = {{"tag", "z1"}, {"expires", "60"}, {"q", null}, {"Y", "\"q\""}};
        int checked = 0;
        for (int k = 0; k < 2000; k++) {
            StringBuilder sb = new StringBuilder(heads[rnd.nextInt(heads.length)]);
            for (int p = rnd.nextInt(4); p > 0; p--) {
                sb.append(seps[rnd.nextInt(seps.length)]).append(names[rnd.nextInt(names.length)])
                        .append(values[rnd.nextInt(values.length)]);
            }
            try {
                NameAddr.parse(sb.toString());
            } catch (SipParseException e) {
                continue;
            }
            String[] edit = edits[rnd.nextInt(edits.length)];
            assertSameAsRewrite(sb.toString(), edit[0], edit[1]);
            checked++;
        }
        assertTrue("only " + checked + " parsed", checked > 500);
    }

    @Test
    public void lastTagWinsAndDisplayNamesUnquote() throws Exception {
        NameAddr a = NameAddr.parse("\"A \\\"B\\\"\" <sip:a@example.com>;tag=1;TAG=2");
        assertEquals("2", a.tag());
        assertEquals("A \"B\"", a.displayName());
        assertEquals(Map.of("tag", "2"), a.parameters());
        assertEquals("Alice", NameAddr.parse("\"Alice\" <sip:a@example.com>").displayName());
        assertEquals("", NameAddr.parse("\"\" <sip:a@example.com>").displayName());
        NameAddr built = new NameAddr("Bob", Uri.parse("sip:bob@example.com")).withTag("x");
        assertEquals("\"Bob\" <sip:bob@example.com>;tag=x", built.toString());
        assertEquals("x", built.tag());
        assertEquals(NameAddr.parse("\"Bob\" <sip:bob@example.com>;tag=x"), built);
    }
}
