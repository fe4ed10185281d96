package org.confab.sip.transport.internal.mina;

import java.io.IOException;

import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.confab.api.transport.TransportException;
import org.confab.sip.transport.internal.Inbound;
import org.confab.sip.transport.internal.InboundFrame;
import org.confab.sip.transport.internal.TransportFlow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates MINA events into the stack's transport-neutral {@link Inbound}. Runs on MINA's I/O
 * threads, one at a time per connection: nothing here may block (parsing, the transaction layer
 * and the hand-off of a new request to the application executor do not).
 */
final class SipIoHandler extends IoHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SipIoHandler.class);
    private static final Logger WIRE = LoggerFactory.getLogger(MinaNetwork.WIRE_LOGGER);
    private static final byte[] CRLF = {'\r', '\n'};

    private final MinaNetwork network;
    private final Inbound inbound;

    SipIoHandler(MinaNetwork network, Inbound inbound) {
        this.network = network;
        this.inbound = inbound;
    }

    private static boolean isStream(IoSession session) {
        return !session.getTransportMetadata().isConnectionless();
    }

    @Override
    public void sessionCreated(IoSession session) {
        if (isStream(session)) {
            if (!network.admit(session)) {
                session.closeNow(); // max.connections.per.source: closed at accept, no flow, no answer
                return;
            }
            network.flowOf(session); // registers the connection before any message or connect callback
        }
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        InboundFrame frame = (InboundFrame) message;
        TransportFlow flow = network.existingFlow(session);
        if (flow == null) {
            return; // refused at accept (the codec drops its bytes already)
        }
        if (WIRE.isTraceEnabled()) {
            WIRE.trace("{} RECEIVED {}", flow.id(), frame);
        }
        switch (frame.kind()) {
            case MESSAGE:
                if (!flow.isReliable()) {
                    inbound.udpFlowSeen(flow);
                }
                inbound.onMessage(flow, frame.bytes());
                break;
            case KEEPALIVE:
                try {
                    flow.write(CRLF); // RFC 5626 §3.5.1: pong
                } catch (TransportException e) {
                    LOG.debug("Keep-alive answer on {} failed: {}", flow.id(), e.getMessage());
                }
                break;
            default:
                inbound.onFramingError(flow, frame.status(), frame.reason(), frame.bytes());
                break;
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        if (isStream(session)) {
            network.release(session);
            TransportFlow flow = network.existingFlow(session);
            if (flow != null) {
                WIRE.debug("{} closed", flow.id());
                inbound.flowClosed(flow);
            }
        }
    }

    @Override
    public void sessionIdle(IoSession session, IdleStatus status) {
        if (isStream(session)) {
            LOG.debug("Closing idle connection {}", session.getRemoteAddress());
            session.closeNow();
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("I/O error on {}: {}", session.getRemoteAddress(), cause.toString());
        } else {
            LOG.warn("Error on {}", session.getRemoteAddress(), cause);
        }
        if (isStream(session)) {
            session.closeNow();
        }
    }
}
