package io.controlcenter.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        // both may be stored in one batch, with the same instant: then either order is oldest first
        await("the failed run and the long one", Duration.ofSeconds(10),
                () -> Set.copyOf(kinds()).equals(Set.of("long-run", "agent-error")) && kinds().size() == 2);
        List<Map<String, Object>> items = list("/api/dashboard/attention");
        assertTrue(!since(items.get(1)).isBefore(since(items.get(0))), "oldest first: " + items);
        Map<String, Object> longRun = item(items, "long-run");
        assertEquals(List.of("main", "run-long", "agent:agent-1:s1"), // the in-process gateway's runs are main's
                List.of(longRun.get("agentId"), longRun.get("runId"), longRun.get("sessionKey")));
        Map<String, Object> failed = item(items, "agent-error");
        assertEquals(List.of("main", "run-failed"), List.of(failed.get("agentId"), failed.get("runId")));
        assertTrue(((String) failed.get("message")).endsWith("failed: the model is unreachable"), String.valueOf(failed));
        assertTrue(!since(failed).isBefore(since(longRun)), "the failed run ended after the long one started");

        Instant beforeDown = Instant.now();
        gateway.stop();
        await("the gateway down", Duration.ofSeconds(10), () -> kinds().contains("gateway-down"));
        Map<String, Object> down = list("/api/dashboard/attention").stream()
                .filter(i -> "gateway-down".equals(i.get("kind"))).findFirst().orElseThrow();
        assertEquals("default", down.get("gateway"));
        assertTrue(!Instant.parse((String) down.get("since")).isBefore(beforeDown.minusSeconds(1)), String.valueOf(down));
    }

    private static Instant since(Map<String, Object> item) {
        return Instant.parse((String) item.get("since"));
    }

    private static Map<String, Object> item(List<Map<String, Object>> items, String kind) {
        return items.stream().filter(i -> kind.equals(i.get("kind"))).findFirst().orElseThrow();
    }

    private List<Object> kinds() {
        return list("/api/dashboard/attention").stream().map(i -> i.get("kind")).toList();
    }
}
