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
 * The benchmark suite in its quick form (scripts/bench.sh --quick), on the jar `mvn verify` just built, so the harness
 * cannot rot: it must produce a result file with every figure, nothing lost or duplicated and everything stored. The
 * figures themselves are not asserted against the targets (CI machines vary); BENCHMARKS.md has the real run.
 */
@Tag("bench")
class BenchSmokeIT {

    @Test
    @SuppressWarnings("unchecked")
    void theQuickBenchmarkProducesSaneFiguresAndLosesNothing() throws Exception {
        Path project = Path.of("").toAbsolutePath();
        Path file = Bench.run(Bench.Options.quick(project, project.resolve("target/bench-results")));

        assertTrue(Files.isRegularFile(file), "result JSON written");
        Map<String, Object> r = new ObjectMapper().readValue(file.toFile(), Map.class);
        Map<String, Object> machine = (Map<String, Object>) r.get("machine");
        assertTrue(((Number) machine.get("cores")).intValue() > 0 && machine.get("jvm") != null);

        Map<String, Object> start = (Map<String, Object>) r.get("start");
        assertTrue(positive(start, "firstStartMs") && positive(start, "restartMs"), "start times: " + start);

        Map<String, Object> sync = (Map<String, Object>) r.get("sync");
        assertEquals(sync.get("sessions"), sync.get("sessionsStored"), "every listed session stored: " + sync);
        assertEquals(sync.get("agents"), sync.get("agentsStored"), "every listed agent stored: " + sync);
        assertTrue(positive(sync, "firstSyncMs") && positive(sync, "resyncMs"), "sync times: " + sync);

        Map<String, Object> tp = (Map<String, Object>) r.get("throughput");
        assertEquals(0, ((Number) tp.get("lostAtClients")).intValue(), "nothing lost: " + tp);
        assertEquals(0, ((Number) tp.get("duplicatesAtClients")).intValue(), "nothing duplicated: " + tp);
        assertEquals(0, ((Number) tp.get("outOfOrderAtClients")).intValue(), "in order: " + tp);
        assertEquals(true, tp.get("storedMatchesSent"), "every stored kind of event in the event log once: " + tp);
        assertTrue(positive(tp, "heldRate") && positive(tp, "sessionUpdatesPerClient"), "throughput: " + tp);

        for (String phase : List.of("latency", "latencyHigh")) {
            Map<String, Object> latency = (Map<String, Object>) r.get(phase);
            assertTrue(latency != null && positive(latency, "samples") && positive(latency, "p50Ms")
                    && positive(latency, "p99Ms"), phase + ": " + latency);
            assertTrue(((Number) latency.get("p50Ms")).doubleValue() <= ((Number) latency.get("p99Ms")).doubleValue()
                    && ((Number) latency.get("p99Ms")).doubleValue() <= ((Number) latency.get("maxMs")).doubleValue());
            assertEquals(0, ((Number) latency.get("lostAtClients")).intValue(), "nothing lost: " + latency);
        }
        Map<String, Object> parameters = (Map<String, Object>) r.get("parameters");
        assertEquals(parameters.get("highLatencyClients"), ((Map<String, Object>) r.get("latencyHigh")).get("sseClients"),
                "every dashboard of the high-load latency phase counted");

        Map<String, Object> memory = (Map<String, Object>) r.get("memory");
        assertTrue(positive(memory, "rssAfterSyncMb") && positive(memory, "rssUnderLoadMaxMb"), "memory: " + memory);

        Map<String, Object> limits = (Map<String, Object>) r.get("limits");
        assertTrue(positive(limits, "copyStoredEventsPerSecond") && positive(limits, "ratioStoredToCopy"),
                "the COPY run (its rows checked and the same as raw JDBC's): " + limits);
        assertTrue(positive(limits, "rawJdbcStoredEventsPerSecond") && positive(limits, "bareWebSocketFramesPerSecond"),
                "limits: " + limits);
        List<String> targets = ((List<Map<String, Object>>) r.get("targets")).stream()
                .map(t -> ((String) t.get("name")).split(" ")[0]).toList();
        assertEquals(List.of("1", "2", "3", "3b", "4", "5", "6"), targets, "the targets of issue 18");
    }

    private static boolean positive(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n && n.doubleValue() > 0;
    }
}
