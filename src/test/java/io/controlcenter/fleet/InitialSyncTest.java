package io.controlcenter.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitialSyncTest extends FleetTestSupport {

    @Test
    void twoHundredAgentsAndFiveThousandSessionsAreStoredAndPushed() {
        fleet.agents(200).sessions(5000, 1_000);
        fleet.presence.add(Map.of("instanceId", "gw-1", "mode", "gateway", "reason", "self", "host", "vm", "ts", 1));
        startSynced(200);

        List<Map<String, Object>> cards = agentsApi();
        assertEquals(5000L, cards.stream().mapToLong(c -> ((Number) c.get("sessionCount")).longValue()).sum());
        Map<String, Object> main = cards.get(0);
        assertEquals("main", main.get("id"));
        assertEquals(true, main.get("default"));
        assertEquals("idle", main.get("status"));
        assertEquals("openai/gpt-6-astra", main.get("model"));
        Map<String, Object> other = cards.stream().filter(c -> "agent-7".equals(c.get("id"))).findFirst().orElseThrow();
        assertEquals("Agent 7", other.get("name"));
        assertEquals("🤖", other.get("emoji"));
        assertEquals(25L, ((Number) other.get("sessionCount")).longValue());

        await("all sessions stored", Duration.ofSeconds(10),
                () -> count("SELECT count(*) FROM sessions WHERE NOT gone") == 5000);
        assertEquals(5000, list("/api/sessions?limit=10000").size());
        assertEquals(25, list("/api/sessions?agentId=agent-7").size());
        assertEquals(List.of(Map.of("gateway", "default", "instanceId", "gw-1", "mode", "gateway", "reason", "self",
                "host", "vm", "ts", 1)), list("/api/presence"));

        // paged the way the real gateway pages: fleet.sync.page-size (1,000) at a time, following nextOffset
        assertEquals(5, fleet.sessionListCalls.size());
        assertEquals(4000, ((Number) fleet.sessionListCalls.get(4).get("offset")).intValue());
        List<String> methods = gateway.last().methodsReceived();
        assertTrue(methods.containsAll(List.of("sessions.subscribe", "agents.list", "sessions.list", "system-presence")),
                methods.toString());

        // a dashboard opening now gets the whole fleet first
        SseStream stream = sse("/api/events");
        stream.awaitEvents(1, Duration.ofSeconds(5));
        Map<String, Object> fleetUpdate = events(stream, "fleet.update").get(0);
        assertEquals(200, ((List<?>) fleetUpdate.get("agents")).size());
        assertEquals(5000, ((Number) ((Map<?, ?>) fleetUpdate.get("sessions")).get("total")).intValue());
        assertEquals("connected", fleetUpdate.get("state"));
    }
}
