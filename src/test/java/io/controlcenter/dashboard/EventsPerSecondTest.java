package io.controlcenter.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.fleet.FleetTestSupport;
import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.Fixtures;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** GET /api/dashboard/activity: every event the log holds of the window, per gateway, as events per second in 60 points. */
class EventsPerSecondTest extends FleetTestSupport {

    @Test
    void theEventsOfTheLastMinutesAreCountedPerSecond() {
        fleet.agents(1).sessions(1, 1_000);
        startSynced(1);
        Map<String, Object> row = Fixtures.copy(fleet.sessions.get("agent:main:s0"));
        long t = System.currentTimeMillis();
        for (int i = 0; i < 25; i++) {
            gateway.last().event("sessions.changed", FakeFleet.sessionsChanged(row, "patch", t + i));
        }
        await("the events stored", Duration.ofSeconds(10), () -> count(
                "SELECT count(*) FROM event_log WHERE event = 'sessions.changed'") == 25);
        long logged = count("SELECT count(*) FROM event_log WHERE gateway = 'default'");

        Map<String, Object> chart = json(app.get("/api/dashboard/activity?minutes=2").body());
        assertEquals(2, chart.get("stepSeconds"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> series = (List<Map<String, Object>>) chart.get("series");
        assertEquals("default", series.get(0).get("gateway"));
        @SuppressWarnings("unchecked")
        List<List<Number>> points = (List<List<Number>>) series.get(0).get("points");
        assertEquals(60, points.size());
        double events = points.stream().mapToDouble(p -> p.get(1).doubleValue() * 2).sum();
        assertEquals(logged, Math.round(events), "every event of the window, once: " + points);
        assertEquals(400, app.get("/api/dashboard/activity?minutes=61").statusCode());
    }
}
