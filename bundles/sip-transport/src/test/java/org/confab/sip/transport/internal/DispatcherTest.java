package org.confab.sip.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.confab.api.transport.ServerTransaction;
import org.confab.api.transport.SipApplication;
import org.junit.Test;

/** Whiteboard dispatch: 405/503 policy, exceptions, a full executor, ranking. */
public class DispatcherTest {

    private final ApplicationRegistry apps = new ApplicationRegistry();
    private final FakeTimer timer = new FakeTimer();
    private final FakeFlow flow = FakeFlow.udp();

    private TransactionLayer layer(Executor executor) {
        return layer(executor, "pool");
    }

    private TransactionLayer layer(Executor executor, String dispatch) {
        Outbound out = new Outbound(new InterceptorRegistry());
        out.setNetwork(new FakeNetwork());
        StackConfig config = StackConfig.defaults().withExpectedMethods("REGISTER,MESSAGE,ACK").withRetryAfterSeconds(7)
                .withAppDispatch(dispatch);
        return new TransactionLayer(config, timer, out, executor, new Dispatcher(apps, executor, config));
    }

    @Test
    public void inlineDispatchRunsTheRoleOnTheReceivingThreadWithoutTheExecutor() {
        List<String> threads = new ArrayList<>();
        apps.add(tx -> {
            threads.add(Thread.currentThread().getName());
            if (!tx.isStateless()) {
                tx.respond(tx.createResponse(200));
            }
        }, Map.of(SipApplication.METHOD_PROPERTY, new String[] {"MESSAGE", "ACK"}));
        List<Runnable> queued = new ArrayList<>();
        TransactionLayer layer = layer(queued::add, "inline");
        layer.receiveRequest(Messages.request("MESSAGE", "z9hG4bKi1", "UDP"), flow);
        layer.receiveRequest(Messages.request("ACK", "z9hG4bKi2", "UDP"), flow);
        assertEquals("nothing handed to the executor", List.of(), queued);
        assertEquals(List.of(Thread.currentThread().getName(), Thread.currentThread().getName()), threads);
        assertEquals(List.of(200), flow.statuses());
    }

    @Test
    public void inlineDispatchRunsRequestsOverTcpOnTheReceivingThreadToo() {
        List<String> seen = new ArrayList<>();
        apps.add(answering(200, seen), Map.of(SipApplication.METHOD_PROPERTY, "MESSAGE"));
        List<Runnable> queued = new ArrayList<>();
        FakeFlow tcp = FakeFlow.tcp();
        layer(queued::add, "inline").receiveRequest(Messages.request("MESSAGE", "z9hG4bKi6", "TCP"), tcp);
        assertEquals("MINA's I/O thread runs the role: nothing handed over", List.of(), queued);
        assertEquals(1, seen.size());
        assertEquals(List.of(200), tcp.statuses());
    }

    @Test
    public void poolDispatchQueuesRequestsOverTcp() {
        apps.add(answering(200, new ArrayList<>()), Map.of(SipApplication.METHOD_PROPERTY, "MESSAGE"));
        List<Runnable> queued = new ArrayList<>();
        FakeFlow tcp = FakeFlow.tcp();
        layer(queued::add, "pool").receiveRequest(Messages.request("MESSAGE", "z9hG4bKi7", "TCP"), tcp);
        assertEquals(1, queued.size());
        assertEquals(List.of(), tcp.statuses());
        queued.get(0).run();
        assertEquals(List.of(200), tcp.statuses());
    }

    @Test
    public void inlineDispatchKeepsThe500And503Answers() {
        apps.add(tx -> {
            throw new IllegalStateException("role bug");
        }, Map.of(SipApplication.METHOD_PROPERTY, "MESSAGE"));
        apps.add(tx -> {
            throw new ApplicationUnavailableException("going away");
        }, Map.of(SipApplication.METHOD_PROPERTY, "INFO"));
        TransactionLayer layer = layer(r -> fail("no executor inline"), "inline");
        layer.receiveRequest(Messages.request("MESSAGE", "z9hG4bKi3", "UDP"), flow);
        layer.receiveRequest(Messages.request("INFO", "z9hG4bKi4", "UDP"), flow);
        assertEquals(List.of(500, 503), flow.statuses());
    }

    @Test
    public void poolDispatchQueuesTheRequestForTheExecutor() {
        List<String> seen = new ArrayList<>();
        apps.add(answering(200, seen), Map.of(SipApplication.METHOD_PROPERTY, "MESSAGE"));
        List<Runnable> queued = new ArrayList<>();
        layer(queued::add, "pool").receiveRequest(Messages.request("MESSAGE", "z9hG4bKi5", "UDP"), flow);
        assertEquals("not run before the executor runs it", List.of(), seen);
        assertEquals(1, queued.size());
        queued.get(0).run();
        assertEquals(List.of("MESSAGE"), seen);
        assertEquals(List.of(200), flow.statuses());
    }

    @Test
    public void anUnknownDispatchModeIsRefusedClearly() {
        try {
            StackConfig.defaults().withAppDispatch("threads");
            fail("accepted");
        } catch (IllegalArgumentException e) {
            assertEquals("app.dispatch must be inline or pool, not 'threads'", e.getMessage());
        }
        assertTrue(StackConfig.defaults().appInline());
        assertFalse(StackConfig.defaults().withAppDispatch(" Pool ").appInline());
    }

    private static SipApplication answering(int status, List<String> seen) {
        return tx -> {
            seen.add(tx.request().method());
            tx.respond(tx.createResponse(status));
        };
    }

    @Test
    public void requestGoesToTheApplicationOfItsMethod() {
        List<String> seen = new ArrayList<>();
        apps.add(answering(202, seen), Map.of(SipApplication.METHOD_PROPERTY, new String[] {"MESSAGE", "INFO"}));
        TransactionLayer layer = layer(Runnable::run);
        layer.receiveRequest(Messages.request("INFO", "z9hG4bKd1", "UDP"), flow);
        assertEquals(List.of("INFO"), seen);
        assertEquals(List.of(202), flow.statuses());
    }

    @Test
    public void unknownMethodWithoutApplicationGets405WithAllow() {
        apps.add(answering(200, new ArrayList<>()), Map.of(SipApplication.METHOD_PROPERTY, "OPTIONS, INFO"));
        layer(Runnable::run).receiveRequest(Messages.request("FOO", "z9hG4bKd2", "UDP"), flow);
        assertEquals(List.of(405), flow.statuses());
        assertEquals("INFO, OPTIONS", flow.response(0).header("Allow"));
    }

    @Test
    public void expectedMethodWithoutApplicationGets503WithRetryAfter() {
        layer(Runnable::run).receiveRequest(Messages.request("REGISTER", "z9hG4bKd3", "UDP"), flow);
        assertEquals(List.of(503), flow.statuses());
        assertEquals("7", flow.response(0).header("Retry-After"));
    }

    @Test
    public void methodServedEarlierGets503WhileItsRoleIsAway() {
        SipApplication app = answering(200, new ArrayList<>());
        apps.add(app, Map.of(SipApplication.METHOD_PROPERTY, "PUBLISH"));
        apps.remove(app);
        layer(Runnable::run).receiveRequest(Messages.request("PUBLISH", "z9hG4bKd4", "UDP"), flow);
        assertEquals(List.of(503), flow.statuses());
    }

    @Test
    public void applicationExceptionGives500() {
        apps.add(tx -> {
            throw new IllegalStateException("role bug");
        }, Map.of(SipApplication.METHOD_PROPERTY, "MESSAGE"));
        layer(Runnable::run).receiveRequest(Messages.request("MESSAGE", "z9hG4bKd5", "UDP"), flow);
        assertEquals(List.of(500), flow.statuses());
    }

    @Test
    public void aRoleCaughtDeactivatingGives503WithRetryAfterNot500() {
        apps.add(tx -> {
            throw new ApplicationUnavailableException("SIP application went away");
        }, Map.of(SipApplication.METHOD_PROPERTY, "MESSAGE"));
        layer(Runnable::run).receiveRequest(Messages.request("MESSAGE", "z9hG4bKd5u", "UDP"), flow);
        assertEquals(List.of(503), flow.statuses());
        assertEquals("7", flow.response(0).header("Retry-After"));
    }

    @Test
    public void exceptionAfterAnsweringDoesNotSendASecondResponse() {
        apps.add(tx -> {
            tx.respond(tx.createResponse(200));
            throw new IllegalStateException("late bug");
        }, Map.of(SipApplication.METHOD_PROPERTY, "MESSAGE"));
        layer(Runnable::run).receiveRequest(Messages.request("MESSAGE", "z9hG4bKd6", "UDP"), flow);
        assertEquals(List.of(200), flow.statuses());
    }

    @Test
    public void fullExecutorGives503() {
        apps.add(answering(200, new ArrayList<>()), Map.of(SipApplication.METHOD_PROPERTY, "MESSAGE"));
        Executor full = r -> {
            throw new RejectedExecutionException("full");
        };
        layer(full).receiveRequest(Messages.request("MESSAGE", "z9hG4bKd7", "UDP"), flow);
        assertEquals(List.of(503), flow.statuses());
        assertEquals("7", flow.response(0).header("Retry-After"));
    }

    @Test
    public void highestRankingWinsAndTheOtherTakesOverWhenItLeaves() {
        List<String> low = new ArrayList<>();
        List<String> high = new ArrayList<>();
        SipApplication lowApp = answering(200, low);
        SipApplication highApp = answering(200, high);
        apps.add(lowApp, Map.of(SipApplication.METHOD_PROPERTY, "MESSAGE", "service.ranking", 1, "service.id", 10L));
        apps.add(highApp, Map.of(SipApplication.METHOD_PROPERTY, "MESSAGE", "service.ranking", 5, "service.id", 11L));
        TransactionLayer layer = layer(Runnable::run);
        layer.receiveRequest(Messages.request("MESSAGE", "z9hG4bKd8", "UDP"), flow);
        apps.remove(highApp);
        layer.receiveRequest(Messages.request("MESSAGE", "z9hG4bKd9", "UDP"), flow);
        assertEquals(1, high.size());
        assertEquals(1, low.size());
    }

    @Test
    public void ackForA2xxReachesTheAckApplicationStatelessly() {
        List<ServerTransaction> acks = new ArrayList<>();
        apps.add(acks::add, Map.of(SipApplication.METHOD_PROPERTY, "ACK"));
        layer(Runnable::run).receiveRequest(Messages.request("ACK", "z9hG4bKd10", "UDP"), flow);
        assertEquals(1, acks.size());
        assertTrue(acks.get(0).isStateless());
        assertEquals("an ACK is never answered", 0, flow.count());
    }

    @Test
    public void ackWithoutApplicationIsDroppedSilently() {
        layer(Runnable::run).receiveRequest(Messages.request("ACK", "z9hG4bKd11", "UDP"), flow);
        assertEquals(0, flow.count());
    }
}
