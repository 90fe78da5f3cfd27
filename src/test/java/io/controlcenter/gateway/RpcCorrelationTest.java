package io.controlcenter.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.GatewayTestSupport;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RpcCorrelationTest extends GatewayTestSupport {

    private final List<Map<String, Object>> held = new CopyOnWriteArrayList<>();

    @BeforeEach
    void connect() {
        gateway.method("hold", (conn, req) -> held.add(req));
        start("gateway.rpc-timeout", "2000");
        awaitConnected();
    }

    @Test
    void responsesInAnyOrderReachTheirCallers() throws Exception {
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(app.client().call("hold", Map.of("n", i), 0));
        }
        await("50 requests at the gateway", Duration.ofSeconds(5), () -> held.size() == 50);
        List<Map<String, Object>> shuffled = new ArrayList<>(held);
        Collections.shuffle(shuffled);
        FakeGateway.Conn conn = gateway.last();
        shuffled.forEach(req -> conn.respond(req.get("id"), Map.of("echo", ((Map<?, ?>) req.get("params")).get("n"))));
        for (int i = 0; i < 50; i++) {
            assertEquals(Map.of("echo", i), calls.get(i).get(5, TimeUnit.SECONDS), "call " + i);
        }
        assertEquals(0, app.client().getPendingCalls());
    }

    @Test
    void theGatewaysErrorReachesTheCaller() {
        gateway.method("busy", (conn, req) -> conn.respondError(req.get("id"), Map.of(
                "code", "UNAVAILABLE", "message", "startup sidecars loading",
                "details", Map.of("reason", "startup-sidecars"), "retryable", true, "retryAfterMs", 1500)));
        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> app.call("busy", Map.of()));
        GatewayRpcException error = assertInstanceOf(GatewayRpcException.class, e.getCause());
        assertEquals("UNAVAILABLE", error.getCode());
        assertEquals("startup-sidecars", error.getDetails().get("reason"));
        assertTrue(error.isRetryable());
        assertEquals(1500L, error.getRetryAfterMs());
        assertTrue(error.getMessage().contains("startup sidecars loading"));

        CamelExecutionException unknown = assertThrows(CamelExecutionException.class,
                () -> app.call("no.such.method", Map.of()));
        assertEquals("INVALID_REQUEST", ((GatewayRpcException) unknown.getCause()).getCode());
    }

    @Test
    void aCallWithoutResponseTimesOutAndItsLateResponseIsIgnored() throws Exception {
        long start = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> app.client().call("hold", Map.of(), 300).get(5, TimeUnit.SECONDS));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(GatewayRpcException.TIMEOUT, ((GatewayRpcException) e.getCause()).getCode());
        assertTrue(tookMs >= 290 && tookMs < 2000, "timed out after " + tookMs + " ms");

        // the configured default (gateway.rpc-timeout=2000) applies to calls that name none
        CamelExecutionException byRoute = assertThrows(CamelExecutionException.class, () -> app.call("hold", Map.of()));
        assertEquals(GatewayRpcException.TIMEOUT, ((GatewayRpcException) byRoute.getCause()).getCode());

        gateway.last().respond(held.get(0).get("id"), Map.of("late", true));
        await("late response counted", Duration.ofSeconds(5), () -> app.statusCount("lateResponses") == 1);
        assertEquals("connected", app.gatewayStatus().get("state"));
        assertEquals("main", ((Map<?, ?>) app.call("agents.list", Map.of())).get("defaultId"));
    }

    @Test
    void pendingCallsFailAtOnceWhenTheSocketCloses() throws Exception {
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(app.client().call("hold", Map.of(), 60_000));
        }
        await("requests at the gateway", Duration.ofSeconds(5), () -> held.size() == 5);
        long start = System.nanoTime();
        gateway.last().close(1012, "service restart");
        for (CompletableFuture<Object> call : calls) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS));
            assertEquals(GatewayRpcException.CONNECTION_CLOSED, ((GatewayRpcException) e.getCause()).getCode());
        }
        assertTrue((System.nanoTime() - start) / 1_000_000 < 2000, "failed within 2 s, not at the 60 s timeout");
    }

    @Test
    void aResponseSentJustBeforeTheCloseStillCompletesItsCall() throws Exception {
        gateway.method("answer-then-close", (conn, req) -> {
            conn.respond(req.get("id"), Map.of("answered", true));
            conn.close(1012, "service restart");
        });
        assertEquals(Map.of("answered", true),
                app.client().call("answer-then-close", Map.of(), 0).get(5, TimeUnit.SECONDS));
    }
}
