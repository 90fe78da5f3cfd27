package io.controlcenter.gateway;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.FakeChat;
import io.controlcenter.fleet.FleetTestSupport;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hello-ok's granted scopes are checked against what Control Center needs: without operator.read the connection is
 * {@code failed} with MISSING_SCOPES and what to do (never "connected" with an empty fleet and UP health); without
 * operator.write the fleet works and chat answers 403 saying which scope is missing.
 */
class ScopesCheckTest extends FleetTestSupport {

    @Test
    void withoutReadTheConnectionFailsWithMissingScopesInsteadOfLookingHealthy() {
        fleet.agents(2).install(gateway);
        gateway.devices.grantOverride = List.of(); // what a gateway beyond loopback grants a connect without a device
        start();
        await("failed", Duration.ofSeconds(5), () -> app.client().getGatewayState() == GatewayState.FAILED);

        Map<String, Object> status = app.gatewayStatus();
        assertEquals("failed", status.get("state"));
        assertEquals("MISSING_SCOPES", status.get("errorCode"));
        String reason = String.valueOf(status.get("reason"));
        assertTrue(reason.contains("without operator.read") && reason.contains("openclaw devices approve"), reason);
        HttpResponse<String> ready = app.get("/observe/health/ready");
        assertEquals(503, ready.statusCode());
        assertTrue(ready.body().contains("MISSING_SCOPES"), ready.body());
        assertEquals(List.of("connect"), gateway.last().methodsReceived(), "no sync on a connection that cannot read");
        assertEquals(0, agentsApi().size());

        // it does not retry by itself: the next connect is the operator's
        assertEquals(1, gateway.connections.size());
        app.post("/api/gateway/reconnect");
        await("the operator's attempt", Duration.ofSeconds(5), () -> gateway.connections.size() == 2
                && app.client().getGatewayState() == GatewayState.FAILED && app.client().getConnectAttempts() == 2);
        assertEquals(2, gateway.connections.size(), "one attempt, the operator's");
    }

    @Test
    void withoutWriteTheFleetWorksAndChatAnswers403WithTheMissingScope() {
        new FakeChat(gateway);
        fleet.agents(2).sessions(1, 1_000);
        gateway.devices.grantOverride = List.of(Scopes.READ);
        startSynced(2);
        assertEquals(List.of(Scopes.READ), app.gatewayStatus().get("scopes"));
        assertEquals(200, app.get("/observe/health/ready").statusCode());

        HttpResponse<String> send = app.post("/api/sessions/agent:main:s0/messages", "{\"message\":\"hi\"}");
        assertEquals(403, send.statusCode(), send.body());
        Map<String, Object> error = json(send.body());
        assertEquals("FORBIDDEN", error.get("code"));
        assertTrue(String.valueOf(error.get("error")).contains("operator.write")
                && String.valueOf(error.get("error")).contains("gateway.scopes"), send.body());

        HttpResponse<String> inject = app.post("/api/sessions/agent:main:s0/inject", "{\"message\":\"note\"}");
        assertEquals(403, inject.statusCode(), inject.body());
        assertTrue(inject.body().contains("operator.admin"), inject.body());
    }
}
