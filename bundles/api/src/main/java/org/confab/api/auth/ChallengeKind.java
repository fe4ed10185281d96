package org.confab.api.auth;

/** Which challenge a server sends: as the registrar (401) or as a proxy (407). */
public enum ChallengeKind {
    /** 401 with WWW-Authenticate; the client answers with Authorization. */
    SERVER(401, "WWW-Authenticate", "Authorization", "Authentication-Info"),
    /** 407 with Proxy-Authenticate; the client answers with Proxy-Authorization. */
    PROXY(407, "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Authentication-Info");

    private final int status;
    private final String challengeHeader;
    private final String credentialsHeader;
    private final String infoHeader;

    ChallengeKind(int status, String challengeHeader, String credentialsHeader, String infoHeader) {
        this.status = status;
        this.challengeHeader = challengeHeader;
        this.credentialsHeader = credentialsHeader;
        this.infoHeader = infoHeader;
    }

    /** 401 or 407. */
    public int status() {
        return status;
    }

    /** The header that carries the challenge. */
    public String challengeHeader() {
        return challengeHeader;
    }

    /** The header in which the client answers. */
    public String credentialsHeader() {
        return credentialsHeader;
    }

    /** The header in which the server signs or confirms ([MS-SIPAE], RFC 7616 §3.5). */
    public String infoHeader() {
        return infoHeader;
    }
}
