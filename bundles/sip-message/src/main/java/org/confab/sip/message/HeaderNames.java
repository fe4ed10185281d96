package org.confab.sip.message;

import org.confab.sip.message.internal.HeaderTable;

/** Header names in their RFC spelling, and the mapping of compact and any-case forms to it. */
public final class HeaderNames {

    /** RFC 3261 §20.42. */
    public static final String VIA = "Via";
    /** RFC 3261 §20.20. */
    public static final String FROM = "From";
    /** RFC 3261 §20.39. */
    public static final String TO = "To";
    /** RFC 3261 §20.8. */
    public static final String CALL_ID = "Call-ID";
    /** RFC 3261 §20.16. */
    public static final String CSEQ = "CSeq";
    /** RFC 3261 §20.10. */
    public static final String CONTACT = "Contact";
    /** RFC 3261 §20.22. */
    public static final String MAX_FORWARDS = "Max-Forwards";
    /** RFC 3261 §20.14. */
    public static final String CONTENT_LENGTH = "Content-Length";
    /** RFC 3261 §20.15. */
    public static final String CONTENT_TYPE = "Content-Type";
    /** RFC 3261 §20.19. */
    public static final String EXPIRES = "Expires";
    /** RFC 3261 §20.34. */
    public static final String ROUTE = "Route";
    /** RFC 3261 §20.30. */
    public static final String RECORD_ROUTE = "Record-Route";
    /** RFC 3261 §20.7. */
    public static final String AUTHORIZATION = "Authorization";
    /** RFC 3261 §20.28. */
    public static final String PROXY_AUTHORIZATION = "Proxy-Authorization";
    /** RFC 3261 §20.44. */
    public static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    /** RFC 3261 §20.27. */
    public static final String PROXY_AUTHENTICATE = "Proxy-Authenticate";
    /** RFC 3261 §20.6. */
    public static final String AUTHENTICATION_INFO = "Authentication-Info";
    /** RFC 3261 §20.23. */
    public static final String MIN_EXPIRES = "Min-Expires";
    /** RFC 3261 §20.5. */
    public static final String ALLOW = "Allow";
    /** RFC 3261 §20.37. */
    public static final String SUPPORTED = "Supported";
    /** RFC 3261 §20.32. */
    public static final String REQUIRE = "Require";
    /** RFC 3261 §20.29. */
    public static final String PROXY_REQUIRE = "Proxy-Require";
    /** RFC 3261 §20.40. */
    public static final String UNSUPPORTED = "Unsupported";
    /** RFC 3261 §20.33. */
    public static final String RETRY_AFTER = "Retry-After";
    /** RFC 3261 §20.41. */
    public static final String USER_AGENT = "User-Agent";
    /** RFC 3261 §20.35. */
    public static final String SERVER = "Server";
    /** RFC 6665 §8.2.1. */
    public static final String EVENT = "Event";
    /** RFC 3261 §20.17. */
    public static final String DATE = "Date";

    private HeaderNames() {
    }

    /**
     * The canonical form of a header name: known headers (including compact forms such as "v"
     * or "i") in their RFC spelling ("Via", "Call-ID"); unknown headers in lower case. Two names
     * denote the same header exactly when their canonical forms are equal.
     *
     * @param name a header name in any case or its compact form
     * @return the canonical form
     */
    public static String canonical(String name) {
        return HeaderTable.key(name.trim());
    }
}
