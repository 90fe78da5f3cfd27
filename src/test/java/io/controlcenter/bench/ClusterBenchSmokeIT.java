package io.controlcenter.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two-instance run in its quick form (scripts/bench.sh --cluster --quick: small fleet, 10 dashboards, a few
 * seconds of load, a 1.5 s lease) on the jar `mvn verify` just built, so that this part of the harness cannot rot:
 * with one instance and with two, nothing lost, duplicated or out of order at any dashboard and the event log = sent;
 * latency measured at the leader's and the follower's dashboards; after kill -9 of the leader the follower connects
 * and its dashboards get every event. The figures are not asserted against the targets; BENCHMARKS.md has the run.
 */
@Tag("bench")
class ClusterBenchSmokeIT {

    @Test
    @SuppressWarnings("unchecked")
    void theQuickTwoInstanceRunLosesNothingAndTheFollowerTakesOver() throws Exception {
        Path project = Path.of("").toAbsolutePath();
        Path file = Suite.runAndPrint(new ClusterBench(ClusterBench.Options.quick(project,
                project.resolve("target/bench-results"))));

        assertTrue(Files.isRegularFile(file), "result JSON written");
        Map<String, Object> r = new ObjectMapper().readValue(file.toFile(), Map.class);
        for (String run : List.of("oneInstance", "twoInstances")) {
            Map<String, Object> hold = (Map<String, Object>) r.get(run);
            assertEquals(0, ((Number) hold.get("lostAtClients")).intValue(), run + ": nothing lost: " + hold);
            assertEquals(0, ((Number) hold.get("duplicatesAtClients")).intValue(), run + ": no duplicate: " + hold);
            assertEquals(0, ((Number) hold.get("outOfOrderAtClients")).intValue(), run + ": in order: " + hold);
            assertEquals(true, hold.get("storedMatchesSent"), run + ": event log = sent: " + hold);
            assertTrue(((Number) hold.get("heldRate")).doubleValue() > 0, run + ": " + hold);
        }
        Map<String, Object> latency = (Map<String, Object>) r.get("latency");
        assertEquals(0, ((Number) latency.get("lostAtClients")).intValue(), "nothing lost: " + latency);
        for (String who : List.of("leader", "follower")) {
            assertTrue(((Map<String, Object>) latency.get(who)).get("p99Ms") instanceof Number, who + ": " + latency);
        }
        Map<String, Object> takeover = (Map<String, Object>) r.get("takeover");
        assertTrue(((Number) takeover.get("killToHelloMs")).longValue() > 0, "takeover: " + takeover);
        assertEquals(true, takeover.get("followerDashboardsGotEveryEventAfter"), "takeover: " + takeover);
        assertEquals(3, ((List<?>) r.get("targets")).size());
    }
}
