package org.confab.sip.transport.internal.osgi;

import org.confab.sip.transport.internal.ListenerSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One instance per configuration of the factory PID org.confab.sip.transport.listener. It only
 * carries the validated settings; {@link SipTransportComponent} binds it and opens the socket.
 */
@Component(name = "org.confab.sip.transport.listener", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = SipListenerComponent.class)
@Designate(ocd = ListenerConfiguration.class, factory = true)
public final class SipListenerComponent {

    private ListenerSpec spec;

    @Activate
    void activate(ListenerConfiguration config) {
        spec = new ListenerSpec(config.transport(), config.host(), config.port());
    }

    ListenerSpec spec() {
        return spec;
    }
}
