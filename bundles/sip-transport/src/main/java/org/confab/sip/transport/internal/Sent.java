package org.confab.sip.transport.internal;

import org.confab.api.transport.TransportException;

/** What was written where, kept by a transaction to retransmit the same bytes (RFC 3261 §17). */
record Sent(TransportFlow flow, byte[] bytes) {

    void again() throws TransportException {
        flow.write(bytes);
    }
}
