package io.controlcenter.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Events whose payloads are not as the protocol says (found by the hostile-frames fault, RELIABILITY.md) cost nothing
 * but themselves: the valid events around them, in the same batch, are stored and pushed, and a NUL character, which
 * PostgreSQL cannot store, becomes U+FFFD instead of stopping storing.
 */
class UnexpectedPayloadsTest extends FleetTestSupport {

    private final long t0 = System.currentTimeMillis() + 60_000;

    private String valid(int i) {
        Map<String, Object> row = FakeFleet.session("agent:main:s0", "main", t0 + i);
        row.put("label", "ok-" + i);
        return gateway.last().eventText("sessions.changed", FakeFleet.sessionsChanged(row, "patch", t0 + i));
    }

    @Test
    void theValidEventsAroundUnexpectedPayloadsAreStoredAndPushed() {
        fleet.agents(1).sessions(1, 1_000);
        startSynced(1);
        SseStream s = sse("/api/events");
        var conn = gateway.last();
        conn.sendText(valid(0));
        conn.event("presence", Map.of("presence", List.of(1, "not an entry")));         // entries not objects
        conn.sendText(valid(1));
        conn.event("sessions.changed", Map.of("sessionKey", List.of("a"), "session", Map.of("key", List.of("a"))));
        conn.sendText(valid(2));
        conn.sendText("{\"type\":\"event\",\"event\":\"health\",\"payload\":{\"ok\":true,\"ts\":null},\"seq\":"
                + (conn.event("tick", Map.of()) + 1) + "}");                                 // a health ts of null
        conn.sendText(valid(3));
        Map<String, Object> nul = FakeFleet.session("agent:main:s1", "main", t0 + 4);
        nul.put("label", "nul\u0000inside");
        conn.sendText(conn.eventText("sessions.changed", FakeFleet.sessionsChanged(nul, "patch", t0 + 4)));
        conn.sendText(valid(5));

        await("the valid events pushed", Duration.ofSeconds(20), () -> events(s, "session.update").stream()
                .anyMatch(e -> "ok-5".equals(e.get("label"))));
        assertEquals(List.of("ok-0", "ok-1", "ok-2", "ok-3", "nul\ufffdinside", "ok-5"), events(s, "session.update").stream()
                .map(e -> String.valueOf(e.get("label"))).filter(l -> l.startsWith("ok-") || l.contains("inside")).toList());
        assertEquals(5, count("SELECT count(*) FROM event_log WHERE payload->'session'->>'label' LIKE 'ok-%'"));
        assertEquals("nul\ufffdinside", app.query("SELECT data->>'label' AS l FROM sessions"
                + " WHERE session_key = 'agent:main:s1'").get(0).get("l"));
    }
}
