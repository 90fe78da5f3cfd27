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
 * The multi-gateway run in its quick form (scripts/bench.sh --multi --quick: 3 gateways, small fleets, a few seconds
 * of load) on the jar `mvn verify` just built, so that part of the harness cannot rot either: every gateway synced and
 * stored, and per gateway nothing lost, duplicated or out of order at any dashboard and the event log = sent. The
 * figures are not asserted against the targets (CI machines vary); BENCHMARKS.md has the real run.
 */
@Tag("bench")
class MultiBenchSmokeIT {

    @Test
    @SuppressWarnings("unchecked")
    void theQuickMultiGatewayRunLosesNothingOnAnyGateway() throws Exception {
        Path project = Path.of("").toAbsolutePath();
        MultiBench.Options options = MultiBench.Options.quick(project, project.resolve("target/bench-results"));
        Path file = Suite.runAndPrint(new MultiBench(options));

        assertTrue(Files.isRegularFile(file), "result JSON written");
        Map<String, Object> r = new ObjectMapper().readValue(file.toFile(), Map.class);

        Map<String, Object> sync = (Map<String, Object>) r.get("sync");
        assertEquals(true, sync.get("allStored"), "every gateway's agents and sessions stored: " + sync);
        for (String run : List.of("first", "again")) {
            Map<String, Object> s = (Map<String, Object>) sync.get(run);
            assertTrue(positive(s, "allSyncedMs"), "sync: " + s);
            assertEquals(options.gateways(), ((Map<String, Object>) s.get("byGateway")).size(), "a time per gateway: " + s);
        }

        Map<String, Object> tp = (Map<String, Object>) r.get("throughput");
        assertNothingLost(tp);
        assertEquals(true, tp.get("storedMatchesSent"), "event log = sent: " + tp);
        assertTrue(positive(tp, "heldRate") && positive(tp, "sessionUpdatesPerClient"), "throughput: " + tp);
        Map<String, Object> byGateway = (Map<String, Object>) tp.get("byGateway");
        assertEquals(options.gateways(), byGateway.size(), "a hold per gateway: " + tp);
        for (Object g : byGateway.values()) {
            Map<String, Object> one = (Map<String, Object>) g;
            assertNothingLost(one);
            assertEquals(true, one.get("storedMatchesSent"), "the gateway's event log = sent: " + one);
            assertTrue(positive(one, "sessionUpdatesPerClient"), "the gateway sent sessions.changed: " + one);
        }

        Map<String, Object> latency = (Map<String, Object>) r.get("latency");
        assertEquals(0, ((Number) latency.get("lostAtClients")).intValue(), "nothing lost: " + latency);
        Map<String, Object> perGateway = (Map<String, Object>) latency.get("byGateway");
        assertEquals(options.gateways(), perGateway.size(), "latency per gateway: " + latency);
        for (Object g : perGateway.values()) {
            Map<String, Object> one = (Map<String, Object>) g;
            assertTrue(positive(one, "samples") && positive(one, "p50Ms"), "latency of a gateway: " + one);
            assertEquals(0, ((Number) one.get("lostAtClients")).intValue(), "nothing lost: " + one);
        }

        Map<String, Object> memory = (Map<String, Object>) r.get("memory");
        assertTrue(positive(memory, "rssAfterSyncMb") && positive(memory, "rssUnderLoadMaxMb"), "memory: " + memory);
        assertEquals(4, ((List<?>) r.get("targets")).size());
    }

    private static void assertNothingLost(Map<String, Object> hold) {
        assertEquals(0, ((Number) hold.get("lostAtClients")).intValue(), "nothing lost: " + hold);
        assertEquals(0, ((Number) hold.get("duplicatesAtClients")).intValue(), "nothing duplicated: " + hold);
        assertEquals(0, ((Number) hold.get("outOfOrderAtClients")).intValue(), "in order: " + hold);
    }

    private static boolean positive(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n && n.doubleValue() > 0;
    }
}
