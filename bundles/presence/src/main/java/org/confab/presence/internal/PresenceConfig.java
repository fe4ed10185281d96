package org.confab.presence.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of PID {@code org.confab.presence} (underscores become dots). */
@ObjectClassDefinition(name = "Confab presence",
        description = "PUBLISH, SUBSCRIBE/NOTIFY for presence and watcher information")
public @interface PresenceConfig {

    @AttributeDefinition(description = "Seconds granted to a SUBSCRIBE or PUBLISH that names no expiry")
    int default_expires() default 3600;

    @AttributeDefinition(description = "Shortest expiry accepted; shorter non-zero ones get 423 with Min-Expires")
    int min_expires() default 60;

    @AttributeDefinition(description = "Longest expiry granted; longer requests are cut to this")
    int max_expires() default 3600;

    @AttributeDefinition(description = "Least milliseconds between two NOTIFYs to one watcher (changes in between are coalesced)")
    int min_notify_interval_ms() default 200;

    @AttributeDefinition(description = "Threads that build and send NOTIFYs")
    int notify_threads() default 2;

    @AttributeDefinition(description = "Milliseconds between sweeps for expiry and unregistered users")
    int sweep_interval_ms() default 1000;

    @AttributeDefinition(description = "A user with no registered endpoint is shown offline")
    boolean offline_without_registration() default true;

    @AttributeDefinition(description = "Retry-After seconds of a 503 while no authenticator runs")
    int retry_after_s() default 5;

    @AttributeDefinition(description = "Most live publications one user may hold; a new one beyond it replaces the one nearest its expiry")
    int max_publications_per_user() default 10;

    @AttributeDefinition(description = "At server stop, most milliseconds to wait for the answers to the final NOTIFYs")
    int shutdown_notify_wait_ms() default 2000;
}
