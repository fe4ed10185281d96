-- Version 4: credentials found by user name and realm without the in-memory cache (while it loads
-- at start). The unique constraint's index leads with SCHEME, which a lookup cannot use: the stored
-- scheme's case is the administrator's, the request's may differ.

CREATE INDEX CREDENTIALS_LOOKUP_IX ON RTC.CREDENTIALS (USERNAME, REALM);
