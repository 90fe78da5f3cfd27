package io.controlcenter.dashboard;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import io.controlcenter.fleet.FleetTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * GET /api/dashboard/sessions: one agent's sessions a page at a time, the one with a run in progress first, then the most
 * recently updated, each with its token counts; filtered by run and kind, with how many match and which kinds there are.
 */
class AgentSessionsPageTest extends FleetTestSupport {

    @Test
    void anAgentsSessionsComeAPageAtATimeTheRunningOneFirst() {
        fleet.agents(2).sessions(10, 1_000); // main: s0, s2, s4, s6, s8
        for (int i = 0; i < 10; i += 2) {
            fleet.sessions.get("agent:main:s" + i).put("updatedAt", 1_000 + i);
        }
        fleet.sessions.get("agent:main:s2").put("hasActiveRun", true);
        fleet.sessions.get("agent:main:s6").put("kind", "group");
        startSynced(2);

        Map<String, Object> first = json(app.get("/api/dashboard/sessions?agentId=main&limit=2").body());
        assertEquals(5, first.get("total"));
        assertEquals(List.of("direct", "group"), first.get("kinds"));
        assertEquals(List.of("agent:main:s2", "agent:main:s8"), keys(first));
        Map<String, Object> card = sessions(first).get(0);
        assertEquals(List.of(true, 10, 5, 10), List.of(card.get("hasActiveRun"), card.get("inputTokens"),
                card.get("outputTokens"), card.get("totalTokens")), String.valueOf(card));
        assertEquals(List.of("agent:main:s6", "agent:main:s4"),
                keys(json(app.get("/api/dashboard/sessions?agentId=main&limit=2&offset=2").body())));
        assertEquals(List.of("agent:main:s6"), keys(json(app.get("/api/dashboard/sessions?agentId=main&kind=group").body())));
        assertEquals(List.of("agent:main:s8", "agent:main:s6", "agent:main:s4", "agent:main:s0"),
                keys(json(app.get("/api/dashboard/sessions?agentId=main&active=false").body())));

        assertError(app.get("/api/dashboard/sessions"), 400, "agentId is required");
        assertError(app.get("/api/dashboard/sessions?agentId=main&limit=0"), 400, "limit must be a whole number from 1 to 500");
        assertError(app.get("/api/dashboard/sessions?agentId=main&active=maybe"), 400, "active must be true or false");
        assertError(app.get("/api/dashboard/sessions?agentId=main&gateway=nope"), 404, "no gateway nope (gateways: default)");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> sessions(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("sessions");
    }

    private static List<Object> keys(Map<String, Object> page) {
        return sessions(page).stream().map(s -> s.get("key")).toList();
    }

    private static void assertError(HttpResponse<String> r, int status, String message) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(message, json(r.body()).get("error"));
    }
}
