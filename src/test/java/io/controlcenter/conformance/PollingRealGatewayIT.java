package io.controlcenter.conformance;

import java.time.Duration;
import java.util.Map;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.RealGateway;
import io.controlcenter.support.RealGatewayTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Against the real gateway with a wrong WebSocket URL but the right HTTP URL: the fleet still arrives, by polling. */
@Tag("real-gateway")
class PollingRealGatewayIT extends RealGatewayTestSupport {

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = RealGateway.start();
    }

    @Test
    void agentsAndSessionsReachTheApiThroughPolling() throws Exception {
        String key;
        // a session to find: created over the WebSocket by a first, normally connected Control Center
        try (ControlCenterApp ws = startApp()) {
            awaitConnected(ws);
            key = (String) ((Map<?, ?>) ws.call("sessions.create", Map.of("agentId", "ops", "label", "polled"))).get("key");
        }
        try (ControlCenterApp polling = startPollingOnly()) {
            awaitTheThreeAgentsByPolling(polling);
            await("the session by polling", Duration.ofSeconds(10), () -> polling.get("/api/sessions").body().contains(key));
            assertEquals("polling", polling.gatewayStatus().get("path"));
            assertEquals("ops", ((Map<?, ?>) new com.fasterxml.jackson.databind.ObjectMapper()
                    .readValue(polling.get("/api/sessions?agentId=ops").body(), java.util.List.class).get(0)).get("agentId"));
        }
    }
}
