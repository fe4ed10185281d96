package org.confab.registrar.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of PID {@code org.confab.registrar}, shared by the registrar, the Digest scheme
 * and the Endpoint Expiration task (underscores become dots: {@code default.expires}).
 */
@ObjectClassDefinition(name = "Confab registrar",
        description = "REGISTER handling, Digest authentication and endpoint expiration")
public @interface RegistrarConfig {

    @AttributeDefinition(description = "Seconds granted when the REGISTER names no expiry (RFC 3261 §10.3 step 6)")
    int default_expires() default 3600;

    @AttributeDefinition(description = "Shortest expiry accepted; shorter non-zero ones get 423 with Min-Expires")
    int min_expires() default 60;

    @AttributeDefinition(description = "Longest expiry granted; longer requests are cut to this")
    int max_expires() default 7200;

    @AttributeDefinition(description = "Most bindings (registered endpoints) one user may hold; more get 403")
    int max_endpoints_per_user() default 10;

    @AttributeDefinition(description = "Seconds a Digest nonce stays valid; older ones get stale=true")
    int nonce_lifetime_s() default 300;

    @AttributeDefinition(description = "Most nonces whose nonce-count is tracked at once (replay protection memory bound)")
    int max_nonces() default 100000;

    @AttributeDefinition(description = "Digest algorithms offered, in order (RFC 7616 §3.7: strongest first); "
            + "clients that read only the first challenge (SIPp 3.6, some old phones) need MD5 first or alone")
    String[] digest_algorithms() default {"SHA-256", "MD5"};

    @AttributeDefinition(description = "Seconds between two runs of the Endpoint Expiration task")
    int expire_interval_s() default 30;

    @AttributeDefinition(description = "Wrong passwords for one user from one source address, within the window, "
            + "that block further attempts")
    int auth_failures_max() default 5;

    @AttributeDefinition(description = "Seconds over which wrong passwords are counted")
    int auth_failures_window_s() default 60;

    @AttributeDefinition(description = "From this many wrong passwords on, each next attempt waits 1 s, 2 s, 4 s ... "
            + "(earlier ones get 403); 0 disables the slow-down")
    int auth_failures_slow_after() default 3;

    @AttributeDefinition(description = "Seconds a user is blocked from a source address after too many wrong passwords "
            + "(attempts get 403 Too many failed attempts)")
    int auth_block_s() default 300;

    @AttributeDefinition(description = "Most (source, user) pairs whose failures are tracked (least recently used forgotten first)")
    int auth_max_tracked() default 100000;
}
