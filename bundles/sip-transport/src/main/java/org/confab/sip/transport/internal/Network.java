package org.confab.sip.transport.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;

/** The sockets under the stack (MINA in production, fakes in unit tests). */
public interface Network {

    /** Binds a listener; returns the address actually bound (port 0 resolved). */
    InetSocketAddress bind(ListenerSpec spec) throws IOException;

    /** Unbinds a listener and closes its connections. */
    void unbind(ListenerSpec spec);

    /**
     * The UDP flow between the listener bound at {@code local} (null: the first UDP listener)
     * and a remote address; null when there is no such listener.
     */
    TransportFlow udpFlow(InetSocketAddress local, InetSocketAddress remote);

    /**
     * Opens a connection; the callback gets the flow, or the error. Never blocks; the
     * callback may run on another thread.
     */
    void connect(String transport, InetSocketAddress remote, BiConsumer<TransportFlow, Exception> callback);

    /** Releases every socket and thread. */
    void shutdown();
}
