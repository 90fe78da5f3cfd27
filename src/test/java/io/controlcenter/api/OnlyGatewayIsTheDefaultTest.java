package io.controlcenter.api;

import java.time.Duration;
import java.util.List;

import io.controlcenter.fleet.FleetTestSupport;
import io.controlcenter.support.FakeChat;
import io.controlcenter.support.FakeGateway;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * When gateway.name is not one of the gateways (here: gateways=lab only), the paths without a gateway are the first
 * listed one's: GET /api/gateway, /api/agents/{id}, /api/sessions/{key}/messages.
 */
class OnlyGatewayIsTheDefaultTest extends FleetTestSupport {

    @Test
    void thePathsWithoutAGatewayAreTheOnlyOnes() {
        FakeChat chat = new FakeChat(gateway);
        fleet.agents(1).sessions(1, 1_000);
        fleet.install(gateway);
        start("gateways", "lab", "gateway.lab.ws-url", gateway.url(), "gateway.lab.token", FakeGateway.TOKEN);
        await("lab's agent stored", Duration.ofSeconds(30), () -> agentsApi().size() == 1);

        assertEquals("lab", app.gatewayStatus().get("name"));
        assertEquals("connected", app.gatewayStatus().get("state"));
        assertEquals("lab", json(app.get("/api/agents/main").body()).get("gateway"));
        assertEquals(202, app.post("/api/sessions/agent:main:s0/messages", "{\"message\": \"hi\"}").statusCode());
        assertEquals(1, chat.sends.size());
        assertEquals(List.of("lab"), app.query("SELECT gateway FROM chat_runs").stream().map(r -> r.get("gateway")).toList());
        assertEquals(202, app.post("/api/gateway/reconnect").statusCode());
    }
}
