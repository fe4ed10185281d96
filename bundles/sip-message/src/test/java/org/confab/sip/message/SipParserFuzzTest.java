package org.confab.sip.message;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.function.Supplier;

/**
 * Coverage-guided fuzzing of {@link SipParser#parse(byte[])} with Jazzer. In the normal build this runs in
 * regression mode: the seeds under {@code SipParserFuzzTestInputs/parse/} (the RFC 4475 and RFC 5118
 * messages) and every crash reproducer there are replayed in seconds. A long run (README, "Robustness
 * defaults"): {@code JAZZER_FUZZ=1 mvn -pl bundles/sip-message test -Dtest=SipParserFuzzTest}.
 * The contract (API.md): the parser throws only {@link SipParseException}; the lazy typed accessors may
 * throw {@link IllegalArgumentException} for a header they cannot parse, nothing else.
 */
class SipParserFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] input) {
        SipMessage message;
        try {
            message = SipParser.parse(input);
        } catch (SipParseException e) {
            assertNotNull(e.getMessage(), "a parse error says what was wrong");
            return;
        }
        assertNotNull(message.sipVersion());
        message.callId();
        message.headerNames();
        accessor(message::cseq);
        accessor(message::from);
        accessor(message::to);
        accessor(message::vias);
        accessor(message::contacts);
        accessor(message::maxForwards);
        accessor(message::expires);
        if (message instanceof SipRequest) {
            assertNotNull(((SipRequest) message).method());
            assertNotNull(((SipRequest) message).requestUri());
        }
        byte[] out = message.toBytes();
        assertTrue(out.length > 0, "a parsed message serialises to something");
        try {
            SipParser.parse(out); // what we write must not crash our own parser either
        } catch (SipParseException e) {
            assertNotNull(e.getMessage());
        }
        message.copy().toBytes();
    }

    private static void accessor(Supplier<?> lazy) {
        try {
            lazy.get();
        } catch (IllegalArgumentException e) {
            assertNotNull(e.getMessage(), "a lazy accessor says which header is bad"); // API.md: documented
        }
    }
}
