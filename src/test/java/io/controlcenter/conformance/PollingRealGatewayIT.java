package io.controlcenter.conformance;

import java.time.Duration;
import java.util.Map;

import io.controlcenter.gateway.GatewayState;
import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.RealGateway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Against the real gateway with a wrong WebSocket URL but the right HTTP URL: the fleet still arrives, by polling. */
@Tag("real-gateway")
class PollingRealGatewayIT {

    @Test
    void agentsAndSessionsReachTheApiThroughPolling() throws Exception {
        try (RealGateway gateway = RealGateway.start()) {
            String key;
            // a session to find: created over the WebSocket by a first, normally connected Control Center
            try (ControlCenterApp ws = ControlCenterApp.start(gateway.url(), "gateway.token", gateway.token())) {
                await("connected", Duration.ofSeconds(15), () -> ws.client().getGatewayState() == GatewayState.CONNECTED);
                key = (String) ((Map<?, ?>) ws.call("sessions.create", Map.of("agentId", "ops", "label", "polled"))).get("key");
            }
            try (ControlCenterApp app = ControlCenterApp.start("ws://127.0.0.1:" + ControlCenterApp.freePort() + "/",
                    "gateway.token", gateway.token(), "gateway.http-url", "http://127.0.0.1:" + gateway.port(),
                    "fallback.startup-wait", "1s", "fallback.interval", "2s")) {
                await("the three agents by polling", Duration.ofSeconds(30), () -> {
                    String agents = app.get("/api/agents").body();
                    return agents.contains("\"main\"") && agents.contains("\"ops\"") && agents.contains("\"research\"");
                });
                await("the session by polling", Duration.ofSeconds(10), () -> app.get("/api/sessions").body().contains(key));
                assertEquals("polling", app.gatewayStatus().get("path"));
                assertEquals("ops", ((Map<?, ?>) new com.fasterxml.jackson.databind.ObjectMapper()
                        .readValue(app.get("/api/sessions?agentId=ops").body(), java.util.List.class).get(0)).get("agentId"));
            }
        }
    }
}
