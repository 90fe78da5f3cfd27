package io.controlcenter.api;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.controlcenter.fleet.FleetTestSupport;
import io.controlcenter.gateway.GatewayState;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** While the gateway is down, every call that needs it answers 503 {error, code: NOT_CONNECTED}; the stored fleet still answers. */
class GatewayDownTest extends FleetTestSupport {

    private static final String SESSION = "/api/sessions/agent:main:s0";

    @Test
    void gatewayCallsAnswer503WhileItIsDown() {
        fleet.agents(1);
        startSynced(1);
        gateway.acceptWebSockets = false;
        gateway.last().close(1012, "service restart");
        await("disconnected", Duration.ofSeconds(5), () -> app.client().getGatewayState() != GatewayState.CONNECTED);

        assertUnavailable(SESSION + "/history", app.get(SESSION + "/history"));
        assertUnavailable(SESSION + "/messages", app.post(SESSION + "/messages", "{\"message\": \"hi\"}"));
        assertUnavailable(SESSION + "/abort", app.post(SESSION + "/abort", "{}"));
        assertUnavailable(SESSION + "/inject", app.post(SESSION + "/inject", "{\"message\": \"note\"}"));
        assertEquals(200, app.get("/api/agents").statusCode(), "the stored fleet does not need the gateway");
    }

    private void assertUnavailable(String path, HttpResponse<String> r) {
        assertEquals(503, r.statusCode(), path + ": " + r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null), path);
        Map<String, Object> error = json(r.body());
        assertEquals("NOT_CONNECTED", error.get("code"), path);
        assertTrue(error.get("error") instanceof String message && !message.isBlank(), r.body());
        assertEquals(2, error.size(), r.body());
    }
}
