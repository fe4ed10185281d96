package org.confab.sip.transport.internal;

import java.net.InetSocketAddress;

/**
 * A flow that is nothing but a listener and a remote address (UDP). What keeps one for long
 * ({@link CompletedTransactions}, 32 s per transaction) can keep those two parts instead of the
 * flow object, and make the flow again when it needs it: at thousands of transactions a second,
 * one small object per entry kept is what the collector copies.
 */
public interface DatagramFlow extends TransportFlow {

    /** The listener: one object for its lifetime, shared by all its flows. */
    Source source();

    /** A listener that makes its flows from a remote address. */
    interface Source {
        TransportFlow flow(InetSocketAddress remote);
    }
}
