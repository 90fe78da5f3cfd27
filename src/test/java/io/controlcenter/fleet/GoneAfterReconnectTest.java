package io.controlcenter.fleet;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the gateway no longer has after a reconnect is marked gone, not kept as live. */
class GoneAfterReconnectTest extends FleetTestSupport {

    @Test
    void anAgentAndSessionsRemovedWhileDisconnectedAreMarkedGone() throws Exception {
        fleet.agents(3).sessions(9, 1_000);
        startSynced(3);
        assertEquals(9, list("/api/sessions").size());

        gateway.stop(); // the gateway goes away; meanwhile agent-2 and one session of main are deleted on it
        fleet.agents.removeIf(a -> "agent-2".equals(a.get("id")));
        fleet.sessions.keySet().removeIf(k -> k.startsWith("agent:agent-2:") || k.equals("agent:main:s0"));
        await("offline", Duration.ofSeconds(5), () -> agentsApi().stream().allMatch(a -> "offline".equals(a.get("status"))));
        gateway.start(gateway.port());

        await("agent-2 gone", Duration.ofSeconds(15), () -> agentsApi().size() == 2);
        Map<String, Object> gone = json(app.get("/api/agents/agent-2").body());
        assertEquals(true, gone.get("gone"));
        assertEquals("gone", gone.get("status"));
        assertEquals(2, list("/api/agents?includeGone=true").size() - 1);
        assertEquals(5, list("/api/sessions").size());
        assertEquals(4, count("SELECT count(*) FROM sessions WHERE gone"));
        assertTrue(agentsApi().stream().allMatch(a -> "idle".equals(a.get("status"))));
        assertEquals(404, app.get("/api/agents/never-existed").statusCode());
    }
}
