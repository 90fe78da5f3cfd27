package io.controlcenter.fleet;

import java.time.Duration;
import java.util.Map;

import io.controlcenter.support.FakeFleet;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Events that arrive while a sync runs are neither lost nor overwritten by the older data of the sync. */
class LiveEventDuringSyncTest extends FleetTestSupport {

    private Map<String, Object> stored(String key) {
        return app.query("SELECT gone, data->>'label' AS label, version FROM sessions WHERE session_key = ?", key).get(0);
    }

    @Test
    void newerEventsWinOverTheListingAndSessionsCreatedMeanwhileAreKept() {
        fleet.agents(2).sessions(10, 1_000);
        fleet.listTs = 5_000L;         // the gateway took its listing at 5000
        fleet.listDelayMs = 1_500;     // and answers 1.5 s later
        fleet.install(gateway);
        start();
        await("sync waiting for sessions.list", Duration.ofSeconds(10), () -> !fleet.sessionListCalls.isEmpty());

        var conn = gateway.last();
        Map<String, Object> s0 = FakeFleet.session("agent:main:s0", "main", 6_000);
        s0.put("label", "changed during the sync");
        conn.event("sessions.changed", FakeFleet.sessionsChanged(s0, "patch", 6_000));       // newer than the listing
        Map<String, Object> s2 = FakeFleet.session("agent:main:s2", "main", 4_000);
        s2.put("label", "stale");
        conn.event("sessions.changed", FakeFleet.sessionsChanged(s2, "patch", 4_000));       // older than the listing
        Map<String, Object> created = FakeFleet.session("agent:main:new", "main", 6_500);
        conn.event("sessions.changed", FakeFleet.sessionsChanged(created, "create", 6_500)); // not in the listing

        await("sync stored", Duration.ofSeconds(15), () -> count("SELECT count(*) FROM gateways WHERE last_sync_at IS NOT NULL") == 1);
        assertEquals("changed during the sync", stored("agent:main:s0").get("label"));
        assertEquals(6_000L, stored("agent:main:s0").get("version"));
        assertEquals(null, stored("agent:main:s2").get("label"), "the listing (5000) is newer than the event (4000)");
        assertEquals(false, stored("agent:main:new").get("gone"), "created after the listing: not gone");
        assertEquals(11, list("/api/sessions").size());
    }
}
