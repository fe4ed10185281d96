package org.confab.presence.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.confab.api.presence.Availability;
import org.confab.api.presence.EndpointState;
import org.confab.api.presence.Presence;
import org.junit.Test;

public class PidfTest {

    private static final Instant T = Instant.parse("2025-03-01T10:00:00Z");

    private static EndpointState parse(String xml) {
        return Pidf.parse(xml.getBytes(StandardCharsets.UTF_8), "e1", T, "ua");
    }

    private static String doc(String basic, String person) {
        return "<?xml version=\"1.0\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\""
                + " xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\""
                + " entity=\"sip:alice@example.com\"><tuple id=\"a\"><status><basic>" + basic
                + "</basic></status></tuple>" + person + "</presence>";
    }

    @Test
    public void readsBasicActivitiesAndNote() {
        assertEquals(Availability.ONLINE, parse(doc("open", "")).availability());
        assertEquals(Availability.OFFLINE, parse(doc("closed", "")).availability());
        EndpointState busy = parse(doc("open", "<dm:person id=\"p\"><rpid:activities><rpid:on-the-phone/></rpid:activities>"
                + "<dm:note>Calling the bank</dm:note></dm:person>"));
        assertEquals(Availability.BUSY, busy.availability());
        assertEquals("on-the-phone", busy.activity());
        assertEquals("Calling the bank", busy.note());
        assertEquals(Availability.AWAY, parse(doc("open",
                "<dm:person id=\"p\"><rpid:activities><rpid:away/></rpid:activities></dm:person>")).availability());
        assertEquals(Availability.DO_NOT_DISTURB, parse(doc("open", "<dm:person id=\"p\"><rpid:activities><rpid:busy/>"
                + "<rpid:other>do-not-disturb</rpid:other></rpid:activities></dm:person>")).availability());
    }

    @Test
    public void rendersWhatItReadsForEveryAvailability() {
        for (Availability a : Availability.values()) {
            Presence p = new Presence("sip:bob@example.com", a, "", List.of("note <1> & \"2\""), List.of());
            EndpointState back = parse(Pidf.render(p));
            assertEquals(a.name(), a, back.availability());
            assertEquals("note <1> & \"2\"", back.note());
        }
        String xml = Pidf.render(new Presence("sip:bob@example.com", Availability.BUSY, "meeting", List.of(), List.of()));
        assertTrue(xml, xml.contains("<rpid:meeting/>") && xml.contains("entity=\"sip:bob@example.com\""));
    }

    @Test
    public void refusesMalformedAndHostileDocuments() {
        for (String bad : List.of("<presence", "<foo xmlns=\"x\"/>",
                "<!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><presence xmlns=\"urn:ietf:params:xml:ns:pidf\">&x;</presence>")) {
            try {
                parse(bad);
                fail("accepted " + bad);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().length() > 5);
            }
        }
    }

    @Test
    public void theReusedParserIsCleanAfterABadDocumentAndStillRefusesEntities() {
        String hostile = "<!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\">&x;</presence>";
        for (int round = 0; round < 3; round++) {
            for (String bad : List.of("<presence", hostile, "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"><tuple>")) {
                try {
                    parse(bad);
                    fail("accepted " + bad);
                } catch (IllegalArgumentException e) {
                    assertTrue(e.getMessage(), e.getMessage().startsWith("malformed XML") || e.getMessage().length() > 5);
                }
                // the same thread's parser, straight after the failure
                assertEquals(Availability.AWAY, parse(doc("open", "<rpid:activities><rpid:away/></rpid:activities>")).availability());
            }
        }
    }

    @Test
    public void compositionMostAvailableWinsNotesKeptNoEndpointOffline() {
        assertEquals(Presence.offline("sip:a@example.com"), Presence.compose("sip:a@example.com", List.of()));
        EndpointState phone = new EndpointState("phone", Availability.AWAY, "lunch", "At lunch", T, "");
        EndpointState pc = new EndpointState("pc", Availability.BUSY, "meeting", "In a meeting", T.plusSeconds(5), "");
        EndpointState tablet = new EndpointState("tab", Availability.OFFLINE, "", "At lunch", T.plusSeconds(9), "");
        Presence p = Presence.compose("sip:a@example.com", List.of(phone, pc, tablet));
        assertEquals(Availability.BUSY, p.availability());
        assertEquals("meeting", p.activity());
        assertEquals(List.of("At lunch", "In a meeting"), p.notes());
        assertEquals(List.of("pc", "phone", "tab"), p.endpoints().stream().map(EndpointState::endpointId).toList());
        EndpointState online = new EndpointState("x", Availability.ONLINE, "", "", T, "");
        assertEquals(Availability.ONLINE, Presence.compose("sip:a@example.com", List.of(pc, online)).availability());
    }
}
