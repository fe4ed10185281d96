package org.confab.presence.internal;

import java.util.List;

/**
 * Resource list NOTIFY bodies (RFC 4662): a {@code multipart/related} whose root is an RLMI
 * document ({@code application/rlmi+xml}) naming every resource (full state) or only the changed
 * ones (partial), followed by one PIDF part per active resource, referenced by Content-ID.
 */
final class Rlmi {

    static final String CONTENT_TYPE = "application/rlmi+xml";
    static final String NS = "urn:ietf:params:xml:ns:rlmi";
    static final String BOUNDARY = "confab-rlmi-5f3a9c1e";
    static final String ROOT_CID = "rlmi@confab";

    /** One resource of the list: its state ("active", "pending") and its PIDF when active. */
    record Resource(String uri, String name, String state, String pidf) {
    }

    private Rlmi() {
    }

    /** The Content-Type of the multipart body (RFC 4662 §5.1, RFC 2387). */
    static String contentType() {
        return "multipart/related;type=\"" + CONTENT_TYPE + "\";start=\"<" + ROOT_CID + ">\";boundary=\"" + BOUNDARY + "\"";
    }

    /** The RLMI document of one NOTIFY (RFC 4662 §5.2). */
    static String document(String listUri, long version, boolean fullState, List<Resource> resources) {
        StringBuilder b = new StringBuilder(256 + resources.size() * 160);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<list xmlns=\"").append(NS).append("\" uri=\"")
                .append(Pidf.escape(listUri)).append("\" version=\"").append(version).append("\" fullState=\"")
                .append(fullState).append("\">\r\n");
        for (Resource r : resources) {
            b.append("  <resource uri=\"").append(Pidf.escape(r.uri())).append("\">");
            if (!r.name().isEmpty()) {
                b.append("<name>").append(Pidf.escape(r.name())).append("</name>");
            }
            b.append("<instance id=\"").append(instanceId(r.uri())).append("\" state=\"").append(r.state()).append('"');
            if (r.pidf() != null) {
                b.append(" cid=\"").append(cid(r.uri(), version)).append('"');
            }
            b.append("/></resource>\r\n");
        }
        return b.append("</list>\r\n").toString();
    }

    /** The whole multipart body: the RLMI root, then one PIDF part per resource that has one. */
    static String body(String listUri, long version, boolean fullState, List<Resource> resources) {
        StringBuilder b = new StringBuilder();
        part(b, ROOT_CID, CONTENT_TYPE, document(listUri, version, fullState, resources));
        for (Resource r : resources) {
            if (r.pidf() != null) {
                part(b, cid(r.uri(), version), Pidf.CONTENT_TYPE, r.pidf());
            }
        }
        return b.append("--").append(BOUNDARY).append("--\r\n").toString();
    }

    private static void part(StringBuilder b, String cid, String type, String content) {
        b.append("--").append(BOUNDARY).append("\r\n")
                .append("Content-Transfer-Encoding: binary\r\n")
                .append("Content-ID: <").append(cid).append(">\r\n")
                .append("Content-Type: ").append(type).append(";charset=\"UTF-8\"\r\n\r\n")
                .append(content);
        if (!content.endsWith("\r\n")) {
            b.append("\r\n");
        }
    }

    /** A stable instance id per resource (RFC 4662 §5.2: the same instance keeps its id). */
    static String instanceId(String uri) {
        return "i" + Integer.toHexString(uri.hashCode());
    }

    /** A Content-ID (RFC 2392 msg-id) unique per resource and document version. */
    static String cid(String uri, long version) {
        return instanceId(uri) + "." + version + "@confab";
    }
}
