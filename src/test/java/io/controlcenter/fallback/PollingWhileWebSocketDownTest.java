package io.controlcenter.fallback;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The WebSocket is down at start: polling begins after the wait, stands down when it is back, resumes after the grace. */
class PollingWhileWebSocketDownTest extends GatewayTestSupport {

    private final FakeFleet fleet = new FakeFleet().agents(3).sessions(12, System.currentTimeMillis());

    @SuppressWarnings("unchecked")
    private Map<String, Object> polling() {
        return (Map<String, Object>) app.gatewayStatus().get("polling");
    }

    @Test
    void pollingFillsInWhileTheWebSocketIsDown() throws Exception {
        fleet.install(gateway); // serves the HTTP tools; its WebSocket is not where the app looks
        int wsPort = ControlCenterApp.freePort();
        long start = System.nanoTime();
        start("gateway.ws-url", "ws://127.0.0.1:" + wsPort + "/", "gateway.http-url", "http://127.0.0.1:" + gateway.port(),
                "fallback.startup-wait", "1500", "fallback.grace", "1000", "fallback.interval", "300");
        Thread.sleep(Math.max(0, 1000 - (System.nanoTime() - start) / 1_000_000));
        assertEquals(0, gateway.toolCalls.size(), "no polling before fallback.startup-wait");

        await("agents via polling", Duration.ofSeconds(10), () -> app.get("/api/agents").body().contains("agent-2"));
        await("sessions via polling", Duration.ofSeconds(5), () -> app.get("/api/sessions").body().split("\"key\"").length - 1 == 12);
        Map<String, Object> status = app.gatewayStatus();
        assertEquals("polling", status.get("path"));
        assertEquals("CLOSED", polling().get("breaker"));
        assertTrue(!app.get("/api/agents").body().contains("offline"), "reachable over HTTP: not offline");
        assertEquals(List.of("agents_list", "sessions_list"),
                gateway.toolCalls.subList(0, 2).stream().map(c -> c.get("tool")).toList());

        // the WebSocket comes back: polling stands down
        try (FakeGateway ws = new FakeGateway().start(wsPort)) {
            fleet.install(ws);
            await("websocket", Duration.ofSeconds(10), () -> "websocket".equals(app.gatewayStatus().get("path")));
            Thread.sleep(500);
            int calls = gateway.toolCalls.size();
            Thread.sleep(1500); // five intervals
            assertEquals(calls, gateway.toolCalls.size(), "no polls while the WebSocket is up");
            assertEquals(false, polling().get("active"));
        }
        // down again: polling resumes once fallback.grace has passed
        int before = gateway.toolCalls.size();
        await("polling again", Duration.ofSeconds(10), () -> gateway.toolCalls.size() > before
                && "polling".equals(app.gatewayStatus().get("path")));
    }
}
