package io.controlcenter.fleet;

import java.time.Duration;
import java.util.Map;

import io.controlcenter.support.FakeFleet;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event-log rows older than fleet.event-log.retention are deleted; the fleet state stays. */
class EventLogRetentionTest extends FleetTestSupport {

    @Test
    void rowsOlderThanTheRetentionAreDeleted() {
        fleet.agents(1).sessions(1, 1_000);
        startSynced(1, "fleet.event-log.retention", "2s", "fleet.event-log.prune-interval", "300");
        for (int i = 0; i < 20; i++) {
            Map<String, Object> row = FakeFleet.session("agent:main:s0", "main", System.currentTimeMillis() + 60_000 + i);
            gateway.last().event("sessions.changed", FakeFleet.sessionsChanged(row, "patch", System.currentTimeMillis() + 60_000 + i));
        }
        await("logged", Duration.ofSeconds(5), () -> count("SELECT count(*) FROM event_log WHERE event = 'sessions.changed'") == 20);
        await("pruned", Duration.ofSeconds(10), () -> count("SELECT count(*) FROM event_log WHERE event = 'sessions.changed'") == 0);
        assertTrue(count("SELECT count(*) FROM sessions WHERE NOT gone") == 1, "the state is kept");
    }
}
