package org.confab.sip.message;

import java.util.ArrayList;

import org.confab.sip.message.internal.HeaderField;

/** A SIP response (RFC 3261 §7.2). */
public final class SipResponse extends SipMessage {

    private final int status;
    private final String reason;

    /**
     * An empty SIP/2.0 response.
     *
     * @param status 100 to 699
     * @param reason the reason phrase; null for {@link #defaultReason(int)}
     */
    public SipResponse(int status, String reason) {
        this(status, reason, new ArrayList<>(12));
    }

    /** A response holding these fields (the parser's). */
    SipResponse(int status, String reason, ArrayList<HeaderField> fields) {
        super(fields);
        if (status < 100 || status > 699) {
            throw new IllegalArgumentException("Status code out of range: " + status);
        }
        if (reason != null && (reason.indexOf('\r') >= 0 || reason.indexOf('\n') >= 0)) {
            throw new IllegalArgumentException("Reason phrase contains CR or LF");
        }
        this.status = status;
        this.reason = reason == null ? defaultReason(status) : reason;
    }

    @Override
    public boolean isRequest() {
        return false;
    }

    /** @return the status code */
    public int status() {
        return status;
    }

    /** @return the reason phrase as sent */
    public String reason() {
        return reason;
    }

    @Override
    String startLine() {
        return "SIP/2.0 " + status + " " + reason;
    }

    @Override
    public SipResponse copy() {
        return copyInto(new SipResponse(status, reason));
    }

    /**
     * The reason phrase RFC 3261 §21 (and RFC 3265, 3892, 3903, 4028, 5839, 6665) gives a status code.
     *
     * @param status the code
     * @return the phrase; for an unknown code, a generic phrase of its class
     */
    public static String defaultReason(int status) {
        switch (status) {
            case 100: return "Trying";
            case 180: return "Ringing";
            case 181: return "Call Is Being Forwarded";
            case 182: return "Queued";
            case 183: return "Session Progress";
            case 199: return "Early Dialog Terminated";
            case 200: return "OK";
            case 202: return "Accepted";
            case 204: return "No Notification";
            case 300: return "Multiple Choices";
            case 301: return "Moved Permanently";
            case 302: return "Moved Temporarily";
            case 305: return "Use Proxy";
            case 380: return "Alternative Service";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 402: return "Payment Required";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 406: return "Not Acceptable";
            case 407: return "Proxy Authentication Required";
            case 408: return "Request Timeout";
            case 410: return "Gone";
            case 412: return "Conditional Request Failed";
            case 413: return "Request Entity Too Large";
            case 414: return "Request-URI Too Long";
            case 415: return "Unsupported Media Type";
            case 416: return "Unsupported URI Scheme";
            case 420: return "Bad Extension";
            case 421: return "Extension Required";
            case 422: return "Session Interval Too Small";
            case 423: return "Interval Too Brief";
            case 429: return "Provide Referrer Identity";
            case 480: return "Temporarily Unavailable";
            case 481: return "Call/Transaction Does Not Exist";
            case 482: return "Loop Detected";
            case 483: return "Too Many Hops";
            case 484: return "Address Incomplete";
            case 485: return "Ambiguous";
            case 486: return "Busy Here";
            case 487: return "Request Terminated";
            case 488: return "Not Acceptable Here";
            case 489: return "Bad Event";
            case 491: return "Request Pending";
            case 493: return "Undecipherable";
            case 500: return "Server Internal Error";
            case 501: return "Not Implemented";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Server Time-out";
            case 505: return "Version Not Supported";
            case 513: return "Message Too Large";
            case 600: return "Busy Everywhere";
            case 603: return "Decline";
            case 604: return "Does Not Exist Anywhere";
            case 606: return "Not Acceptable";
            default: return classReason(status);
        }
    }

    private static String classReason(int status) {
        switch (status / 100) {
            case 1: return "Session Progress";
            case 2: return "OK";
            case 3: return "Redirection";
            case 4: return "Client Error";
            case 5: return "Server Error";
            default: return "Global Failure";
        }
    }
}
