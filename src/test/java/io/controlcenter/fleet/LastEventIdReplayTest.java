package io.controlcenter.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A dashboard that reconnects with Last-Event-ID gets exactly what it missed, from PostgreSQL, then live. */
class LastEventIdReplayTest extends FleetTestSupport {

    /** Gateway time of the live events: after the sync listing, as on a real gateway. */
    private final long t0 = System.currentTimeMillis() + 60_000;

    private void send(int from, int to) {
        var conn = gateway.last();
        for (int i = from; i < to; i++) {
            Map<String, Object> row = FakeFleet.session("agent:main:s0", "main", t0 + i);
            row.put("label", "n=" + i);
            conn.event("sessions.changed", FakeFleet.sessionsChanged(row, "patch", t0 + i));
        }
    }

    private static List<Object> labels(SseStream s) {
        return events(s, "session.update").stream().map(m -> m.get("label")).toList();
    }

    @Test
    void aReconnectingDashboardGetsWhatItMissedThenLiveEvents() {
        fleet.agents(1).sessions(1, 1_000);
        startSynced(1);
        SseStream first = sse("/api/events");
        send(0, 100);
        await("100 updates", Duration.ofSeconds(10), () -> labels(first).size() == 100);
        String lastSeen = first.events.stream().filter(e -> "session.update".equals(e.event())).toList().get(49).id();
        first.close();

        send(100, 200); // missed while away
        await("stored", Duration.ofSeconds(10), () -> count("SELECT count(*) FROM event_log WHERE event = 'sessions.changed'") == 200);
        SseStream again = sse("/api/events", "Last-Event-ID", lastSeen);
        send(200, 250); // live after the reconnect
        await("replay and live", Duration.ofSeconds(10), () -> labels(again).size() >= 200);
        List<Object> expected = new java.util.ArrayList<>();
        for (int i = 50; i < 250; i++) {
            expected.add("n=" + i);
        }
        assertEquals(expected, labels(again));
        assertEquals(0, events(again, "fleet.update").size(), "a resumed stream gets no snapshot, only what it missed");
    }
}
