package org.confab.sip.message;

/**
 * Any absoluteURI whose scheme this library does not interpret (RFC 3261 §25.1), kept as
 * written. A Request-URI of this kind parses; whether to answer 416 is the transport's choice.
 */
public final class AbsoluteUri extends Uri {

    private final String scheme;
    private final String text;

    AbsoluteUri(String scheme, String text) {
        this.scheme = scheme;
        this.text = text;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AbsoluteUri && ((AbsoluteUri) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
