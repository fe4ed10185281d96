-- Version 2: the location service (registered endpoints, RFC 3261 §10 and RFC 5626).
-- EXPIRES is epoch milliseconds (UTC): no time zone conversion between servers.

CREATE TABLE RTC.BINDINGS (
    AOR          VARCHAR(512)  NOT NULL,
    CONTACT      VARCHAR(1024) NOT NULL,
    FLOW_ID      VARCHAR(128),
    TRANSPORT    VARCHAR(8),
    SOURCE       VARCHAR(80),
    EXPIRES      BIGINT        NOT NULL,
    INSTANCE_ID  VARCHAR(256),
    REG_ID       INTEGER       NOT NULL,
    CALL_ID      VARCHAR(256),
    CSEQ         BIGINT        NOT NULL,
    USER_AGENT   VARCHAR(256)  NOT NULL,
    Q            INTEGER       NOT NULL,
    CONSTRAINT BINDINGS_PK PRIMARY KEY (AOR, CONTACT)
);

CREATE INDEX BINDINGS_EXPIRES_IX ON RTC.BINDINGS (EXPIRES);
