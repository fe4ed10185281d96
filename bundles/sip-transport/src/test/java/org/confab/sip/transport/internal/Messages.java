package org.confab.sip.transport.internal;

import java.nio.charset.StandardCharsets;

import org.confab.sip.message.SipParser;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.confab.sip.message.Uri;

/** Test messages as they would arrive on the wire. */
final class Messages {

    static final String SENT_BY = "192.0.2.10:5062";

    private Messages() {
    }

    static String requestText(String method, String branch, String transport, int cseq, String cseqMethod) {
        return method + " sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " " + SENT_BY + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\n"
                + "To: <sip:bob@example.com>\r\n"
                + "Call-ID: call-" + branch + "\r\n"
                + "CSeq: " + cseq + " " + cseqMethod + "\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    static SipRequest request(String method, String branch, String transport) {
        return parseRequest(requestText(method, branch, transport, 1, method));
    }

    /** A CANCEL or ACK for the INVITE with this branch (RFC 3261 §9.1, §17.1.1.3). */
    static SipRequest sameBranch(String method, String branch, String transport) {
        return parseRequest(requestText(method, branch, transport, 1, method));
    }

    static SipRequest parseRequest(String text) {
        try {
            return (SipRequest) SipParser.parse(text.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static SipResponse parseResponse(String text) {
        try {
            return (SipResponse) SipParser.parse(text.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** An outgoing request of ours, before the transport adds its Via. */
    static SipRequest outgoing(String method) {
        try {
            SipRequest r = new SipRequest(method, Uri.parse("sip:bob@192.0.2.20"));
            r.addHeader("Max-Forwards", "70");
            r.addHeader("From", "<sip:alice@example.com>;tag=x1");
            r.addHeader("To", "<sip:bob@example.com>");
            r.addHeader("Call-ID", "out-1");
            r.addHeader("CSeq", "7 " + method);
            r.setBody(null, new byte[0]);
            return r;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The response a peer sends to one of our requests (all its Vias copied). */
    static SipResponse responseTo(SipRequest sent, int status, String toTag) {
        SipResponse r = sent.createResponse(status);
        if (toTag != null) {
            r.setHeader("To", r.to().withTag(toTag).toString());
        }
        return parseResponse(new String(r.toBytes(), StandardCharsets.UTF_8));
    }
}
