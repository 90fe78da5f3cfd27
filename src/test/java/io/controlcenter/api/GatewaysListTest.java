package io.controlcenter.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.controlcenter.support.FakeFleet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/gateways lists every configured gateway in configuration order, each with its connection (state, path,
 * polling, ... as GET /api/gateway shows it) and what is stored of it: live agents and sessions, the time of its newest
 * event. GET /api/gateways/{name} is one of them; GET /api/gateway stays the default gateway's status, as before.
 */
class GatewaysListTest extends TwoGatewaysTestSupport {

    private static final Set<String> STORED = Set.of("agentCount", "sessionCount", "lastEventAt");

    @Test
    void everyGatewayWithItsStateAndWhatIsStoredOfIt() {
        labFleet.agents.add(FakeFleet.agent("research", "Research"));
        labFleet.sessions.put("agent:research:main", FakeFleet.session("agent:research:main", "research", 1_000));
        labFleet.sessions.put("agent:research:s1", FakeFleet.session("agent:research:s1", "research", 1_000));
        Instant before = Instant.now();
        startBoth();

        List<Map<String, Object>> gateways = list("/api/gateways");
        assertEquals(List.of("default", "lab"), field(gateways, "name"));
        Map<String, Object> main = gateways.get(0);
        Map<String, Object> lab = gateways.get(1);
        for (Map<String, Object> g : gateways) {
            assertEquals("connected", g.get("state"), g.toString());
            assertEquals(null, g.get("reason"), g.toString());
            assertEquals(null, g.get("pairing"), g.toString());
            assertEquals("websocket", g.get("path"), g.toString());
            assertEquals(false, ((Map<?, ?>) g.get("polling")).get("active"), g.toString());
            assertNotNull(g.get("lastEventAt"), g.toString());
            assertTrue(!Instant.parse((String) g.get("lastEventAt")).isBefore(before.minusSeconds(1)), g.toString());
        }
        assertEquals(1, ((Number) main.get("agentCount")).intValue());
        assertEquals(1, ((Number) main.get("sessionCount")).intValue());
        assertEquals(2, ((Number) lab.get("agentCount")).intValue());
        assertEquals(3, ((Number) lab.get("sessionCount")).intValue());
        assertEquals(gateway.url(), main.get("url"));
        assertEquals(this.lab.url(), lab.get("url"));

        Map<String, Object> one = object("/api/gateways/lab");
        assertEquals(new TreeSet<>(lab.keySet()), new TreeSet<>(one.keySet()));
        assertEquals(List.of("lab", 2, 3), List.of(one.get("name"), one.get("agentCount"), one.get("sessionCount")));

        // the default gateway's status as before: the list's fields without what is stored
        Map<String, Object> status = app.gatewayStatus();
        assertEquals("default", status.get("name"));
        Set<String> expected = new TreeSet<>(main.keySet());
        expected.removeAll(STORED);
        assertEquals(expected, new TreeSet<>(status.keySet()));
    }
}
