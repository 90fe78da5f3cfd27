package io.controlcenter.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.FaultFigures;
import io.controlcenter.support.FaultTestSupport;
import io.controlcenter.support.HeapSampler;
import io.controlcenter.support.HostileFrames;
import io.controlcenter.support.HostileFrames.Kind;
import io.controlcenter.support.SseStream;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway sends fuzzed frames ({@link HostileFrames}: malformed JSON, wrong types in every known field, huge
 * strings, deep nesting, unknown events and frame types, wrong and repeated seq, res for unknown ids, binary frames, a
 * few frames over the maximum payload) among valid labelled events: Control Center keeps running and connected (it
 * reconnects only after a frame over the maximum, closing with 1009 as the protocol says), counts each kind of frame
 * as sent, stores and pushes every valid event once and in order, logs no error, and its heap stays within -Xmx256m.
 * {@code -Dfaults.frames} (scripts/faults.sh: 100,000; mvn verify: 10,000), {@code -Dfaults.seed}.
 */
class HostileFramesTest extends FaultTestSupport {

    private static final Pattern OK_LABEL = Pattern.compile("^ok-(\\d+)");

    @Test
    void hostileFramesAreCountedAndEveryValidEventIsStoredAndPushedOnce() throws Exception {
        int total = FaultFigures.setting("frames", 10_000);
        long seed = Long.getLong("faults.seed", 16);
        int oversized = Math.max(2, total / 20_000);
        gateway.maxPayload = 1 << 20; // hello-ok's policy: huge frames just under it, oversized ones above
        // no ticks: their seqs are the gateway's own and would be gaps the fuzz does not count (the frames keep the
        // connection alive; the watchdog waits two intervals)
        gateway.sendTicks = false;
        gateway.tickIntervalMs = 600_000;
        Path data = dir.resolve("data/postgres");
        startApp(Map.of("DB_DATA_DIR", data.toString()));
        SseStream dashboard = dashboard();
        Map<String, Object> before = gatewayStatus();
        HostileFrames frames = new HostileFrames(seed, gateway.maxPayload);
        Random sizes = new Random(seed);
        FakeGateway.Conn conn = gateway.last();
        int binary = 0;
        long started = System.nanoTime();
        try (HeapSampler heap = new HeapSampler(() -> get("/observe/metrics"), 250)) {
            for (int i = 1; i <= total; i++) {
                HostileFrames.Frame f = i % (total / oversized) == 0 ? frames.oversized(1 + sizes.nextInt(1000))
                        : i % 2_500 == 1_250 ? frames.huge((int) gateway.maxPayload - 200 - sizes.nextInt(100_000))
                        : i % 1_000 == 500 ? frames.shutdown() // a restart announced in a wrong time
                        : i == total - total / 10 ? frames.lastSeq()
                        : frames.next();
                Future<Void> written = f.binary() != null ? conn.sendBinary(f.binary()) : conn.sendText(f.text());
                binary += f.binary() != null ? 1 : 0;
                if (i % 200 == 0 || f.kind() == Kind.HUGE || f.kind() == Kind.OVERSIZED) {
                    written.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
                }
                if (f.kind() == Kind.OVERSIZED) { // Control Center closes with 1009 and connects again
                    int connections = gateway.connections.size();
                    awaitApp("a new connection after the frame over the maximum", Duration.ofSeconds(30),
                            () -> gateway.connections.size() == connections + 1 && gateway.last().helloSent);
                    conn = gateway.last();
                    frames.newConnection();
                }
            }
            long sentMs = (System.nanoTime() - started) / 1_000_000;
            awaitApp("every valid event pushed", Duration.ofSeconds(120),
                    () -> okLabels(dashboard).size() >= frames.labels());
            long doneMs = (System.nanoTime() - started) / 1_000_000;
            Map<String, Object> after = gatewayStatus();
            long[] stored = storedOkEvents(data);
            List<Integer> pushed = okLabels(dashboard);

            new FaultFigures("hostile frames: " + total + " fuzzed frames (seed " + seed + ")")
                    .put("sent", total).put("byKind", kinds(frames)).put("binary", binary).put("seqGaps", frames.gaps())
                    .put("validSent", frames.labels()).put("validStored", stored[0]).put("validPushed", pushed.size())
                    .put("lost", frames.labels() - stored[1]).put("duplicated", stored[0] - stored[1])
                    .put("counted", counted(before, after)).put("reconnects", delta(before, after, "reconnects"))
                    .put("sentInMs", sentMs).put("allPushedAfterMs", doneMs)
                    .put("warnLines", logLines("WARN", null).size())
                    .put("errorLinesCallsCutByClose", logLines("ERROR", null).size())
                    .put("peakHeapMb", heap.peakMb()).put("heapSamples", heap.samples()).put("peakRssMb", peakRssMb())
                    .report();

            assertTrue(app.process.isAlive(), "Control Center runs");
            assertEquals(200, status("/observe/health/ready"), "ready");
            assertEquals(1 + oversized, gateway.connections.size(), "a new connection after each frame over the maximum only");
            assertEquals(oversized, delta(before, after, "reconnects"), "reconnects");
            assertEquals(frames.sent(Kind.MALFORMED), delta(before, after, "malformedFrames"), "malformed frames");
            assertEquals(frames.sent(Kind.UNKNOWN_TYPE) + frames.sent(Kind.BINARY), delta(before, after, "unknownFrames"),
                    "frames of unknown type and binary frames");
            assertEquals(oversized, delta(before, after, "oversizedFrames"), "frames over the maximum");
            assertEquals(frames.gaps(), delta(before, after, "seqGaps"), "seq gaps");
            assertEquals(frames.sent(Kind.LATE_RESPONSE), delta(before, after, "lateResponses"), "res for unknown ids");
            assertTrue(delta(before, after, "framesReceived") >= total - binary, "every text frame received");
            assertEquals(frames.labels(), stored[0], "valid events in the event log");
            assertEquals(frames.labels(), stored[1], "distinct valid events in the event log");
            for (int i = 0; i < pushed.size(); i++) {
                assertEquals(i, pushed.get(i), "valid event " + i + " pushed once, in order");
            }
            assertEquals(frames.labels(), pushed.size(), "valid events pushed");
            // the one error logged: calls (resyncs) still waiting when a frame over the maximum closed the connection
            assertEquals(List.of(), logLines("ERROR", null).stream()
                    .filter(l -> !l.contains("CONNECTION_CLOSED") && !l.contains("NOT_CONNECTED")).toList(),
                    "no other error logged");
            assertTrue(get("/api/agents").contains("\"main\""), "the agent is still there");
        }
    }

    /** The numbers of the ok-N labels of the session.update messages, in the order received (huge labels cut). */
    private static List<Integer> okLabels(SseStream s) {
        List<Integer> numbers = new ArrayList<>();
        for (String label : labels(s)) {
            Matcher m = OK_LABEL.matcher(label);
            if (m.find()) {
                numbers.add(Integer.parseInt(m.group(1)));
            }
        }
        return numbers;
    }

    /** The valid events in the event log: rows and distinct labels. */
    private static long[] storedOkEvents(Path data) throws Exception {
        int pgPort = Integer.parseInt(Files.readAllLines(data.resolve("postmaster.pid")).get(3).trim());
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/postgres", "postgres", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT substring(payload->'session'->>'label'"
                     + " from '^ok-[0-9]+')) FROM event_log WHERE event = 'sessions.changed'"
                     + " AND payload->'session'->>'label' ~ '^ok-[0-9]+'")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    private static Map<String, Integer> kinds(HostileFrames frames) {
        Map<String, Integer> m = new java.util.LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            m.put(k.name().toLowerCase(java.util.Locale.ROOT), frames.sent(k));
        }
        return m;
    }

    private static Map<String, Long> counted(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (String k : List.of("framesReceived", "malformedFrames", "unknownFrames", "oversizedFrames", "seqGaps",
                "lateResponses", "tickTimeouts")) {
            m.put(k, delta(before, after, k));
        }
        return m;
    }

    private static long delta(Map<String, Object> before, Map<String, Object> after, String field) {
        return ((Number) after.get(field)).longValue() - ((Number) before.get(field)).longValue();
    }
}
