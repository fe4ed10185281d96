package org.confab.sip.transport.internal;

/**
 * Thrown when the role behind a SIP application is deactivating at the moment its request is
 * dispatched (its service factory returned nothing). The dispatcher answers such a request like
 * one for a role that is absent: {@code 503} with {@code Retry-After}, never {@code 500}.
 */
public final class ApplicationUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public ApplicationUnavailableException(String message) {
        super(message);
    }
}
