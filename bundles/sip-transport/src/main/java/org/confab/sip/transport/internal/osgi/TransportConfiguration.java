package org.confab.sip.transport.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID org.confab.sip.transport: timers, limits and dispatch policy of the SIP transport. */
@ObjectClassDefinition(id = "org.confab.sip.transport", name = "Confab SIP transport",
        description = "Timers, limits and dispatch policy shared by every SIP listener")
@interface TransportConfiguration {

    @AttributeDefinition(description = "Largest SIP message accepted, in bytes; a larger Content-Length is refused with 513")
    int max_message_size() default 65535;

    @AttributeDefinition(description = "RFC 3261 T1 (round-trip estimate) in milliseconds")
    long t1_ms() default 500;

    @AttributeDefinition(description = "RFC 3261 T2 (longest retransmit interval for non-INVITE) in milliseconds")
    long t2_ms() default 4000;

    @AttributeDefinition(description = "RFC 3261 T4 (time a message stays in the network) in milliseconds")
    long t4_ms() default 5000;

    @AttributeDefinition(description = "Seconds without traffic (keep-alives count) after which a TCP connection is closed")
    int tcp_idle_timeout_s() default 600;

    @AttributeDefinition(description = "Methods answered 503 + Retry-After (role being upgraded) rather than 405 when no application serves them")
    String expected_methods() default "REGISTER,MESSAGE,INVITE,ACK,BYE,CANCEL,OPTIONS,INFO,SUBSCRIBE,NOTIFY,PUBLISH,SERVICE,PRACK,UPDATE,REFER";

    @AttributeDefinition(description = "Retry-After seconds in 503 responses")
    int retry_after_s() default 5;

    @AttributeDefinition(description = "Most live transactions; new requests beyond it are answered 503")
    int max_transactions() default 100000;

    @AttributeDefinition(description = "Completed non-INVITE UDP transactions kept for Timer J (only their last response, for retransmissions); the oldest leave early beyond it")
    int max_completed_transactions() default 400000;

    @AttributeDefinition(description = "Host put in Via and Record-Route when a listener is bound to all addresses")
    String advertised_host() default "127.0.0.1";

    @AttributeDefinition(description = "Where a request runs its role: inline (on the thread that received it, no hand-off) or pool (queued for the application threads)")
    String app_dispatch() default "inline";

    @AttributeDefinition(description = "Threads that run the roles' timeout and transport-error callbacks and, with app.dispatch = pool, requests and responses; 0 = one per core, at least 2")
    int app_threads() default 0;

    @AttributeDefinition(description = "Requests waiting for an application thread; beyond it new requests get 503")
    int app_queue_size() default 10000;

    @AttributeDefinition(description = "Threads per UDP listener: one reads and carries each datagram through; another takes over when it stalls in one message; 0 = one per core, at least 4")
    int udp_receivers() default 0;

    @AttributeDefinition(description = "Seconds an INVITE may go without a final response before the transport answers 408 (like Timer C)")
    int invite_timeout_s() default 180;

    @AttributeDefinition(description = "Requests per window from one address without a registered binding (like pike); 0 = no limit")
    int rate_limit_requests() default 40;

    @AttributeDefinition(description = "The rate-limit window in milliseconds")
    long rate_limit_window_ms() default 2000;

    @AttributeDefinition(description = "Over the limit: drop silently (true) or answer 503 with Retry-After (false)")
    boolean rate_limit_drop() default false;

    @AttributeDefinition(description = "User-Agent substrings (any case) of scanners whose requests are dropped silently")
    String scanner_user_agents() default "friendly-scanner,sipvicious,sipcli,sip-scan,sipsak,sundayddr,iwar,smap,vaxasip,pplsip,cyberlink,sip-sc,voip sip";

    @AttributeDefinition(description = "Most source addresses tracked by the rate limiter (oldest forgotten first)")
    int max_tracked_sources() default 100000;

    @AttributeDefinition(description = "Most UDP flows remembered as recently seen (idle ones expire after tcp.idle.timeout.s); new ones beyond it are not recorded")
    int max_udp_flows() default 100000;

    @AttributeDefinition(description = "Proxy-Require option tags accepted; any other is refused with 420 and Unsupported")
    String proxy_require_supported() default "ms-benotify";

    @AttributeDefinition(description = "Most simultaneous inbound TCP connections from one source address; more are closed at accept")
    int max_connections_per_source() default 100;

    @AttributeDefinition(description = "Seconds a TCP connection may spend sending one header section; a slower one is closed")
    int header_timeout_s() default 10;
}
