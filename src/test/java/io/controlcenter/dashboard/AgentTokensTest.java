package io.controlcenter.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.controlcenter.fleet.FleetTestSupport;
import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.Fixtures;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each agent's tokens: GET /api/dashboard/usage sums its live sessions' counts now; the sampler (routes/dashboard.yaml)
 * keeps a sample when they changed, and GET /api/dashboard/tokens draws them over time.
 */
class AgentTokensTest extends FleetTestSupport {

    @Test
    void theTokensOfAnAgentsSessionsAreSummedAndSampledWhenTheyChange() {
        fleet.agents(2).sessions(6, 1_000); // main: s0, s2, s4; agent-1: s1, s3, s5 (each 10 in, 5 out, 10 total)
        fleet.sessions.get("agent:agent-1:s5").put("totalTokens", "many"); // not a number: left out
        startSynced(2, "dashboard.usage.sample-interval", "300ms");

        List<Map<String, Object>> usage = list("/api/dashboard/usage");
        assertEquals(Map.of("gateway", "default", "agentId", "main", "inputTokens", 30, "outputTokens", 15, "totalTokens", 30,
                "sessions", 3), usage.stream().filter(u -> "main".equals(u.get("agentId"))).findFirst().orElseThrow());
        assertEquals(20, usage.stream().filter(u -> "agent-1".equals(u.get("agentId"))).findFirst().orElseThrow()
                .get("totalTokens"));
        await("a sample of each agent", Duration.ofSeconds(10), () -> count("SELECT count(*) FROM usage_samples") == 2);

        Map<String, Object> row = Fixtures.copy(fleet.sessions.get("agent:main:s0"));
        row.put("totalTokens", 110);
        gateway.last().event("sessions.changed", FakeFleet.sessionsChanged(row, "patch", System.currentTimeMillis()));
        await("a second sample of main", Duration.ofSeconds(10), () -> count(
                "SELECT count(*) FROM usage_samples WHERE agent_id = 'main' AND total_tokens = 130") == 1);
        long samples = count("SELECT count(*) FROM usage_samples");
        NotifyBuilder rounds = new NotifyBuilder(app.context()).fromRoute("dashboard-usage-sample").whenCompleted(3).create();
        assertTrue(rounds.matches(10, TimeUnit.SECONDS), "the sampler ran three more times");
        assertEquals(samples, count("SELECT count(*) FROM usage_samples"), "nothing changed: no new sample");

        Map<String, Object> chart = json(app.get("/api/dashboard/tokens?agentId=main&hours=1").body());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> series = (List<Map<String, Object>>) chart.get("series");
        assertEquals(1, series.size());
        @SuppressWarnings("unchecked")
        List<Object> values = ((List<List<Object>>) series.get(0).get("points")).stream().map(p -> p.get(1)).toList();
        assertEquals(List.of(30, 130, 130), values, "the samples, then the last one now");
        assertEquals(400, app.get("/api/dashboard/tokens?hours=169").statusCode());
    }

}
