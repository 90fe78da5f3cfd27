package io.controlcenter.api;

import java.util.List;
import java.util.Map;

import io.controlcenter.support.FakeFleet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two gateways that both have an agent {@code main} and a session {@code agent:main:main}: two cards and two sessions,
 * each saying its gateway; {@code ?gateway=} narrows every list to one gateway, and one agent is the default gateway's
 * unless the path or {@code ?gateway=} names another.
 */
class SameAgentOnTwoGatewaysTest extends TwoGatewaysTestSupport {

    @Test
    void eachGatewaysAgentAndSessionIsListedWithItsGateway() {
        labFleet.agents.add(FakeFleet.agent("research", "Research"));
        fleet.presence.add(Map.of("instanceId", "gw-default", "mode", "gateway", "reason", "self"));
        labFleet.presence.add(Map.of("instanceId", "gw-lab", "mode", "gateway", "reason", "self"));
        startBoth();

        List<Map<String, Object>> agents = agentsApi();
        assertEquals(List.of("default", "lab", "lab"), field(agents, "gateway"), agents.toString());
        assertEquals(List.of("main", "main", "research"), field(agents, "id"), agents.toString());
        List<Map<String, Object>> sessions = list("/api/sessions");
        assertEquals(List.of(SESSION, SESSION), field(sessions, "key"), sessions.toString());
        assertEquals(List.of("default", "lab"), field(sessions, "gateway").stream().sorted().toList());
        assertEquals(List.of("default", "lab"), field(list("/api/presence"), "gateway"));

        // one gateway's view
        assertEquals(List.of("main", "research"), field(list("/api/agents?gateway=lab"), "id"));
        assertEquals(List.of("lab", "lab"), field(list("/api/agents?gateway=lab"), "gateway"));
        assertEquals(List.of("default"), field(list("/api/sessions?gateway=default"), "gateway"));
        assertEquals(List.of("lab"), field(list("/api/sessions?gateway=lab&agentId=main"), "gateway"));
        assertEquals(List.of(Map.of("gateway", "lab", "instanceId", "gw-lab", "mode", "gateway", "reason", "self")),
                list("/api/presence?gateway=lab"));

        // one agent: the default gateway's, unless another is named
        assertEquals("default", object("/api/agents/main").get("gateway"));
        assertEquals("lab", object("/api/agents/main?gateway=lab").get("gateway"));
        assertEquals("lab", object("/api/gateways/lab/agents/main").get("gateway"));
        assertEquals("Research", object("/api/gateways/lab/agents/research").get("name"));
        assertEquals(404, app.get("/api/agents/research").statusCode(), "research is lab's, not the default gateway's");
        assertEquals(Map.of("error", "no agent research", "code", "NOT_FOUND"),
                json(app.get("/api/gateways/default/agents/research").body()));
    }
}
