package org.confab.sip.transport.internal;

/** What a decoder produces from the bytes of a listener: a message, a keep-alive ping, or a framing error. */
public final class InboundFrame {

    /** The kinds of frame. */
    public enum Kind {
        /** One complete SIP message (not parsed yet). */
        MESSAGE,
        /** A CRLFCRLF ping (RFC 5626 §3.5.1), to be answered with CRLF. */
        KEEPALIVE,
        /** The stream cannot be framed further: answer {@link #status()} if non-zero, then close. */
        ERROR
    }

    private static final InboundFrame KEEPALIVE_FRAME = new InboundFrame(Kind.KEEPALIVE, null, 0, null);

    private final Kind kind;
    private final byte[] bytes;
    private final int status;
    private final String reason;

    private InboundFrame(Kind kind, byte[] bytes, int status, String reason) {
        this.kind = kind;
        this.bytes = bytes;
        this.status = status;
        this.reason = reason;
    }

    public static InboundFrame message(byte[] bytes) {
        return new InboundFrame(Kind.MESSAGE, bytes, 0, null);
    }

    public static InboundFrame keepAlive() {
        return KEEPALIVE_FRAME;
    }

    /**
     * @param status the response to send before closing (400, 513), 0 for none
     * @param head the header section, from which a request may be rebuilt to answer; may be null
     */
    public static InboundFrame error(int status, String reason, byte[] head) {
        return new InboundFrame(Kind.ERROR, head, status, reason);
    }

    public Kind kind() {
        return kind;
    }

    /** The message (MESSAGE) or the header section (ERROR, may be null). */
    public byte[] bytes() {
        return bytes;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case MESSAGE -> "SIP message (" + bytes.length + " bytes)";
            case KEEPALIVE -> "CRLF keep-alive";
            case ERROR -> "framing error " + status + " " + reason;
        };
    }
}
