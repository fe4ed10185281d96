package org.confab.sip.transport.internal;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.confab.api.transport.Flow;
import org.confab.api.transport.ResponseListener;
import org.confab.api.transport.TransportException;
import org.confab.sip.message.CSeq;
import org.confab.sip.message.HeaderNames;
import org.confab.sip.message.NameAddr;
import org.confab.sip.message.SipRequest;
import org.confab.sip.message.SipResponse;
import org.confab.sip.message.Via;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 3261 §17: matches requests and responses to transactions, creates server transactions
 * for new requests and hands them to the transaction user, and keeps the table of live
 * transactions (bounded by max.transactions; every transaction ends by a timer).
 */
final class TransactionLayer {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionLayer.class);

    /** The core above the transaction layer (the dispatcher to applications). */
    interface TransactionUser {
        void onRequest(ServerTransactionImpl tx);

        /** An ACK that matched no transaction (ACK for a 2xx, RFC 3261 §17.2.3): stateless. */
        void onAck(ServerTransactionImpl ack);
    }

    final StackConfig config;
    final TimerService timers;
    final Outbound out;
    final Executor callbackExecutor;
    private final TransactionUser tu;
    private final ConcurrentHashMap<String, ServerTransactionImpl> servers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ClientTransactionImpl> clients = new ConcurrentHashMap<>();
    final CompletedTransactions completed;

    TransactionLayer(StackConfig config, TimerService timers, Outbound out, Executor callbackExecutor, TransactionUser tu) {
        this.config = config;
        this.timers = timers;
        this.out = out;
        this.callbackExecutor = callbackExecutor;
        this.tu = tu;
        this.completed = new CompletedTransactions(timers, config.timeout64(), config.maxCompletedTransactions());
    }

    // ---- server side (RFC 3261 §17.2)

    /** A request whose Via already carries received/rport. */
    void receiveRequest(SipRequest req, TransportFlow flow) {
        String method = req.method();
        if (req.topVia() == null) {
            LOG.debug("Request {} without Via dropped", method);
            return;
        }
        if ("ACK".equals(method)) {
            ServerTransactionImpl tx = servers.get(serverKey(req, "INVITE"));
            if (tx instanceof ServerInviteTransaction inv && inv.onAck()) {
                return; // ACK for a non-2xx final response is part of the INVITE transaction (RFC 3261 §17.2.1)
            }
            tu.onAck(new StatelessServerTransaction(this, req, flow));
            return;
        }
        String key = serverKey(req, method);
        ServerTransactionImpl existing = servers.get(key);
        if (existing != null) {
            existing.onRetransmission();
            return;
        }
        if (completed.absorb(key)) {
            return;
        }
        ServerTransactionImpl tx = "INVITE".equals(method)
                ? new ServerInviteTransaction(this, key, req, flow)
                : new ServerNonInviteTransaction(this, key, req, flow);
        if (size() >= config.maxTransactions()) {
            LOG.warn("Transaction table full ({}): {} answered 503", config.maxTransactions(), method);
            SipResponse r = req.createResponse(503);
            r.setHeader(HeaderNames.RETRY_AFTER, Integer.toString(config.retryAfterSeconds()));
            sendStateless(r, flow);
            return;
        }
        existing = servers.putIfAbsent(key, tx);
        if (existing != null) {
            existing.onRetransmission();
            return;
        }
        tx.start();
        if ("CANCEL".equals(method)) {
            cancel((ServerNonInviteTransaction) tx);
        } else {
            tu.onRequest(tx);
        }
    }

    /** RFC 3261 §9.2: a CANCEL is answered by the transaction layer; the INVITE's owner is told. */
    private void cancel(ServerNonInviteTransaction cancelTx) {
        ServerTransactionImpl invite = servers.get(serverKey(cancelTx.request(), "INVITE"));
        if (invite instanceof ServerInviteTransaction inv) {
            cancelTx.respond(cancelTx.createResponse(200));
            inv.cancelled();
        } else {
            cancelTx.respond(cancelTx.createResponse(481)); // Call/Transaction Does Not Exist
        }
    }

    /**
     * RFC 3261 §17.2.3: branch + sent-by + method (ACK and CANCEL look up the INVITE).
     * Without the magic cookie an RFC 2543 style key is used (Request-URI and To tag are
     * not compared).
     */
    static String serverKey(SipRequest req, String method) {
        Via v = req.topVia();
        String host = v.host().toLowerCase(Locale.ROOT);
        if (v.hasMagicCookie()) {
            return v.branch() + "|" + host + ":" + v.port() + "|" + method;     // one concatenation per request
        }
        NameAddr from = req.from();
        CSeq cseq = req.cseq();
        return "2543|" + req.callId() + "|" + (from == null ? "" : from.tag()) + "|"
                + (cseq == null ? -1 : cseq.number()) + "|" + host + ":" + v.port() + "|" + v.branch() + "|" + method;
    }

    void sendStateless(SipResponse response, TransportFlow requestFlow) {
        try {
            out.sendResponse(response, requestFlow);
        } catch (TransportException e) {
            LOG.debug("Response {} not sent: {}", response.status(), e.getMessage());
        }
    }

    // ---- client side (RFC 3261 §17.1)

    /** A client transaction for a request that already has this server's Via on top; not started. */
    ClientTransactionImpl newClient(SipRequest req, ResponseListener listener) {
        Via via = req.topVia();
        String key = via.branch() + "|" + req.method();
        ClientTransactionImpl tx = "INVITE".equals(req.method())
                ? new ClientInviteTransaction(this, key, req, listener)
                : new ClientNonInviteTransaction(this, key, req, listener);
        if (size() >= config.maxTransactions()) {
            tx.transportError(new TransportException("Too many transactions (" + config.maxTransactions() + ")"));
        } else if (clients.putIfAbsent(key, tx) != null) {
            tx.transportError(new TransportException("Duplicate branch " + via.branch()));
        }
        return tx;
    }

    void receiveResponse(SipResponse response, TransportFlow flow) {
        Via via = response.topVia();
        CSeq cseq = response.cseq();
        if (via == null || cseq == null || via.branch() == null) {
            LOG.debug("Response {} without Via branch or CSeq dropped", response.status());
            return;
        }
        ClientTransactionImpl tx = clients.get(via.branch() + "|" + cseq.method()); // RFC 3261 §17.1.3
        if (tx == null) {
            LOG.debug("Stray response {} for {} dropped", response.status(), via.branch());
            return;
        }
        tx.onResponse(response);
        tx.flushCallbacks(); // the listener runs after onResponse has let go of the transaction's lock
    }

    /** A connection closed: its client transactions still waiting end with a transport error. */
    void flowClosed(Flow flow) {
        for (ClientTransactionImpl tx : clients.values()) {
            tx.flowClosed(flow);
        }
    }

    // ---- table

    void remove(ServerTransactionImpl tx) {
        if (tx.key != null) {
            servers.remove(tx.key, tx);
        }
    }

    void remove(ClientTransactionImpl tx) {
        clients.remove(tx.key, tx);
    }

    /** Transactions still at work (completed ones waiting out Timer J over UDP are counted apart). */
    int size() {
        return servers.size() + clients.size();
    }

    /** A non-INVITE server transaction over UDP completed: only its last response stays, for Timer J. */
    void completedOverUdp(ServerTransactionImpl tx, Sent last) {
        completed.add(tx.key, last);
        servers.remove(tx.key, tx);
    }

    int serverCount() {
        return servers.size();
    }

    int clientCount() {
        return clients.size();
    }

    /** Runs an application callback (onCancel) off the transaction lock and off I/O threads. */
    void runCallback(Runnable callback) {
        Runnable guarded = () -> {
            try {
                callback.run();
            } catch (RuntimeException | LinkageError e) {
                LOG.error("SIP callback failed", e);
            }
        };
        try {
            callbackExecutor.execute(guarded);
        } catch (RejectedExecutionException e) {
            guarded.run();
        }
    }
}
