package org.confab.sip.message.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.Test;

/** The array-backed parameter map behaves as the unmodifiable LinkedHashMap it replaced. */
public class ParamMapTest {

    @Test
    public void keepsOrderAndTheLastValueOfARepeatedName() throws Exception {
        Map<String, String> p = Params.parse(";Transport=tcp;lr;maddr=\"x;y\";TRANSPORT=udp;a=1;b=2;c=3", 0, "test");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("transport", "udp");
        expected.put("lr", "");
        expected.put("maddr", "\"x;y\"");
        expected.put("a", "1");
        expected.put("b", "2");
        expected.put("c", "3");
        assertEquals(expected, p);
        assertEquals(p, expected);
        assertEquals(expected.hashCode(), p.hashCode());
        assertEquals(expected.toString(), p.toString());
        assertEquals("[transport, lr, maddr, a, b, c]", p.keySet().toString());
        assertEquals("udp", p.get("transport"));
        assertNull(p.get("Transport"));
        assertNull(p.get(null));
        assertTrue(p.containsKey("lr"));
        assertFalse(p.containsKey("x"));
        StringBuilder sb = new StringBuilder();
        Params.write(sb, p);
        assertEquals(";transport=udp;lr;maddr=\"x;y\";a=1;b=2;c=3", sb.toString());
    }

    @Test
    public void isUnmodifiable() throws Exception {
        Map<String, String> p = Params.parse(";a=1;b", 0, "test");
        try {
            p.put("c", "3");
            fail();
        } catch (UnsupportedOperationException expected) {
            // as Collections.unmodifiableMap
        }
        try {
            p.keySet().remove("a");
            fail();
        } catch (UnsupportedOperationException expected) {
            // as Collections.unmodifiableMap
        }
        try {
            p.entrySet().iterator().next().setValue("x");
            fail();
        } catch (UnsupportedOperationException expected) {
            // as Collections.unmodifiableMap
        }
        assertEquals(2, p.size());
    }

    @Test
    public void withReplacesInPlaceAppendsAndRemoves() throws Exception {
        Map<String, String> p = Params.parse(";a=1;b;c=3", 0, "test");
        assertEquals("{a=1, b=2, c=3}", Params.with(p, "B", "2", false).toString());
        assertEquals("{a=1, b=, c=3, d=}", Params.with(p, "d", null, false).toString());
        assertEquals("{a=1, c=3}", Params.with(p, "b", null, true).toString());
        assertEquals("{a=1, b=, c=3}", p.toString());
        assertEquals(Collections.emptyMap(), Params.with(Params.with(Map.of(), "x", "1", false), "x", null, true));
        assertEquals("{x=1}", Params.with(new LinkedHashMap<>(), "x", "1", false).toString());
    }
}
