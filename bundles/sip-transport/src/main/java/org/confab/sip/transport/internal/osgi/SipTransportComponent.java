package org.confab.sip.transport.internal.osgi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.confab.api.transport.ClientTransaction;
import org.confab.api.transport.Destination;
import org.confab.api.transport.Flow;
import org.confab.api.transport.FlowRegistry;
import org.confab.api.transport.OutboundInterceptor;
import org.confab.api.transport.ResponseListener;
import org.confab.api.transport.SipApplication;
import org.confab.api.transport.SipClient;
import org.confab.api.transport.TransportException;
import org.confab.sip.message.SipMessage;
import org.confab.sip.message.SipRequest;
import org.confab.sip.transport.internal.ApplicationRegistry;
import org.confab.sip.transport.internal.InterceptorRegistry;
import org.confab.sip.transport.internal.ListenerSpec;
import org.confab.sip.transport.internal.SipStack;
import org.confab.sip.transport.internal.StackConfig;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DS face of {@link SipStack}: provides SipClient and FlowRegistry, tracks the
 * SipApplication and OutboundInterceptor whiteboards and the listener configurations.
 * A change of org.confab.sip.transport restarts the stack (connections are reopened by clients).
 */
@Component(name = "org.confab.sip.transport", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {SipClient.class, FlowRegistry.class}, immediate = true)
@Designate(ocd = TransportConfiguration.class)
public final class SipTransportComponent implements SipClient, FlowRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(SipTransportComponent.class);

    private final ApplicationRegistry applications = new ApplicationRegistry();
    private final InterceptorRegistry interceptors = new InterceptorRegistry();
    private final Map<Object, SipApplication> applicationsById = new ConcurrentHashMap<>();
    private final Map<Object, OutboundInterceptor> interceptorsById = new ConcurrentHashMap<>();
    private final Set<ListenerSpec> listeners = new LinkedHashSet<>();
    private final List<FlowListener> flowListeners = new CopyOnWriteArrayList<>();
    private SipStack stack;

    static StackConfig toStackConfig(TransportConfiguration c) {
        return StackConfig.defaults()
                .withMaxMessageSize(c.max_message_size())
                .withTimers(c.t1_ms(), c.t2_ms(), c.t4_ms())
                .withTcpIdleTimeoutSeconds(c.tcp_idle_timeout_s())
                .withExpectedMethods(c.expected_methods())
                .withRetryAfterSeconds(c.retry_after_s())
                .withMaxTransactions(c.max_transactions())
                .withMaxCompletedTransactions(c.max_completed_transactions())
                .withAdvertisedHost(c.advertised_host())
                .withAppDispatch(c.app_dispatch())
                .withAppExecutor(c.app_threads(), c.app_queue_size())
                .withUdpReceivers(c.udp_receivers())
                .withInviteTimeoutSeconds(c.invite_timeout_s())
                .withRateLimit(c.rate_limit_requests(), c.rate_limit_window_ms(), c.rate_limit_drop())
                .withScannerUserAgents(c.scanner_user_agents())
                .withMaxTrackedSources(c.max_tracked_sources())
                .withMaxUdpFlows(c.max_udp_flows())
                .withProxyRequireSupported(c.proxy_require_supported())
                .withMaxConnectionsPerSource(c.max_connections_per_source())
                .withHeaderTimeoutSeconds(c.header_timeout_s());
    }

    @Activate
    void activate(TransportConfiguration config) {
        SipStack s = new SipStack(toStackConfig(config), applications, interceptors);
        s.start();
        synchronized (this) {
            flowListeners.forEach(s::addFlowListener);
            stack = s;
            for (ListenerSpec spec : listeners) {
                open(s, spec);
            }
        }
    }

    @Deactivate
    void deactivate() {
        SipStack s;
        synchronized (this) {
            s = stack;
            stack = null;
        }
        if (s != null) {
            s.stop();
        }
    }

    private static void open(SipStack s, ListenerSpec spec) {
        try {
            s.addListener(spec);
        } catch (IOException | RuntimeException e) {
            LOG.error("SIP listener {} could not start: {}", spec, e.getMessage(), e);
        }
    }

    private synchronized SipStack stack() throws IllegalStateException {
        if (stack == null) {
            throw new IllegalStateException("SIP transport is not active");
        }
        return stack;
    }

    /** The address a listener is bound to, or null (tests, administration). */
    synchronized InetSocketAddress boundAddress(ListenerSpec spec) {
        return stack == null ? null : stack.boundAddress(spec);
    }

    // ---- whiteboards

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedApplication")
    void bindApplication(ComponentServiceObjects<SipApplication> objects, Map<String, Object> props) {
        SipApplication app = LazyServices.application(objects);
        SipApplication old = applicationsById.put(props.get("service.id"), app);
        if (old != null) {
            applications.remove(old);
        }
        applications.add(app, props);
        LOG.debug("SIP application for {}: {}", props.get(SipApplication.METHOD_PROPERTY), app);
    }

    void updatedApplication(ComponentServiceObjects<SipApplication> objects, Map<String, Object> props) {
        SipApplication app = applicationsById.get(props.get("service.id"));
        if (app != null) {
            applications.add(app, props);
        }
    }

    void unbindApplication(ComponentServiceObjects<SipApplication> objects, Map<String, Object> props) {
        SipApplication app = applicationsById.remove(props.get("service.id"));
        if (app != null) {
            applications.remove(app);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedInterceptor")
    void bindInterceptor(ComponentServiceObjects<OutboundInterceptor> objects, Map<String, Object> props) {
        OutboundInterceptor interceptor = LazyServices.interceptor(objects);
        OutboundInterceptor old = interceptorsById.put(props.get("service.id"), interceptor);
        if (old != null) {
            interceptors.remove(old);
        }
        interceptors.add(interceptor, props);
    }

    void updatedInterceptor(ComponentServiceObjects<OutboundInterceptor> objects, Map<String, Object> props) {
        OutboundInterceptor interceptor = interceptorsById.get(props.get("service.id"));
        if (interceptor != null) {
            interceptors.add(interceptor, props);
        }
    }

    void unbindInterceptor(ComponentServiceObjects<OutboundInterceptor> objects, Map<String, Object> props) {
        OutboundInterceptor interceptor = interceptorsById.remove(props.get("service.id"));
        if (interceptor != null) {
            interceptors.remove(interceptor);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindListener(SipListenerComponent listener) {
        ListenerSpec spec = listener.spec();
        if (listeners.add(spec) && stack != null) {
            open(stack, spec);
        }
    }

    synchronized void unbindListener(SipListenerComponent listener) {
        ListenerSpec spec = listener.spec();
        if (listeners.remove(spec) && stack != null) {
            stack.removeListener(spec);
        }
    }

    // ---- services

    @Override
    public ClientTransaction send(SipRequest request, Destination destination, ResponseListener listener) {
        return stack().send(request, destination, listener);
    }

    @Override
    public void sendStateless(SipMessage message, Destination destination) throws TransportException {
        SipStack s;
        try {
            s = stack();
        } catch (IllegalStateException e) {
            throw new TransportException(e.getMessage());
        }
        s.sendStateless(message, destination);
    }

    @Override
    public String localSentBy(String transport) {
        return stack().localSentBy(transport);
    }

    @Override
    public Optional<Flow> find(String flowId) {
        return stack().find(flowId);
    }

    @Override
    public Collection<Flow> flows() {
        return stack().flows();
    }

    @Override
    public synchronized void addFlowListener(FlowListener listener) {
        flowListeners.add(listener);
        if (stack != null) {
            stack.addFlowListener(listener);
        }
    }

    @Override
    public synchronized void removeFlowListener(FlowListener listener) {
        flowListeners.remove(listener);
        if (stack != null) {
            stack.removeFlowListener(listener);
        }
    }
}
