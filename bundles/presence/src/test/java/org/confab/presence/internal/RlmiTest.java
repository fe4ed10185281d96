package org.confab.presence.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class RlmiTest {

    private static final String PIDF = "<?xml version=\"1.0\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:b@x.org\"/>";

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    public void documentIsValidRlmiWithCidsForActiveResourcesOnly() throws Exception {
        String xml = Rlmi.document("sip:a@x.org", 3, true, List.of(
                new Rlmi.Resource("sip:b@x.org", "Bob & Co", "active", PIDF),
                new Rlmi.Resource("sip:c@y.org", "", "pending", null)));
        Element list = parse(xml).getDocumentElement();
        assertEquals(Rlmi.NS, list.getNamespaceURI());
        assertEquals("list", list.getLocalName());
        assertEquals("sip:a@x.org", list.getAttribute("uri"));
        assertEquals("3", list.getAttribute("version"));
        assertEquals("true", list.getAttribute("fullState"));
        NodeList resources = list.getElementsByTagNameNS(Rlmi.NS, "resource");
        assertEquals(2, resources.getLength());
        Element bob = (Element) resources.item(0);
        assertEquals("Bob & Co", bob.getElementsByTagNameNS(Rlmi.NS, "name").item(0).getTextContent());
        Element i1 = (Element) bob.getElementsByTagNameNS(Rlmi.NS, "instance").item(0);
        assertEquals("active", i1.getAttribute("state"));
        assertEquals(Rlmi.cid("sip:b@x.org", 3), i1.getAttribute("cid"));
        Element i2 = (Element) ((Element) resources.item(1)).getElementsByTagNameNS(Rlmi.NS, "instance").item(0);
        assertEquals("pending", i2.getAttribute("state"));
        assertFalse(i2.hasAttribute("cid"));
        assertEquals("the instance id is stable across versions", Rlmi.instanceId("sip:b@x.org"), i1.getAttribute("id"));
    }

    @Test
    public void multipartBodyHasRootFirstThenOnePartPerCidAndAClosingBoundary() throws Exception {
        String body = Rlmi.body("sip:a@x.org", 1, false, List.of(
                new Rlmi.Resource("sip:b@x.org", "", "active", PIDF),
                new Rlmi.Resource("sip:c@y.org", "", "pending", null)));
        String type = Rlmi.contentType();
        assertTrue(type, type.startsWith("multipart/related;type=\"application/rlmi+xml\";start=\"<rlmi@confab>\""));
        String delimiter = "--" + Rlmi.BOUNDARY + "\r\n";
        String[] parts = body.split(java.util.regex.Pattern.quote(delimiter));
        assertEquals("preamble (empty), RLMI root, one PIDF", 3, parts.length);
        assertEquals("", parts[0]);
        assertTrue(parts[1], parts[1].contains("Content-ID: <rlmi@confab>\r\nContent-Type: application/rlmi+xml"));
        assertTrue(parts[2], parts[2].contains("Content-ID: <" + Rlmi.cid("sip:b@x.org", 1) + ">\r\nContent-Type: application/pidf+xml"));
        assertTrue(body.endsWith("\r\n--" + Rlmi.BOUNDARY + "--\r\n"));
        String root = parts[1].substring(parts[1].indexOf("\r\n\r\n") + 4);
        assertEquals("false", parse(root.trim()).getDocumentElement().getAttribute("fullState"));
    }
}
