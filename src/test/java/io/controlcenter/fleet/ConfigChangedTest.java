package io.controlcenter.fleet;

import java.time.Duration;
import java.util.Map;

import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** config.changed (an agent created, updated or deleted on the gateway) re-reads agents.list. */
class ConfigChangedTest extends FleetTestSupport {

    @Test
    void agentsCreatedAndDeletedOnTheGatewayArePushedAndStored() {
        fleet.agents(2);
        startSynced(2);
        SseStream stream = sse("/api/events");

        fleet.agents.add(FakeFleet.agent("qa", "QA"));
        fleet.agents.removeIf(a -> "agent-1".equals(a.get("id")));
        gateway.last().event("config.changed", Map.of("path", "/state/openclaw.json", "hash", "h2", "ts", 2));

        await("agent.update for qa", Duration.ofSeconds(2), () -> events(stream, "agent.update").stream()
                .anyMatch(c -> "qa".equals(c.get("id"))));
        await("agent.update for the deleted agent", Duration.ofSeconds(2), () -> events(stream, "agent.update").stream()
                .anyMatch(c -> "agent-1".equals(c.get("id")) && Boolean.TRUE.equals(c.get("gone"))));
        assertEquals("QA", json(app.get("/api/agents/qa").body()).get("name"));
        assertEquals(2, agentsApi().size());
        assertEquals(1, count("SELECT count(*) FROM event_log WHERE event = 'config.changed'"));
    }
}
