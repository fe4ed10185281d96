package org.confab.sip.transport.internal;

import org.confab.api.transport.Flow;
import org.confab.api.transport.TransportException;

/** A flow as the transport itself sees it: it can write bytes and be closed. */
public interface TransportFlow extends Flow {

    /** Writes one serialised message (or a keep-alive); never blocks on the network. */
    void write(byte[] data) throws TransportException;

    /** Closes a connection (after pending writes when asked); a no-op for UDP flows. */
    void close(boolean afterFlush);
}
