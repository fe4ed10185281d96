package org.confab.sip.transport.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Factory PID org.confab.sip.transport.listener: one configuration per listening socket. */
@ObjectClassDefinition(id = "org.confab.sip.transport.listener", name = "Confab SIP listener",
        description = "One SIP listening socket")
@interface ListenerConfiguration {

    @AttributeDefinition(description = "udp or tcp")
    String transport() default "udp";

    @AttributeDefinition(description = "Address to listen on; 0.0.0.0 (or ::) for all")
    String host() default "0.0.0.0";

    @AttributeDefinition(description = "Port to listen on")
    int port() default 5060;
}
