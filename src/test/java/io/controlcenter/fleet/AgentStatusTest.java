package io.controlcenter.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Agent status follows its runs (working, idle, error) and the gateway (offline), pushed as agent.update. */
class AgentStatusTest extends FleetTestSupport {

    private String status(String agentId) {
        return (String) json(app.get("/api/agents/" + agentId).body()).get("status");
    }

    private static List<Object> pushedStatuses(SseStream s, String agentId) {
        return events(s, "agent.update").stream().filter(c -> agentId.equals(c.get("id"))).map(c -> c.get("status")).toList();
    }

    private void chat(String runId, String state) {
        gateway.last().event("chat", Map.of("runId", runId, "sessionKey", "agent:main:s0", "agentId", "main",
                "seq", 1, "state", state));
    }

    @Test
    void statusFollowsRunsAndTheGateway() {
        fleet.agents(2).sessions(2, 1_000);
        startSynced(2);
        SseStream stream = sse("/api/events");

        chat("run-1", "status");
        await("working", Duration.ofSeconds(5), () -> "working".equals(status("main")));
        assertEquals(1L, ((Number) json(app.get("/api/agents/main").body()).get("activeRuns")).longValue());
        assertEquals(1, list("/api/sessions?active=true").size());
        chat("run-1", "delta");
        chat("run-1", "final");
        await("idle", Duration.ofSeconds(5), () -> "idle".equals(status("main")));
        chat("run-2", "delta");
        await("working again", Duration.ofSeconds(5), () -> "working".equals(status("main")));
        chat("run-2", "error");
        await("error", Duration.ofSeconds(5), () -> "error".equals(status("main")));
        await("pushed", Duration.ofSeconds(5), () -> collapse(pushedStatuses(stream, "main")).size() >= 4);
        assertEquals(List.of("working", "idle", "working", "error"), collapse(pushedStatuses(stream, "main")));
        assertEquals("idle", status("agent-1"));

        gateway.stop();
        await("offline", Duration.ofSeconds(5), () -> "offline".equals(status("main")) && "offline".equals(status("agent-1")));
        await("fleet.update with offline cards", Duration.ofSeconds(5), () -> events(stream, "fleet.update").stream()
                .anyMatch(f -> "reconnecting".equals(f.get("state"))));
        assertEquals("offline", ((Map<?, ?>) ((List<?>) events(stream, "fleet.update").get(events(stream, "fleet.update").size() - 1)
                .get("agents")).get(0)).get("status"));
        await("gateway.status pushed", Duration.ofSeconds(5), () -> events(stream, "gateway.status").stream()
                .anyMatch(g -> "reconnecting".equals(g.get("state"))));
    }

    /** Consecutive equal statuses folded into one. */
    private static List<Object> collapse(List<Object> statuses) {
        List<Object> out = new java.util.ArrayList<>();
        for (Object s : statuses) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(s)) {
                out.add(s);
            }
        }
        return out;
    }
}
