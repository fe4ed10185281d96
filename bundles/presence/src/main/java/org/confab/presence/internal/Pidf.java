package org.confab.presence.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.confab.api.presence.Availability;
import org.confab.api.presence.EndpointState;
import org.confab.api.presence.Presence;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * PIDF (RFC 3863) with RPID activities (RFC 4480): one rendering of the presence model. Parsing
 * reads what clients publish (basic status, activities, note) into an {@link EndpointState};
 * rendering writes a composed {@link Presence} as one tuple and one person.
 */
final class Pidf {

    static final String CONTENT_TYPE = "application/pidf+xml";
    static final String NS_PIDF = "urn:ietf:params:xml:ns:pidf";
    static final String NS_RPID = "urn:ietf:params:xml:ns:pidf:rpid";

    private static final Set<String> BUSY = Set.of("busy", "on-the-phone", "meeting", "performance",
            "presentation", "appointment", "in-transit", "worship", "playing", "spectator", "steering", "working");
    private static final Set<String> AWAY = Set.of("away", "vacation", "permanent-absence", "sleeping", "lunch",
            "breakfast", "dinner", "meal", "holiday", "travel", "shopping", "looking-for-work");

    private Pidf() {
    }

    /** Reads a published document; {@link IllegalArgumentException} says what is wrong with it. */
    static EndpointState parse(byte[] body, String endpointId, Instant since, String device) {
        Document doc = read(body);
        Element root = doc.getDocumentElement();
        if (!"presence".equals(root.getLocalName()) || !NS_PIDF.equals(root.getNamespaceURI())) {
            throw new IllegalArgumentException("not a PIDF document: the root element is not {" + NS_PIDF + "}presence");
        }
        boolean open = false;
        boolean anyBasic = false;
        NodeList basics = root.getElementsByTagNameNS(NS_PIDF, "basic");
        for (int i = 0; i < basics.getLength(); i++) {
            anyBasic = true;
            open |= "open".equalsIgnoreCase(basics.item(i).getTextContent().trim());
        }
        String activity = "";
        String other = "";
        NodeList activities = root.getElementsByTagNameNS(NS_RPID, "activities");
        for (int i = 0; i < activities.getLength() && activity.isEmpty(); i++) {
            for (Node n = activities.item(i).getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    if ("other".equals(e.getLocalName())) {
                        other = e.getTextContent().trim().toLowerCase(Locale.ROOT);
                    } else if (activity.isEmpty() && !"unknown".equals(e.getLocalName())) {
                        activity = e.getLocalName();
                    }
                }
            }
        }
        boolean idle = false;
        NodeList inputs = root.getElementsByTagNameNS(NS_RPID, "user-input");
        for (int i = 0; i < inputs.getLength(); i++) {
            idle |= "idle".equalsIgnoreCase(inputs.item(i).getTextContent().trim());
        }
        Availability availability;
        if (anyBasic && !open) {
            availability = Availability.OFFLINE;
        } else if (other.equals("do-not-disturb")) {
            availability = Availability.DO_NOT_DISTURB;
        } else if (other.equals("be-right-back")) {
            availability = Availability.BE_RIGHT_BACK;
        } else if (BUSY.contains(activity)) {
            availability = Availability.BUSY;
        } else if (AWAY.contains(activity) || idle) {
            availability = Availability.AWAY;
        } else {
            availability = Availability.ONLINE;
        }
        return new EndpointState(endpointId, availability, activity, note(root), since, device);
    }

    /** The composed presence as the watcher {@code entity} is shown it. */
    static String render(Presence p) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<presence xmlns=\"").append(NS_PIDF)
                .append("\" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" xmlns:rpid=\"").append(NS_RPID)
                .append("\" entity=\"").append(escape(p.uri())).append("\">\n");
        sb.append(" <tuple id=\"t1\"><status><basic>").append(p.isOnline() ? "open" : "closed")
                .append("</basic></status>");
        if (!p.note().isEmpty()) {
            sb.append("<note>").append(escape(p.note())).append("</note>");
        }
        sb.append("</tuple>\n");
        sb.append(" <dm:person id=\"p1\">");
        String activity = activity(p);
        if (!activity.isEmpty()) {
            sb.append("<rpid:activities>").append(activity).append("</rpid:activities>");
        }
        for (String note : p.notes()) {
            sb.append("<dm:note>").append(escape(note)).append("</dm:note>");
        }
        sb.append("</dm:person>\n</presence>\n");
        return sb.toString();
    }

    private static String activity(Presence p) {
        String a = p.activity();
        switch (p.availability()) {
            case BUSY:
                return "<rpid:" + (BUSY.contains(a) ? a : "busy") + "/>";
            case DO_NOT_DISTURB:
                return "<rpid:busy/><rpid:other>do-not-disturb</rpid:other>";
            case BE_RIGHT_BACK:
                return "<rpid:away/><rpid:other>be-right-back</rpid:other>";
            case AWAY:
                return "<rpid:" + (AWAY.contains(a) ? a : "away") + "/>";
            default:
                return "";
        }
    }

    private static String note(Element root) {
        for (String ns : new String[] {"urn:ietf:params:xml:ns:pidf:data-model", NS_PIDF, NS_RPID}) {
            NodeList notes = root.getElementsByTagNameNS(ns, "note");
            for (int i = 0; i < notes.getLength(); i++) {
                String t = notes.item(i).getTextContent().trim();
                if (!t.isEmpty()) {
                    return t;
                }
            }
        }
        return "";
    }

    // DocumentBuilderFactory.newInstance() is a service lookup through the class path and a new
    // builder costs more than parsing a presence document: 40 % of a PUBLISH's CPU (BENCHMARKS.md).
    // So one builder per thread, reset before each use. Only JDK types are kept per thread: the
    // transport's threads outlive this bundle when it is updated.
    private static final ThreadLocal<DocumentBuilder> BUILDERS = ThreadLocal.withInitial(Pidf::newBuilder);

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            // no DTDs, no external entities: a published document is untrusted input
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            // Xerces' deferred DOM allocates its node tables in chunks of 256 entries up front:
            // 13.8 KB per presence document against 4.3 KB building the nodes at once, and 25 %
            // of the parse in page faults and zeroing (BENCHMARKS.md, 2026-12-03)
            try {
                f.setFeature("http://apache.org/xml/features/dom/defer-node-expansion", false);
            } catch (ParserConfigurationException e) {
                // another parser than the JDK's Xerces: a speed-up only, not a safety setting
            }
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The JDK's XML parser cannot be set up safely: " + e.getMessage(), e);
        }
    }

    private static Document read(byte[] body) {
        DocumentBuilder b = BUILDERS.get();
        b.reset(); // whatever an earlier (perhaps malformed) document left behind
        b.setErrorHandler(null);
        try {
            return b.parse(new ByteArrayInputStream(body));
        } catch (SAXException e) {
            throw new IllegalArgumentException("malformed XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the document: " + e.getMessage(), e);
        }
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : c);
            }
        }
        return sb.toString();
    }
}
