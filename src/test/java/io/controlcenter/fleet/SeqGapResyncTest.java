package io.controlcenter.fleet;

import java.time.Duration;
import java.util.Map;

import io.controlcenter.support.FakeFleet;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
