package io.controlcenter.fleet;

import java.time.Duration;
import java.util.Map;

import io.controlcenter.support.FakeFleet;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lost events (a seq gap) trigger a resync, which brings in what they carried and marks what went away. */
class SeqGapResyncTest extends FleetTestSupport {

    @Test
    void aSeqGapResyncsTheFleet() {
        fleet.agents(2).sessions(4, 1_000);
        startSynced(2);
        int listCalls = fleet.sessionListCalls.size();

        // the events for these changes never reach us: a session created, one deleted
        String created = "agent:main:created-unseen";
        fleet.sessions.put(created, FakeFleet.session(created, "main", System.currentTimeMillis()));
        fleet.sessions.remove("agent:main:s0");
        gateway.last().event("presence", Map.of("presence", java.util.List.of()), 50); // seq jumps to 50

        await("resynced", Duration.ofSeconds(10), () -> fleet.sessionListCalls.size() > listCalls
                && list("/api/sessions").stream().anyMatch(s -> created.equals(s.get("key"))));
        await("deleted one gone", Duration.ofSeconds(5), () -> list("/api/sessions").size() == 4);
        assertEquals(1, count("SELECT count(*) FROM sessions WHERE gone AND session_key = 'agent:main:s0'"));
        assertEquals(1L, app.statusCount("seqGaps"));
    }

    @Test
    void aBurstOfGapsCostsOneOrTwoSyncsNotOneEach() {
        fleet.agents(2).sessions(4, 1_000);
        startSynced(2);
        fleet.listDelayMs = 300; // each sync takes a while: the gaps pile up behind the first
        int listCalls = fleet.sessionListCalls.size();
        String created = "agent:main:created-unseen";
        fleet.sessions.put(created, FakeFleet.session(created, "main", System.currentTimeMillis()));

        for (int i = 1; i <= 20; i++) {
            gateway.last().event("presence", Map.of("presence", java.util.List.of()), 100L * i); // each one a gap
        }
        await("20 gaps seen", Duration.ofSeconds(10), () -> app.statusCount("seqGaps") == 20L);
        await("the requests answered by the syncs that ran", Duration.ofSeconds(20), () -> app.metrics()
                .valueOrZero("controlcenter_fleet_sync_requests_answered_total", "gateway=\"default\"")
                + syncs("resync") == 20);
        assertTrue(syncs("resync") <= 2, "resyncs run: " + syncs("resync"));
        assertTrue(fleet.sessionListCalls.size() - listCalls <= 2, "sessions.list calls");
        await("the unseen session read", Duration.ofSeconds(5),
                () -> list("/api/sessions").stream().anyMatch(s -> created.equals(s.get("key"))));
    }

    private double syncs(String reason) {
        return app.metrics().valueOrZero("controlcenter_fleet_syncs_total", "reason=\"" + reason + "\"");
    }
}
