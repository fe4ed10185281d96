package org.confab.sip.transport.internal.osgi;

import org.confab.api.transport.Flow;
import org.confab.api.transport.OutboundInterceptor;
import org.confab.api.transport.SipApplication;
import org.confab.api.transport.ServerTransaction;
import org.confab.sip.message.SipMessage;
import org.confab.sip.transport.internal.ApplicationUnavailableException;
import org.osgi.service.component.ComponentServiceObjects;

/**
 * Whiteboard services fetched on first use rather than at bind time. Roles reference the
 * transport's SipClient while the transport tracks the roles' services: getting the role's
 * object while the transport itself is being activated would be a service-factory cycle
 * (Felix SCR: "ServiceFactory.getService() resulted in a cycle").
 */
final class LazyServices {

    private LazyServices() {
    }

    static SipApplication application(ComponentServiceObjects<SipApplication> objects) {
        return new SipApplication() {
            private volatile SipApplication target;

            @Override
            public void onRequest(ServerTransaction transaction) {
                SipApplication t = target;
                if (t == null) {
                    t = objects.getService();
                    if (t == null) {
                        throw new ApplicationUnavailableException("SIP application went away");
                    }
                    target = t;
                }
                t.onRequest(transaction);
            }

            @Override
            public String toString() {
                return "lazy " + objects.getServiceReference();
            }
        };
    }

    static OutboundInterceptor interceptor(ComponentServiceObjects<OutboundInterceptor> objects) {
        return new OutboundInterceptor() {
            private volatile OutboundInterceptor target;

            @Override
            public void beforeSend(SipMessage message, Flow flow) {
                OutboundInterceptor t = target;
                if (t == null) {
                    t = objects.getService();
                    if (t == null) {
                        return;
                    }
                    target = t;
                }
                t.beforeSend(message, flow);
            }
        };
    }
}
