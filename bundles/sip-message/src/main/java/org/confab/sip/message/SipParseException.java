package org.confab.sip.message;

/**
 * A message, header or URI that does not follow the RFC 3261 grammar. The message says what was
 * wrong (for a 400 reason phrase or a log line); {@link #status()} is the response code that fits.
 */
public class SipParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient SipRequest partialRequest;

    /**
     * A parse error answered with 400.
     *
     * @param message what was wrong, e.g. "Bad CSeq: method does not match request line"
     */
    public SipParseException(String message) {
        this(message, 400, null);
    }

    SipParseException(String message, int status, SipRequest partialRequest) {
        super(message);
        this.status = status;
        this.partialRequest = partialRequest;
    }

    /**
     * The response code to answer with: 400 usually, 505 for a SIP version other than 2.0. An
     * unsupported Request-URI scheme (416) is not raised here: the transport decides.
     *
     * @return the status code
     */
    public int status() {
        return status;
    }

    /**
     * Best effort: the start line plus the Via, From, To, Call-ID and CSeq fields that did parse,
     * so that a 400 (or 505) can be built with {@link SipRequest#createResponse(int, String)}.
     *
     * @return the partial request, or null when the start line was not a request line
     */
    public SipRequest partialRequest() {
        return partialRequest;
    }
}
