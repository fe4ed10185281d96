package org.confab.presence.internal;

import java.util.List;
import org.confab.api.auth.AuthResult;

/** A request is answered with this status instead of being served. */
final class Reject extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient List<AuthResult.Header> headers;

    Reject(int status, String reason) {
        this(status, reason, List.of());
    }

    Reject(int status, String reason, List<AuthResult.Header> headers) {
        super(reason, null, false, false);
        this.status = status;
        this.headers = List.copyOf(headers);
    }

    int status() {
        return status;
    }

    List<AuthResult.Header> headers() {
        return headers;
    }
}
