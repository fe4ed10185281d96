package org.confab.registrar.internal;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.confab.api.store.LocationStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Endpoint Expiration task: removes lapsed bindings every {@code expire.interval.s}
 * seconds. Kept apart from the registrar because in a pool exactly one server will run it,
 * under a lease in the back-end database.
 */
@Component(name = "org.confab.registrar.expiration", configurationPid = "org.confab.registrar", service = {})
public class EndpointExpiration {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointExpiration.class);

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile LocationStore locationStore;

    /** Replaced by tests to move time. */
    Clock clock = Clock.systemUTC();

    private ScheduledExecutorService executor;
    private ScheduledFuture<?> job;

    @Activate
    synchronized void activate(RegistrarConfig config) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "confab-endpoint-expiration");
            t.setDaemon(true);
            return t;
        });
        schedule(config);
        LOG.info("Endpoint Expiration task started (every {} s)", interval(config));
    }

    @Modified
    synchronized void modified(RegistrarConfig config) {
        job.cancel(false);
        schedule(config);
        LOG.info("Endpoint Expiration task now every {} s", interval(config));
    }

    @Deactivate
    synchronized void deactivate() {
        executor.shutdownNow();
        LOG.info("Endpoint Expiration task stopped");
    }

    /** One run: removes every lapsed binding; returns how many. Never throws, so the schedule goes on. */
    int runOnce() {
        try {
            int n = locationStore.expire(clock.instant());
            LOG.debug("Endpoint Expiration removed {} bindings", n);
            return n;
        } catch (RuntimeException e) {
            LOG.warn("Endpoint Expiration failed; next run in one interval: {}", e.toString());
            return 0;
        }
    }

    /** Seconds until the next run, or -1 when stopped. */
    synchronized long nextRunInSeconds() {
        return executor == null || executor.isShutdown() ? -1 : job.getDelay(TimeUnit.SECONDS);
    }

    private void schedule(RegistrarConfig config) {
        long s = interval(config);
        job = executor.scheduleWithFixedDelay(this::runOnce, s, s, TimeUnit.SECONDS);
    }

    private static long interval(RegistrarConfig config) {
        return Math.max(1, config.expire_interval_s());
    }
}
