package org.confab.api.auth;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of authenticating one request.
 *
 * <ul>
 *   <li>{@link Outcome#AUTHENTICATED}: {@link #identity()} is the user's canonical URI.</li>
 *   <li>{@link Outcome#CHALLENGE}: answer with {@link #status()} (401/407) carrying
 *       {@link #headers()} (name, value pairs: one challenge per offered scheme/algorithm).</li>
 *   <li>{@link Outcome#REJECTED}: answer with {@link #status()} (403 for a disabled user or a
 *       source blocked for guessing) and {@link #reason()}.</li>
 * </ul>
 */
public final class AuthResult {

    /** What the caller does next. */
    public enum Outcome { AUTHENTICATED, CHALLENGE, REJECTED }

    /** One header to add to the response. */
    public record Header(String name, String value) {
    }

    private final Outcome outcome;
    private final String identity;
    private final int status;
    private final String reason;
    private final List<Header> headers;

    private AuthResult(Outcome outcome, String identity, int status, String reason, List<Header> headers) {
        this.outcome = outcome;
        this.identity = identity;
        this.status = status;
        this.reason = reason;
        this.headers = List.copyOf(headers);
    }

    /** The request is from this user; headers (e.g. Authentication-Info) may be added to the final response. */
    public static AuthResult authenticated(String userUri, List<Header> responseHeaders) {
        return new AuthResult(Outcome.AUTHENTICATED, Objects.requireNonNull(userUri), 0, null, responseHeaders);
    }

    /** Answer with a challenge. */
    public static AuthResult challenge(int status, List<Header> challenges) {
        return new AuthResult(Outcome.CHALLENGE, null, status, null, challenges);
    }

    /** Refuse the request. */
    public static AuthResult rejected(int status, String reason) {
        return new AuthResult(Outcome.REJECTED, null, status, reason, List.of());
    }

    /**
     * No authenticator could decide (it is absent while the registrar is updated, or failed):
     * 503 with Retry-After, so the client tries again shortly (RFC 3261 §21.5.4).
     */
    public static AuthResult unavailable(int retryAfterSeconds) {
        return new AuthResult(Outcome.REJECTED, null, 503, "Service Unavailable",
                List.of(new Header("Retry-After", Integer.toString(retryAfterSeconds))));
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The authenticated user's canonical URI, or null. */
    public String identity() {
        return identity;
    }

    /** The status to answer with when not authenticated. */
    public int status() {
        return status;
    }

    /** The reason phrase for a rejection, or null for the default. */
    public String reason() {
        return reason;
    }

    /** Headers to add to the response. */
    public List<Header> headers() {
        return headers;
    }

    public boolean isAuthenticated() {
        return outcome == Outcome.AUTHENTICATED;
    }
}
