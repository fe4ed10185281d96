package org.confab.router.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.confab.api.auth.AuthResult;
import org.confab.api.transport.ServerTransaction;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.SipResponse;

/** Building the responses the router answers itself. */
final class Responses {

    private Responses() {
    }

    /** Answers with a response of the transaction (so it carries the transaction's To tag). */
    static void send(ServerTransaction tx, int status, String reason, List<AuthResult.Header> headers) {
        SipResponse response = tx.createResponse(status);
        if (reason != null && !reason.equals(response.reason())) {
            response = rebuild(response, status, reason);
        }
        for (AuthResult.Header h : headers) {
            response.addHeader(h.name(), h.value());
        }
        tx.respond(response);
    }

    /** The same response with another status line; every header field and the body are kept. */
    static SipResponse rebuild(SipResponse source, int status, String reason) {
        SipResponse out = new SipResponse(status, reason);
        Set<String> copied = new HashSet<>();
        for (String name : source.headerNames()) {
            if (copied.add(HeaderNames.canonical(name).toLowerCase(Locale.ROOT))) {
                for (String value : source.headers(name)) {
                    out.addHeader(name, value);
                }
            }
        }
        byte[] body = source.body();
        if (body.length > 0) {
            out.setBody(source.header(HeaderNames.CONTENT_TYPE), body);
        }
        return out;
    }
}
