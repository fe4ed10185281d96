package org.confab.api.transport;

import org.confab.sip.message.SipMessage;

/**
 * Whiteboard hook called for every message just before it is serialised onto a flow, on the
 * flow's own ordered thread. The NTLM security association uses it to add a signed
 * {@code Authentication-Info}/{@code Proxy-Authentication-Info} header per flow ([MS-SIPAE] §3.3.5.2);
 * several interceptors run in service-ranking order.
 */
public interface OutboundInterceptor {

    /** May modify the message; must not block. */
    void beforeSend(SipMessage message, Flow flow);
}
