package org.confab.router.internal;

import java.util.List;
import org.confab.api.auth.AuthResult;

/**
 * Ends the routing of a request with a final response built by the router: thrown from deep in
 * the checks so that each check states its answer in one line.
 */
final class RejectException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient List<AuthResult.Header> headers;

    RejectException(int status, String reason) {
        this(status, reason, List.of());
    }

    RejectException(int status, String reason, List<AuthResult.Header> headers) {
        super(reason, null, false, false);
        this.status = status;
        this.headers = List.copyOf(headers);
    }

    int status() {
        return status;
    }

    /** The reason phrase, or null for the default one of the status. */
    String reason() {
        return getMessage();
    }

    List<AuthResult.Header> headers() {
        return headers;
    }
}
