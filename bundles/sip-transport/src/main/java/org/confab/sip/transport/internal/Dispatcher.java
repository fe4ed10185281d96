package org.confab.sip.transport.internal;

import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.confab.api.transport.SipApplication;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.SipResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction user: hands each new server transaction to the application registered for
 * its method, either on the thread that received it (app.dispatch = inline, the default: like
 * Kamailio's UDP receivers and TCP readers, no hand-off; SipApplication's contract already forbids
 * blocking on the network, and the UDP listener replaces a stalled receiver) or on the application
 * executor (pool). Over TCP the receiving thread is MINA's I/O thread for the connection; with the
 * answers of one read leaving in one write (MinaStreamFlow), REGISTER over one connection went from
 * 15,000 calls/s pooled to 25,000 inline. A request never stays unanswered (ACK aside):
 * no application gives 503 + Retry-After (a role being upgraded) or 405 + Allow; a full
 * executor or a role caught deactivating gives 503; an application exception gives 500.
 */
final class Dispatcher implements TransactionLayer.TransactionUser {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final ApplicationRegistry apps;
    private final Executor executor;
    private final StackConfig config;
    private final boolean inline;

    Dispatcher(ApplicationRegistry apps, Executor executor, StackConfig config) {
        this.apps = apps;
        this.executor = executor;
        this.config = config;
        this.inline = config.appInline();
    }

    @Override
    public void onRequest(ServerTransactionImpl tx) {
        String method = tx.request().method();
        SipApplication app = apps.find(method);
        if (app == null) {
            respondNoApplication(tx, method);
            return;
        }
        if (inline) {
            invoke(app, tx);
            return;
        }
        try {
            executor.execute(() -> invoke(app, tx));
        } catch (RejectedExecutionException e) {
            LOG.warn("Application executor full: {} answered 503", method);
            tx.respond(serviceUnavailable(tx));
        }
    }

    @Override
    public void onAck(ServerTransactionImpl ack) {
        SipApplication app = apps.find("ACK");
        if (app == null) {
            LOG.debug("ACK for a 2xx dropped: no application serves ACK");
            return;
        }
        if (inline) {
            invoke(app, ack);
            return;
        }
        try {
            executor.execute(() -> invoke(app, ack));
        } catch (RejectedExecutionException e) {
            LOG.warn("Application executor full: ACK dropped");
        }
    }

    private void invoke(SipApplication app, ServerTransactionImpl tx) {
        try {
            app.onRequest(tx);
        } catch (ApplicationUnavailableException e) {
            // the role is being updated right now: the same answer as when it is absent (DESIGN §4)
            LOG.debug("{} for {}: 503", e.getMessage(), tx.request().method());
            if (!tx.isStateless() && !tx.isCompleted()) {
                tx.respond(serviceUnavailable(tx));
            }
        } catch (RuntimeException | LinkageError e) {
            // LinkageError: a role bundle being updated under our feet
            LOG.error("Application {} failed on {} {}", app, tx.request().method(), tx.request().callId(), e);
            if (!tx.isStateless() && !tx.isCompleted()) {
                tx.respond(tx.createResponse(500));
            }
        }
    }

    private void respondNoApplication(ServerTransactionImpl tx, String method) {
        if (config.expectedMethods().contains(method) || apps.everServed(method)) {
            // the role serving it is absent or being upgraded: the client retries (DESIGN §4)
            LOG.debug("No application for {}: 503", method);
            tx.respond(serviceUnavailable(tx));
        } else {
            SipResponse r = tx.createResponse(405); // RFC 3261 §8.2.1
            Set<String> served = apps.servedMethods();
            r.setHeader(HeaderNames.ALLOW, String.join(", ", served));
            tx.respond(r);
        }
    }

    private SipResponse serviceUnavailable(ServerTransactionImpl tx) {
        SipResponse r = tx.createResponse(503);
        r.setHeader(HeaderNames.RETRY_AFTER, Integer.toString(config.retryAfterSeconds())); // RFC 3261 §20.33
        return r;
    }
}
