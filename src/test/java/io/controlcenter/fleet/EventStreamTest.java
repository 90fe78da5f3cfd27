package io.controlcenter.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 10,000 live events reach the database and two SSE clients, in order, each once. */
class EventStreamTest extends FleetTestSupport {

    /** Gateway time of the live events: after the sync listing, as on a real gateway. */
    private final long t0 = System.currentTimeMillis() + 60_000;

    @Test
    void tenThousandEventsAreStoredThenPushedInOrder() {
        fleet.agents(3).sessions(30, 1_000);
        startSynced(3);
        SseStream a = sse("/api/events");
        SseStream b = sse("/api/events");

        int n = 10_000;
        var conn = gateway.last();
        List<String> frames = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = FakeFleet.session("agent:main:s" + (i % 30 / 3 * 3), "main", t0 + i);
            row.put("label", "n=" + i);
            frames.add(conn.eventText("sessions.changed", FakeFleet.sessionsChanged(row, "patch", t0 + i)));
        }
        long start = System.nanoTime();
        frames.forEach(conn::sendText);
        for (SseStream s : List.of(a, b)) {
            await("all session.update", Duration.ofSeconds(60), () -> countEvents(s, "session.update") >= n);
            List<Map<String, Object>> updates = events(s, "session.update");
            assertEquals(n, updates.size());
            for (int i = 0; i < n; i++) {
                assertEquals("n=" + i, updates.get(i).get("label"), "message " + i);
            }
            List<Long> ids = s.ids();
            for (int i = 1; i < ids.size(); i++) {
                assertTrue(ids.get(i) > ids.get(i - 1), "ids increase");
            }
        }
        long ms = Math.max(1, (System.nanoTime() - start) / 1_000_000);
        System.out.printf("%d events stored and pushed to 2 SSE clients in %d ms: %d events/s%n", n, ms, n * 1000L / ms);
        assertEquals(n, count("SELECT count(*) FROM event_log WHERE event = 'sessions.changed'"));
        // stored in arrival order: ids follow the gateway's seq
        assertEquals(0, count("""
                SELECT count(*) FROM (SELECT seq, lag(seq) OVER (ORDER BY id) AS prev FROM event_log
                WHERE event = 'sessions.changed') t WHERE prev IS NOT NULL AND seq <> prev + 1"""));
        // the last event went to s9 (9999 % 30 = 9)
        assertEquals("n=" + (n - 1),
                app.query("SELECT data->>'label' AS l FROM sessions WHERE session_key = 'agent:main:s9'").get(0).get("l"));
    }
}
