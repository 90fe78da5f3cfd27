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


    /** agent_usage as it was (V11): each live session's counts read out of its JSON, summed. The oracle of the test below. */
    private static final String COUNTS_FROM_JSON = """
            SELECT s.gateway, s.agent_id,
                   sum(CASE WHEN t.input ~ '^[0-9]{1,30}$' THEN CAST(t.input AS numeric) END)   AS input_tokens,
                   sum(CASE WHEN t.output ~ '^[0-9]{1,30}$' THEN CAST(t.output AS numeric) END) AS output_tokens,
                   sum(CASE WHEN t.total ~ '^[0-9]{1,30}$' THEN CAST(t.total AS numeric) END)   AS total_tokens,
                   count(*) AS sessions
            FROM sessions s
            CROSS JOIN LATERAL (SELECT r."inputTokens" AS input, r."outputTokens" AS output, r."totalTokens" AS total
                                FROM json_to_record(CASE WHEN json_typeof(s.data) = 'object' THEN s.data
                                                         ELSE CAST('{}' AS json) END)
                                     AS r("inputTokens" text, "outputTokens" text, "totalTokens" text)) t
            WHERE NOT s.gone AND s.agent_id IS NOT NULL
            GROUP BY s.gateway, s.agent_id ORDER BY s.gateway, s.agent_id""";

    @Test
    void theCountsStoredWithEachRowAreThoseItsJsonHolds() {
        // every shape a count comes in: digits as a number or a string (leading zeros, 30 of them), and what is not
        // one: a fraction, a word, 31 digits, a negative number, an object, null, no field at all
        Object[] shapes = {7, "12", "000", "123456789012345678901234567890", 1.5, "many",
            "0123456789012345678901234567890", -3, Map.of("n", 1), null, "absent"};
        fleet.agents(3).sessions(2 * shapes.length, 1_000);
        int i = 0;
        for (Map<String, Object> row : fleet.sessions.values()) {
            put(row, "inputTokens", shapes[i % shapes.length]);
            put(row, "outputTokens", shapes[(i + 4) % shapes.length]);
            put(row, "totalTokens", shapes[(i + 7) % shapes.length]);
            i++;
        }
        startSynced(3);
        String usage = "SELECT gateway, agent_id, input_tokens, output_tokens, total_tokens, sessions FROM agent_usage "
                + "ORDER BY gateway, agent_id";
        assertEquals(3, app.query(usage).size());
        assertEquals(app.query(COUNTS_FROM_JSON), app.query(usage), "after the sync");

        // an event changes a session's counts, another's are gone from its row
        Map<String, Object> changed = Fixtures.copy(fleet.sessions.get("agent:main:s0"));
        changed.put("inputTokens", 5_000);
        changed.put("totalTokens", "x");
        Map<String, Object> without = Fixtures.copy(fleet.sessions.get("agent:agent-1:s1"));
        without.remove("inputTokens");
        without.remove("outputTokens");
        long now = System.currentTimeMillis();
        gateway.last().event("sessions.changed", FakeFleet.sessionsChanged(changed, "patch", now));
        gateway.last().event("sessions.changed", FakeFleet.sessionsChanged(without, "patch", now + 1));
        await("the events stored", Duration.ofSeconds(10), () -> count("SELECT count(*) FROM sessions WHERE "
                + "input_tokens = 5000") == 1);
        await("both events stored", Duration.ofSeconds(10), () -> count("SELECT count(*) FROM sessions WHERE "
                + "session_key = 'agent:agent-1:s1' AND input_tokens IS NULL AND output_tokens IS NULL") == 1);
        assertEquals(app.query(COUNTS_FROM_JSON), app.query(usage), "after the events");
    }

    private static void put(Map<String, Object> row, String field, Object value) {
        if ("absent".equals(value)) {
            row.remove(field);
        } else {
            row.put(field, value);
        }
    }
}
