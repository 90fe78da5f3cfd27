package io.controlcenter.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.controlcenter.fleet.FleetTestSupport;
import io.controlcenter.support.FakeChat;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/dashboard/attention: nothing while all is well; an agent whose last run failed (with the run's error), a run
 * working longer than dashboard.attention.long-run, and a gateway that went down, each with when it started, oldest
 * first.
 */
class AttentionTest extends FleetTestSupport {

    private final FakeChat chat = new FakeChat(gateway);

    @Test
    void aFailedRunALongRunAndAGatewayDownAreListedWithWhenTheyStarted() {
        fleet.agents(2).sessions(2, 1_000);
        startSynced(2, "dashboard.attention.long-run", "1s");
        assertEquals(List.of(), list("/api/dashboard/attention"), "all is well");

        chat.proactive("run-long", "agent:agent-1:s1").status("starting_model");
        chat.proactive("run-failed", "agent:main:s0").status("starting_model")
                .end("error", Map.of("errorMessage", "the model is unreachable"));
        await("the failed run and the long one", Duration.ofSeconds(10), () -> kinds().equals(List.of("long-run", "agent-error")));
        List<Map<String, Object>> items = list("/api/dashboard/attention");
        Map<String, Object> longRun = items.get(0);
        assertEquals(List.of("main", "run-long", "agent:agent-1:s1"), // the in-process gateway's runs are main's
                List.of(longRun.get("agentId"), longRun.get("runId"), longRun.get("sessionKey")));
        Map<String, Object> failed = items.get(1);
        assertEquals(List.of("main", "run-failed"), List.of(failed.get("agentId"), failed.get("runId")));
        assertTrue(((String) failed.get("message")).endsWith("failed: the model is unreachable"), String.valueOf(failed));
        assertTrue(Instant.parse((String) failed.get("since")).isAfter(Instant.parse((String) longRun.get("since"))));

        Instant beforeDown = Instant.now();
        gateway.stop();
        await("the gateway down", Duration.ofSeconds(10), () -> kinds().contains("gateway-down"));
        Map<String, Object> down = list("/api/dashboard/attention").stream()
                .filter(i -> "gateway-down".equals(i.get("kind"))).findFirst().orElseThrow();
        assertEquals("default", down.get("gateway"));
        assertTrue(!Instant.parse((String) down.get("since")).isBefore(beforeDown.minusSeconds(1)), String.valueOf(down));
    }

    private List<Object> kinds() {
        return list("/api/dashboard/attention").stream().map(i -> i.get("kind")).toList();
    }
}
