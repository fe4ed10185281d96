package org.confab.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.confab.sip.message.internal.HeaderField;
import org.confab.sip.message.internal.HeaderTable;
import org.confab.sip.message.internal.Text;

/**
 * A SIP request or response (RFC 3261 §7): start line, header fields in order, body.
 *
 * <p>A parsed message is an index over the received bytes: header values become strings only
 * when asked for, and {@link #toBytes()} writes every field that was not changed from its
 * original bytes. Header names are case-insensitive and compact forms are the same header as
 * their long forms. Typed accessors of headers that the parser did not validate (Contact,
 * Expires of a changed message...) throw {@link IllegalArgumentException} with the parse
 * error as cause when the value is malformed.
 *
 * <p>Messages are mutable and not thread-safe. The byte array a message was parsed from must
 * not be modified while the message is in use; arrays returned by {@link #body()} must not be
 * modified either.
 */
public abstract class SipMessage {

    private static final byte[] EMPTY = new byte[0];
    private static final byte[] CRLF = {'\r', '\n'};

    ArrayList<HeaderField> fields;
    /** Received bytes holding the start line and body; null for a message built by code. */
    byte[] src;
    int startLineStart;
    int startLineEnd;
    int blankStart;
    int blankEnd;
    boolean startLineChanged;
    private byte[] bodySrc = EMPTY;
    private int bodyOff;
    private int bodyLen;

    private List<Via> vias;
    private NameAddr from;
    private NameAddr to;
    private CSeq cseq;
    private int maxForwards = Integer.MIN_VALUE;
    private int expires = Integer.MIN_VALUE;
    private List<NameAddr> contacts;
    private boolean wildcard;

    SipMessage() {
        this(new ArrayList<>(12));
    }

    /** With the parser's list of fields, so that no empty list is made to be thrown away. */
    SipMessage(ArrayList<HeaderField> fields) {
        this.fields = fields;
    }

    /** @return the SIP version, always "SIP/2.0" (the parser rejects others) */
    public String sipVersion() {
        return "SIP/2.0";
    }

    /** @return true for a request */
    public abstract boolean isRequest();

    /** The start line without its terminator, for a message built or changed by code. */
    abstract String startLine();

    // ---- generic header access -------------------------------------------------------------

    /**
     * @param name header name, any case or compact form
     * @return the first field's value (unfolded, trimmed), or null
     */
    public String header(String name) {
        String key = HeaderTable.key(name);
        for (int i = 0, n = fields.size(); i < n; i++) {
            HeaderField f = fields.get(i);
            if (f.key().equals(key)) {
                return f.value();
            }
        }
        return null;
    }

    /**
     * @param name header name
     * @return every field's value in order, not split on commas
     */
    public List<String> headers(String name) {
        String key = HeaderTable.key(name);
        List<String> out = new ArrayList<>(2);
        for (HeaderField f : fields) {
            if (f.key().equals(key)) {
                out.add(f.value());
            }
        }
        return out;
    }

    /**
     * Every value of a header in order, comma lists split (quoted strings and {@code <...>}
     * respected). Headers whose grammar has commas inside one value (Authorization,
     * WWW-Authenticate, Date, From, To...) are not split.
     *
     * @param name header name
     * @return the values
     */
    public List<String> headerValues(String name) {
        String key = HeaderTable.key(name);
        List<String> out = new ArrayList<>(2);
        for (HeaderField f : fields) {
            if (f.key().equals(key)) {
                addValues(out, f);
            }
        }
        return out;
    }

    private static void addValues(List<String> out, HeaderField f) {
        String v = f.value();
        if (!f.isList() || v.indexOf(',') < 0) {
            if (!v.isEmpty()) {
                out.add(v);
            }
            return;
        }
        try {
            out.addAll(Text.splitCommas(v));
        } catch (IllegalArgumentException e) {
            out.add(v);
        }
    }

    /**
     * @param name header name
     * @return true when at least one field of the name is present
     */
    public boolean hasHeader(String name) {
        return indexOf(HeaderTable.key(name)) >= 0;
    }

    /**
     * Replaces all fields of the name by one, at the place of the first, else at the end.
     *
     * @param name header name as it should be written
     * @param value the value (no CR or LF)
     */
    public void setHeader(String name, String value) {
        HeaderField nf = HeaderField.of(name, value);
        String key = nf.key();
        int first = -1;
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (fields.get(i).key().equals(key)) {
                if (first >= 0) {
                    fields.remove(first);
                }
                first = i;
            }
        }
        if (first >= 0) {
            fields.set(first, nf);
        } else {
            fields.add(nf);
        }
        changed(key);
    }

    /**
     * Appends a field after the last field of that name, else at the end.
     *
     * @param name header name
     * @param value the value
     */
    public void addHeader(String name, String value) {
        HeaderField nf = HeaderField.of(name, value);
        String key = nf.key();
        int last = -1;
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).key().equals(key)) {
                last = i;
            }
        }
        fields.add(last < 0 ? fields.size() : last + 1, nf);
        changed(key);
    }

    /**
     * Inserts a field as the topmost of that name (Via, Record-Route); when there is none, as
     * the first header of the message.
     *
     * @param name header name
     * @param value the value
     */
    public void addHeaderFirst(String name, String value) {
        HeaderField nf = HeaderField.of(name, value);
        int first = indexOf(nf.key());
        fields.add(first < 0 ? 0 : first, nf);
        changed(nf.key());
    }

    /**
     * @param name header name
     * @return how many fields were removed
     */
    public int removeHeader(String name) {
        String key = HeaderTable.key(name);
        int removed = 0;
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (fields.get(i).key().equals(key)) {
                fields.remove(i);
                removed++;
            }
        }
        if (removed > 0) {
            changed(key);
        }
        return removed;
    }

    /**
     * Pops the first value of a list header (the top Via, the first Route): a field holding
     * several comma-separated values keeps the rest.
     *
     * @param name header name
     * @return the removed value, trimmed; null when there is none
     */
    public String removeFirstValue(String name) {
        String key = HeaderTable.key(name);
        int idx = indexOf(key);
        if (idx < 0) {
            return null;
        }
        HeaderField f = fields.get(idx);
        String v = f.value();
        int comma = f.isList() ? Text.firstCommaOutside(v) : -1;
        String first;
        if (comma < 0) {
            fields.remove(idx);
            first = v;
        } else {
            first = Text.trimLws(v.substring(0, comma));
            String rest = Text.trimLws(v.substring(comma + 1));
            if (rest.isEmpty()) {
                fields.remove(idx);
            } else {
                fields.set(idx, HeaderField.of(f.name(), rest));
            }
        }
        changed(key);
        return first;
    }

    /** @return the names of all fields in order, as they appear */
    public List<String> headerNames() {
        List<String> out = new ArrayList<>(fields.size());
        for (HeaderField f : fields) {
            out.add(f.name());
        }
        return out;
    }

    private int indexOf(String key) {
        for (int i = 0, n = fields.size(); i < n; i++) {
            if (fields.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** Drops cached typed values of a header after a change. */
    private void changed(String key) {
        switch (key) {
            case HeaderNames.VIA: vias = null; break;
            case HeaderNames.FROM: from = null; break;
            case HeaderNames.TO: to = null; break;
            case HeaderNames.CSEQ: cseq = null; break;
            case HeaderNames.MAX_FORWARDS: maxForwards = Integer.MIN_VALUE; break;
            case HeaderNames.EXPIRES: expires = Integer.MIN_VALUE; break;
            case HeaderNames.CONTACT: contacts = null; break;
            default: break;
        }
    }

    // ---- body -----------------------------------------------------------------------------

    /** @return the body, never null (empty array when none); do not modify */
    public byte[] body() {
        if (bodyOff != 0 || bodyLen != bodySrc.length) {
            bodySrc = Arrays.copyOfRange(bodySrc, bodyOff, bodyOff + bodyLen);
            bodyOff = 0;
        }
        return bodySrc;
    }

    /**
     * Sets the body (kept by reference, not copied), Content-Type (removed when null) and
     * Content-Length (RFC 3261 §20.14).
     *
     * @param contentType media type or null
     * @param body the body; null for none
     */
    public void setBody(String contentType, byte[] body) {
        byte[] b = body == null ? EMPTY : body;
        bodySrc = b;
        bodyOff = 0;
        bodyLen = b.length;
        if (contentType == null) {
            removeHeader(HeaderNames.CONTENT_TYPE);
        } else {
            setHeader(HeaderNames.CONTENT_TYPE, contentType);
        }
        setHeader(HeaderNames.CONTENT_LENGTH, Integer.toString(b.length));
    }

    void setParsedBody(byte[] data, int off, int len) {
        bodySrc = data;
        bodyOff = off;
        bodyLen = len;
    }

    // ---- typed accessors ------------------------------------------------------------------

    /** @return the Call-ID or null */
    public String callId() {
        return header(HeaderNames.CALL_ID);
    }

    /** @return the CSeq or null when absent */
    public CSeq cseq() {
        CSeq c = cseq;
        if (c == null) {
            String v = header(HeaderNames.CSEQ);
            if (v == null) {
                return null;
            }
            try {
                c = CSeq.parse(v);
            } catch (SipParseException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            cseq = c;
        }
        return c;
    }

    /** @return the From header or null when absent */
    public NameAddr from() {
        NameAddr a = from;
        if (a == null) {
            a = address(HeaderNames.FROM);
            from = a;
        }
        return a;
    }

    /** @return the To header or null when absent */
    public NameAddr to() {
        NameAddr a = to;
        if (a == null) {
            a = address(HeaderNames.TO);
            to = a;
        }
        return a;
    }

    private NameAddr address(String name) {
        String v = header(name);
        if (v == null) {
            return null;
        }
        try {
            return NameAddr.parse(v);
        } catch (SipParseException e) {
            throw new IllegalArgumentException("Bad " + name + ": " + e.getMessage(), e);
        }
    }

    /** @return the topmost Via or null */
    public Via topVia() {
        List<Via> v = vias();
        return v.isEmpty() ? null : v.get(0);
    }

    /** @return every Via value, top first, unmodifiable */
    public List<Via> vias() {
        List<Via> v = vias;
        if (v == null) {
            v = new ArrayList<>(2);
            try {
                // headerValues without its intermediate lists: the transport re-reads the Vias of every request
                for (int i = 0, n = fields.size(); i < n; i++) {
                    HeaderField f = fields.get(i);
                    if (!f.key().equals(HeaderNames.VIA)) {
                        continue;
                    }
                    String s = f.value();
                    if (Text.isSingleValue(s)) {
                        if (!s.isEmpty()) {
                            v.add(Via.parse(s));
                        }
                        continue;
                    }
                    List<String> values = new ArrayList<>(2);
                    addValues(values, f);
                    for (String one : values) {
                        v.add(Via.parse(one));
                    }
                }
            } catch (SipParseException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            v = Collections.unmodifiableList(v);
            vias = v;
        }
        return v;
    }

    /** @return Max-Forwards, -1 when absent */
    public int maxForwards() {
        int m = maxForwards;
        if (m == Integer.MIN_VALUE) {
            String v = header(HeaderNames.MAX_FORWARDS);
            if (v == null) {
                m = -1;
            } else {
                long l = Text.parseDigits(v, 255);
                if (l < 0) {
                    throw new IllegalArgumentException("Bad Max-Forwards: '" + v + "'");
                }
                m = (int) l;
            }
            maxForwards = m;
        }
        return m;
    }

    /** @return the Contact addresses, empty for none and for {@code Contact: *} */
    public List<NameAddr> contacts() {
        List<NameAddr> c = contacts;
        if (c == null) {
            c = new ArrayList<>(2);
            boolean star = false;
            for (String v : headerValues(HeaderNames.CONTACT)) {
                if (v.equals("*")) {
                    star = true;
                    continue;
                }
                try {
                    c.add(NameAddr.parse(v));
                } catch (SipParseException e) {
                    throw new IllegalArgumentException("Bad Contact: " + e.getMessage(), e);
                }
            }
            c = Collections.unmodifiableList(c);
            wildcard = star;
            contacts = c;
        }
        return c;
    }

    /** @return true for {@code Contact: *} (RFC 3261 §10.2.2) */
    public boolean isWildcardContact() {
        contacts();
        return wildcard;
    }

    /** @return the Expires header in seconds (values above 2^31-1 clamp to it), -1 when absent */
    public int expires() {
        int e = expires;
        if (e == Integer.MIN_VALUE) {
            String v = header(HeaderNames.EXPIRES);
            e = v == null ? -1 : parseExpires(v);
            if (e == Integer.MIN_VALUE) {
                throw new IllegalArgumentException("Bad Expires: '" + v + "'");
            }
            expires = e;
        }
        return e;
    }

    /** Delta-seconds; RFC 3261 §20.19 values beyond range are clamped. MIN_VALUE when malformed. */
    static int parseExpires(String v) {
        if (!Text.allDigits(v)) {
            return Integer.MIN_VALUE;
        }
        long l = v.length() > 10 ? Long.MAX_VALUE : Long.parseLong(v);
        return (int) Math.min(l, Integer.MAX_VALUE);
    }

    /** Gives m, which got this message's Via, From, To and CSeq fields unchanged, their parsed values. */
    void shareParsed(SipMessage m) {
        m.vias = vias;
        m.from = from;
        m.to = to;
        m.cseq = cseq;
    }

    void setParsedCaches(List<Via> vias, NameAddr from, NameAddr to, CSeq cseq, int maxForwards, int expires) {
        this.vias = vias;
        this.from = from;
        this.to = to;
        this.cseq = cseq;
        this.maxForwards = maxForwards;
        this.expires = expires;
    }

    // ---- serialisation --------------------------------------------------------------------

    /**
     * Serialises the message. Fields that were not changed are written from their original
     * bytes. A message built by code without a Content-Length field gets one at the end of
     * its header (RFC 3261 §20.14).
     *
     * @return the wire form
     */
    public byte[] toBytes() {
        byte[] start = null;
        int size;
        boolean original = src != null && !startLineChanged;
        if (original) {
            size = startLineEnd - startLineStart;
        } else {
            start = startLine().getBytes(StandardCharsets.UTF_8);
            size = start.length + 2;
        }
        for (int i = 0, n = fields.size(); i < n; i++) {
            size += fields.get(i).wireLength();
        }
        byte[] extra = null;
        if (src == null && indexOf(HeaderNames.CONTENT_LENGTH) < 0) {
            extra = ("Content-Length: " + bodyLen + "\r\n").getBytes(StandardCharsets.US_ASCII);
            size += extra.length;
        }
        boolean originalBlank = src != null && blankEnd > blankStart;
        size += originalBlank ? blankEnd - blankStart : 2;
        size += bodyLen;
        byte[] out = new byte[size];
        int p;
        if (original) {
            p = startLineEnd - startLineStart;
            System.arraycopy(src, startLineStart, out, 0, p);
        } else {
            System.arraycopy(start, 0, out, 0, start.length);
            p = start.length;
            out[p++] = '\r';
            out[p++] = '\n';
        }
        for (int i = 0, n = fields.size(); i < n; i++) {
            p = fields.get(i).writeTo(out, p);
        }
        if (extra != null) {
            System.arraycopy(extra, 0, out, p, extra.length);
            p += extra.length;
        }
        if (originalBlank) {
            System.arraycopy(src, blankStart, out, p, blankEnd - blankStart);
            p += blankEnd - blankStart;
        } else {
            System.arraycopy(CRLF, 0, out, p, 2);
            p += 2;
        }
        System.arraycopy(bodySrc, bodyOff, out, p, bodyLen);
        return out;
    }

    /**
     * @return a deep, independent copy (header fields are immutable and shared; the body array
     *         is shared as it is never modified in place)
     */
    public abstract SipMessage copy();

    /** Copies everything but the start line into {@code m}. */
    <T extends SipMessage> T copyInto(T copy) {
        SipMessage m = copy;
        m.fields = new ArrayList<>(fields);
        m.src = src;
        m.startLineStart = startLineStart;
        m.startLineEnd = startLineEnd;
        m.blankStart = blankStart;
        m.blankEnd = blankEnd;
        m.startLineChanged = startLineChanged;
        m.bodySrc = bodySrc;
        m.bodyOff = bodyOff;
        m.bodyLen = bodyLen;
        m.vias = vias;
        m.from = from;
        m.to = to;
        m.cseq = cseq;
        m.maxForwards = maxForwards;
        m.expires = expires;
        m.contacts = contacts;
        m.wildcard = wildcard;
        return copy;
    }

    /** @return the wire form as text, for logs */
    @Override
    public String toString() {
        return new String(toBytes(), StandardCharsets.UTF_8);
    }
}
