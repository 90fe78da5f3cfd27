package io.controlcenter.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.controlcenter.bench.Results.line;
import static io.controlcenter.bench.Results.num;
import static io.controlcenter.bench.Results.target;
import static io.controlcenter.bench.Results.targetsTable;

/**
 * The single-gateway suite's report ({@link Bench}): its targets (issue 18) from the result's figures, and its table.
 * Target 6 holds the stored events/s against COPY of the same rows; raw JDBC's figure and ratio are information,
 * in the table's limits line.
 */
final class BenchReport {

    /** The result's sections. */
    private record Figures(Map<String, Object> start, Map<String, Object> sync, Map<String, Object> throughput,
                           Map<String, Object> latency, Map<String, Object> latencyHigh, Map<String, Object> memory,
                           Map<String, Object> limits) {

        @SuppressWarnings("unchecked")
        static Figures of(Map<String, Object> result) {
            return new Figures((Map<String, Object>) result.get("start"), (Map<String, Object>) result.get("sync"),
                    (Map<String, Object>) result.get("throughput"), (Map<String, Object>) result.get("latency"),
                    (Map<String, Object>) result.get("latencyHigh"), (Map<String, Object>) result.get("memory"),
                    (Map<String, Object>) result.get("limits"));
        }
    }

    private BenchReport() {
    }

    /** The targets, each with its value and whether it is met. */
    static List<Map<String, Object>> targets(Bench.Options o, Map<String, Object> result) {
        Figures f = Figures.of(result);
        Map<String, Object> tp = f.throughput();
        Map<String, Object> lat = f.latency();
        Map<String, Object> high = f.latencyHigh();
        Map<String, Object> mem = f.memory();
        List<Map<String, Object>> t = new ArrayList<>();
        long syncMs = Math.max(num(f.sync(), "firstSyncMs"), num(f.sync(), "resyncMs"));
        t.add(target("1 initial sync (" + o.agents() + " agents, " + o.sessions() + " sessions)", "<= 2500 ms",
                syncMs + " ms", syncMs <= 2_500 && num(f.sync(), "sessionsStored") == o.sessions()));
        boolean held = Boolean.TRUE.equals(tp.get("held"));
        t.add(target("2 sustained throughput, " + num(tp, "seconds") + " s, " + num(tp, "sseClients") + " SSE clients",
                ">= 40000 events/s", num(tp, "heldRate") + " events/s" + (held ? "" : " (not held)"),
                held && num(tp, "heldRate") >= 40_000));
        double p50 = latencyMs(lat, "p50Ms");
        double p99 = latencyMs(lat, "p99Ms");
        t.add(target("3 latency at " + num(lat, "rate") + " events/s, " + num(lat, "sseClients") + " clients",
                "p50 <= 3 ms, p99 <= 10 ms", "p50 " + lat.get("p50Ms") + " ms, p99 " + lat.get("p99Ms") + " ms",
                p50 >= 0 && p50 <= 3 && p99 >= 0 && p99 <= 10 && num(lat, "lostAtClients") == 0));
        double highP99 = latencyMs(high, "p99Ms");
        t.add(target("3b latency at " + num(high, "rate") + " events/s, " + num(high, "sseClients") + " clients",
                "p99 <= 50 ms", "p99 " + high.get("p99Ms") + " ms",
                highP99 >= 0 && highP99 <= 50 && num(high, "lostAtClients") == 0));
        long rss = Math.max(Math.max(num(mem, "rssAfterSyncMb"), num(mem, "rssAfterResyncMb")),
                num(mem, "rssUnderLoadMaxMb"));
        t.add(target("4 memory (RSS of Control Center's JVM)", "<= 512 MB", rss + " MB", rss <= 512));
        long startMs = Math.max(num(f.start(), "firstStartMs"), num(f.start(), "restartMs"));
        t.add(target("5 start to ready (java -jar to connected)", "<= 5000 ms", startMs + " ms", startMs <= 5_000));
        double ratio = ((Number) f.limits().get("ratioStoredToCopy")).doubleValue();
        t.add(target("6 stored events/s vs COPY of the same rows", ">= 0.8", String.valueOf(ratio), ratio >= 0.8));
        return t;
    }

    /** A latency percentile in ms, -1 when there were no samples. */
    private static double latencyMs(Map<String, Object> latency, String key) {
        return latency.get(key) instanceof Number n ? n.doubleValue() : -1;
    }

    /** The table: the targets, then a line per section with the figures behind them. */
    static String table(Map<String, Object> result) {
        StringBuilder sb = new StringBuilder(targetsTable("Control Center benchmark", result));
        Figures f = Figures.of(result);
        sb.append(line("start: first (initdb) %s ms, restart %s ms", f.start(), "firstStartMs", "restartMs"));
        sb.append(line("sync: first %s ms, again %s ms; stored %s agents, %s sessions", f.sync(), "firstSyncMs",
                "resyncMs", "agentsStored", "sessionsStored"));
        sb.append(Results.throughputLine(f.throughput()));
        for (Map<String, Object> latency : List.of(f.latency(), f.latencyHigh())) {
            sb.append(line("latency at %s events/s: p50 %s ms, p99 %s ms, max %s ms (%s samples, %s clients, lost %s; "
                            + "dashboards dropped and back so far %s)", latency, "rate", "p50Ms", "p99Ms", "maxMs",
                    "samples", "sseClients", "lostAtClients", "dashboardReconnects"));
        }
        sb.append(Results.memoryLine(f.memory()));
        sb.append(line("limits: COPY %s stored events/s (ratio %s: target 6); raw JDBC %s stored events/s (ratio %s, "
                        + "information); bare WebSocket client %s frames/s (ratio %s)", f.limits(),
                "copyStoredEventsPerSecond", "ratioStoredToCopy", "rawJdbcStoredEventsPerSecond",
                "ratioStoredToRawJdbc", "bareWebSocketFramesPerSecond", "ratioEventsToBareWebSocket"));
        return sb.toString();
    }
}
