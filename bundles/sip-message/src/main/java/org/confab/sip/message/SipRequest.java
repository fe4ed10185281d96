package org.confab.sip.message;

import java.util.ArrayList;

import org.confab.sip.message.internal.HeaderField;
import org.confab.sip.message.internal.Text;

/** A SIP request (RFC 3261 §7.1). */
public final class SipRequest extends SipMessage {

    private final String method;
    private Uri requestUri;

    /**
     * An empty SIP/2.0 request; add headers with {@link #setHeader} and friends.
     *
     * @param method the method token, e.g. "INVITE"
     * @param requestUri the Request-URI
     */
    public SipRequest(String method, Uri requestUri) {
        if (!Text.isToken(method)) {
            throw new IllegalArgumentException("Bad method: " + method);
        }
        if (requestUri == null) {
            throw new IllegalArgumentException("Request-URI is null");
        }
        this.method = method;
        this.requestUri = requestUri;
    }

    /** Used by the parser, with its list of fields. */
    SipRequest(String method, Uri requestUri, ArrayList<HeaderField> fields) {
        super(fields);
        this.method = method;
        this.requestUri = requestUri;
    }

    /** Used by the parser; the URI may be null in a partial request. */
    SipRequest(String method, Uri requestUri, boolean parsed) {
        this.method = method;
        this.requestUri = requestUri;
    }

    @Override
    public boolean isRequest() {
        return true;
    }

    /** @return the method, case as sent */
    public String method() {
        return method;
    }

    /** @return the Request-URI (null only in the partial request of a parse error) */
    public Uri requestUri() {
        return requestUri;
    }

    /**
     * Replaces the Request-URI (RFC 3261 §16.6 step 2); the start line is rewritten on output.
     *
     * @param uri the new Request-URI
     */
    public void setRequestUri(Uri uri) {
        if (uri == null) {
            throw new IllegalArgumentException("Request-URI is null");
        }
        this.requestUri = uri;
        startLineChanged = true;
    }

    @Override
    String startLine() {
        return method + " " + requestUri + " SIP/2.0";
    }

    /**
     * Builds a response (RFC 3261 §8.2.6) with the default reason phrase.
     *
     * @param status 100 to 699
     * @return the response
     */
    public SipResponse createResponse(int status) {
        return createResponse(status, null);
    }

    /**
     * Builds a response (RFC 3261 §8.2.6): copies all Via fields in order, From, To, Call-ID,
     * CSeq and Timestamp (RFC 3261 §8.2.6.1), and sets Content-Length 0. Adding a To tag is
     * the transaction layer's job.
     *
     * @param status 100 to 699
     * @param reason the reason phrase; null for the default
     * @return the response
     */
    public SipResponse createResponse(int status, String reason) {
        SipResponse r = new SipResponse(status, reason);
        for (HeaderField f : fields) {
            switch (f.key()) {
                case HeaderNames.VIA:
                case HeaderNames.FROM:
                case HeaderNames.TO:
                case HeaderNames.CALL_ID:
                case HeaderNames.CSEQ:
                case "Timestamp":
                    r.fields.add(f);
                    break;
                default:
                    break;
            }
        }
        // the response's To is read at once to add a tag: no need to parse it again
        shareParsed(r);
        r.setHeader(HeaderNames.CONTENT_LENGTH, "0");
        return r;
    }

    @Override
    public SipRequest copy() {
        return copyInto(new SipRequest(method, requestUri, true));
    }
}
