package org.confab.registrar.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.Test;

/** The registrar's q-values and Date header, made without regex, String.format or a formatter per response. */
public class RegistrarTextTest {

    @Test
    public void qValuesParseAsBefore() {
        String[] texts = {"0", "1", "0.", "1.", "0.5", "0.05", "0.005", "0.0005", "0.123", "1.0", "1.000", "1.001", "1.5",
            "0.1234", " 0.7 ", "2", "-0", "-0.1", "+0.1", ".5", "0,5", "0.5d", "", " ", "1e-1", "0x1", "00.5", "0.١",
            "NaN", "0.99", "0.999", "1.00", "0.0"};
        for (String t : texts) {
            assertEquals(t, before(t), outcome(t));
        }
    }

    @Test
    public void qTextIsAsBefore() {
        for (int q = -5; q <= 1200; q++) {
            String before = q == 1000 ? "1" : String.format(Locale.ROOT, "0.%03d", q).replaceAll("0+$", "");
            assertEquals(before, RegistrarApplication.qText(q));
        }
    }

    @Test
    public void dateIsMadeOncePerSecond() {
        DateTimeFormatter format = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
                .withZone(ZoneOffset.UTC);
        RegistrarApplication app = new RegistrarApplication();
        Instant t = Instant.parse("2025-03-04T05:06:07.100Z");
        String first = app.date(t);
        assertEquals("Tue, 04 Mar 2025 05:06:07 GMT", first);
        assertSame(first, app.date(t.plusMillis(899)));
        assertEquals(format.format(t.plusSeconds(1)), app.date(t.plusSeconds(1)));
        assertEquals(format.format(t.minusSeconds(3600)), app.date(t.minusSeconds(3600)));     // a clock set back
        assertEquals(first, app.date(t));
    }

    private static String outcome(String t) {
        try {
            return Integer.toString(RegistrarApplication.parseQ(t));
        } catch (Exception e) {
            return "refused";
        }
    }

    // the implementation before: Double.parseDouble and a regex
    private static String before(String text) {
        try {
            double q = Double.parseDouble(text.trim());
            if (q < 0 || q > 1 || !text.trim().matches("[01](\\.[0-9]{0,3})?")) {
                throw new NumberFormatException(text);
            }
            return Integer.toString((int) Math.round(q * 1000));
        } catch (NumberFormatException e) {
            return "refused";
        }
    }
}
