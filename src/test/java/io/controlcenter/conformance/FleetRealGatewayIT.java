package io.controlcenter.conformance;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlcenter.support.RealGateway;
import io.controlcenter.support.RealGatewayTestSupport;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fleet against the real OpenClaw gateway: sync, config.changed, sessions.changed. */
@Tag("real-gateway")
class FleetRealGatewayIT extends RealGatewayTestSupport {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        startConnected(RealGateway.start());
    }

    private static List<Map<String, Object>> agents() {
        try {
            return MAPPER.readValue(app.get("/api/agents").body(), new TypeReference<>() {
            });
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Map<String, Object>> events(SseStream s, String event) {
        return s.events.stream().filter(e -> event.equals(e.event())).map(e -> {
            try {
                return MAPPER.readValue(e.data(), new TypeReference<Map<String, Object>>() {
                });
            } catch (Exception x) {
                throw new AssertionError(x);
            }
        }).toList();
    }

    @Test
    void theConfiguredAgentsAreListed() {
        // the three configured ones (another test may have created one more)
        await("main, ops, research", Duration.ofSeconds(15), () -> agents().stream().map(a -> a.get("id")).toList()
                .containsAll(List.of("main", "ops", "research")));
        Map<String, Object> main = agents().get(0);
        assertEquals("main", main.get("id"));
        assertEquals(true, main.get("default"));
        assertEquals("mock/mock-1", main.get("model"));
        assertEquals("idle", main.get("status"));
    }

    @Test
    void anAgentCreatedOnTheGatewayIsPushedAndListedWithin2Seconds() throws Exception {
        await("synced", Duration.ofSeconds(15), () -> agents().size() >= 3);
        try (SseStream stream = SseStream.open(app.port(), "/api/events")) {
            long start = System.nanoTime();
            Map<?, ?> created = (Map<?, ?>) app.call("agents.create", Map.of("name", "qa"));
            String id = (String) created.get("agentId");
            await("agent.update for " + id, Duration.ofSeconds(2), () -> events(stream, "agent.update").stream()
                    .anyMatch(c -> id.equals(c.get("id"))));
            await("listed", Duration.ofSeconds(2), () -> agents().stream().anyMatch(a -> id.equals(a.get("id"))));
            System.out.println("agents.create to agent.update and /api/agents: " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
    }

    @Test
    void aSessionCreatedOnTheGatewayIsPushed() throws Exception {
        await("synced", Duration.ofSeconds(15), () -> agents().size() >= 3);
        try (SseStream stream = SseStream.open(app.port(), "/api/events")) {
            Map<?, ?> created = (Map<?, ?>) app.call("sessions.create", Map.of("agentId", "research", "label", "cc-it"));
            String key = (String) created.get("key");
            await("session.update for " + key, Duration.ofSeconds(5), () -> events(stream, "session.update").stream()
                    .anyMatch(s -> key.equals(s.get("key"))));
            Map<String, Object> update = events(stream, "session.update").stream().filter(s -> key.equals(s.get("key")))
                    .findFirst().orElseThrow();
            assertEquals("research", update.get("agentId"));
            await("in the API", Duration.ofSeconds(2), () -> app.get("/api/sessions?agentId=research").body().contains(key));
            assertTrue(app.get("/api/sessions?agentId=research").body().contains("cc-it"));
        }
    }
}
