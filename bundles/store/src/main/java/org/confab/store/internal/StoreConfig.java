package org.confab.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the RTC database (PID {@code org.confab.store}). */
@ObjectClassDefinition(name = "Confab store",
        description = "The RTC database: where it is and how bindings reach it")
public @interface StoreConfig {

    @AttributeDefinition(name = "JDBC URL", required = false,
            description = "Empty: embedded Derby in ${karaf.data}/confab/rtc. "
                    + "A pool points at its back-end: jdbc:derby://host:1527/rtc")
    String jdbc_url() default "";

    @AttributeDefinition(name = "Login timeout (s)",
            description = "How long to wait for a database server to accept a connection")
    int login_timeout_seconds() default 10;

    @AttributeDefinition(name = "Location flush interval (ms)",
            description = "Group commit period of registrations: the most a binding waits before it is on disk")
    long location_flush_interval_ms() default 200;

    @AttributeDefinition(name = "Maximum bindings",
            description = "Registered endpoints this server holds at most; beyond it REGISTER fails")
    int max_bindings_total() default 250_000;
}
