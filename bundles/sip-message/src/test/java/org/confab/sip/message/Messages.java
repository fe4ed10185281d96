package org.confab.sip.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test messages: RFC 4475 resources (exact bytes, CRLF) and inline text with LF turned into CRLF. */
final class Messages {

    private Messages() {
    }

    static byte[] resource(String name) {
        try (InputStream in = Messages.class.getResourceAsStream("rfc4475/" + name + ".sip")) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] crlf(String text) {
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static SipRequest request(String text) throws SipParseException {
        return (SipRequest) SipParser.parse(crlf(text));
    }

    /** A well-formed OPTIONS with the given extra header lines inserted before Content-Length. */
    static String options(String extra) {
        return "OPTIONS sip:bob@example.com SIP/2.0\n"
                + "Via: SIP/2.0/UDP pc.example.com:5060;branch=z9hG4bK74bf9\n"
                + "Max-Forwards: 70\n"
                + "From: Alice <sip:alice@example.com>;tag=9fxced76sl\n"
                + "To: <sip:bob@example.com>\n"
                + "Call-ID: 3848276298220188511@pc.example.com\n"
                + "CSeq: 63104 OPTIONS\n"
                + extra
                + "Content-Length: 0\n"
                + "\n";
    }
}
