package io.controlcenter.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.controlcenter.bench.Results.line;
import static io.controlcenter.bench.Results.log;
import static io.controlcenter.bench.Results.ms;
import static io.controlcenter.bench.Results.num;
import static io.controlcenter.bench.Results.target;

/**
 * The multi-gateway run (issue 14; BENCHMARKS.md, "Many gateways"): Control Center as users run it with many gateways
 * ({@code CC_GATEWAYS}, each one's URL and token in the environment) against as many {@link LoadGateway}s in this
 * process, each with a fleet of its own, watched by dashboards of every gateway and dashboards of one
 * ({@code ?gateway=}). Measures the time until every gateway's sync is stored, the sustained throughput held across
 * all of them (the ramp and hold of {@link Phases}, checked per gateway), latency per gateway and memory; prints a
 * table and writes {@code bench-multi-<UTC time>.json}.
 */
final class MultiBench implements Suite {

    /** Sizes and durations: {@code gateways} gateways of {@code agents} and {@code sessions} each, and so on. */
    record Options(boolean quick, int gateways, int agents, int sessions, int allClients, int clientsPerGateway,
                   double latencyRate, long latencyMs, long rampStepMs, double rampStart, double rampFactor,
                   double rampMax, long holdMs, Path project, Path out, double fixedRate) {

        /** 10 gateways × (100 agents, 5,000 sessions); 100 dashboards: 10 of every gateway, 9 of each one. */
        static Options full(Path project, Path out) {
            return new Options(false, 10, 100, 5_000, 10, 9, 1_000, 30_000, 10_000, 4_000, 1.5, 200_000, 60_000,
                    project, out, 0);
        }

        static Options quick(Path project, Path out) {
            return new Options(true, 3, 10, 300, 2, 2, 1_500, 3_000, 2_000, 1_500, 2, 3_000, 3_000, project, out, 0);
        }

        /** A hold at {@code rate} for {@code seconds} instead of the ramp and its holds (for profiling one change). */
        Options fixed(double rate, long seconds) {
            return new Options(quick, gateways, agents, sessions, allClients, clientsPerGateway, latencyRate, latencyMs,
                    rampStepMs, rampStart, rampFactor, rampMax, seconds > 0 ? seconds * 1000 : holdMs, project, out, rate);
        }

        Phases.Plan plan() {
            return new Phases.Plan(rampStepMs, rampStart, rampFactor, rampMax, holdMs, fixedRate, quick);
        }

        int dashboards() {
            return allClients + clientsPerGateway * gateways;
        }
    }

    private final Options o;
    private final Map<String, Object> result = new LinkedHashMap<>();
    private final List<String> javaOptions = Bench.javaOptions();

    MultiBench(Options o) {
        this.o = o;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Path run() throws Exception {
        Path jar = BundleProcess.jar(o.project);
        Path work = Files.createTempDirectory("cc-bench-multi");
        result.put("timestamp", Instant.now().toString());
        result.put("mode", (o.quick ? "quick" : "full") + (o.fixedRate > 0 ? " at " + Math.round(o.fixedRate) + " events/s" : ""));
        result.put("machine", Results.machine());
        result.put("parameters", Map.of("gateways", o.gateways, "agentsPerGateway", o.agents, "sessionsPerGateway",
                o.sessions, "sseClientsOfAllGateways", o.allClients, "sseClientsPerGateway", o.clientsPerGateway,
                "latencyRate", o.latencyRate, "holdSeconds", o.holdMs / 1000, "javaOptions", javaOptions));
        Map<String, Object> memory = new LinkedHashMap<>();
        log("%d gateways of %d agents and %d sessions each, %d dashboards", o.gateways, o.agents, o.sessions,
                o.dashboards());
        try (LoadGateways gateways = LoadGateways.start(o.gateways, o.agents, o.sessions, o.quick ? 1 << 16 : 1 << 20,
                30_000)) {
            BundleProcess bundle = BundleProcess.start(o.project, jar, work.resolve("postgres"), gateways.environment(),
                    BundleProcess.freePort(), javaOptions, work.resolve("control-center.log"));
            try {
                bundle.awaitConnected(120_000);
                result.put("startToAllSyncedMs", ms(awaitAllStored(bundle, gateways) - bundle.startedNanos));
                log("start to every gateway's first (small) sync stored: %s ms", result.get("startToAllSyncedMs"));
                try (SseLoad sse = new SseLoad(bundle.httpPort, gateways.names, gateways.sendNanos())) {
                    sse.open(o.allClients);
                    for (String name : gateways.names) {
                        sse.open(o.clientsPerGateway, name);
                    }
                    // 1. every gateway restarts at once and serves its large fleet: the first sync inserts, the second updates
                    gateways.serve(o.agents, o.sessions);
                    Map<String, Object> sync = new LinkedHashMap<>();
                    sync.put("first", sync(gateways, sse));
                    sync.putAll(stored(bundle, gateways));
                    memory.put("rssAfterSyncMb", bundle.rssKb() / 1024);
                    memory.put("postgresPssAfterSyncMb", bundle.postgresPssKb() / 1024);
                    sync.put("again", sync(gateways, sse));
                    memory.put("rssAfterResyncMb", bundle.rssKb() / 1024);
                    result.put("sync", sync);
                    // 2. sustained throughput, 3. latency: spread over every gateway, checked per gateway
                    Phases phases = new Phases(gateways, sse, bundle, o.plan());
                    result.put("throughput", phases.throughput(memory));
                    result.put("latency", phases.latency(o.latencyRate, o.latencyMs));
                }
            } finally {
                bundle.close();
            }
        }
        result.put("memory", memory);
        ((Map<String, Object>) result.get("machine")).put("loadAverageAfter", Results.loadAverage());
        result.put("targets", targets());
        Results.deleteTree(work);
        return Results.write(result, o.out, "bench-multi" + (o.quick ? "-quick" : ""));
    }

    /** Waits until every gateway's fleet is in the database (its agents); returns the nanoTime it was. */
    private static long awaitAllStored(BundleProcess bundle, LoadGateways gateways) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        try (Connection c = DriverManager.getConnection(bundle.jdbcUrl())) {
            while (System.currentTimeMillis() < deadline) {
                if (Results.count(c, "SELECT count(DISTINCT gateway) FROM agents WHERE NOT gone") >= gateways.size()) {
                    return System.nanoTime();
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("not every gateway's first sync was stored within 2 minutes");
    }

    /**
     * Restarts every load gateway at once; Control Center reconnects to each and syncs it. Per gateway: its hello-ok to
     * the first dashboard receiving its sync's fleet.update (sent once the sync's rows are committed); all: the first
     * hello-ok to the last gateway's fleet.update.
     */
    private static Map<String, Object> sync(LoadGateways gateways, SseLoad sse) throws Exception {
        Map<SseLoad.Client, long[]> before = new HashMap<>();
        sse.clients.forEach(c -> before.put(c, syncUpdates(c)));
        long asked = System.nanoTime();
        gateways.restart();
        long deadline = System.currentTimeMillis() + 600_000;
        while (sse.clients.stream().anyMatch(c -> !newSyncOfEach(c, before.get(c)))) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("not every gateway's sync sent its fleet.update within 10 minutes");
            }
            Thread.sleep(2);
        }
        long firstHello = Long.MAX_VALUE;
        long lastStored = 0;
        Map<String, Object> byGateway = new LinkedHashMap<>();
        for (int g = 0; g < gateways.size(); g++) {
            int gw = g;
            long hello = gateways.gateways.get(g).helloSentNanos.get();
            if (hello < asked) {
                throw new IllegalStateException("fleet.update of " + gateways.names.get(g) + " without a new hello-ok");
            }
            long stored = sse.clients.stream().filter(c -> c.watches(gw)).mapToLong(c -> c.tracks[gw].lastFleetUpdateNanos)
                    .min().orElseThrow();
            byGateway.put(gateways.names.get(g), ms(stored - hello));
            firstHello = Math.min(firstHello, hello);
            lastStored = Math.max(lastStored, stored);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("allSyncedMs", ms(lastStored - firstHello));
        out.put("slowestGatewayMs", byGateway.values().stream().mapToLong(v -> (Long) v).max().orElse(0));
        out.put("byGateway", byGateway);
        log("sync of %d gateways: all synced %s ms after the first hello-ok; per gateway %s", gateways.size(),
                out.get("allSyncedMs"), byGateway);
        return out;
    }

    private static long[] syncUpdates(SseLoad.Client c) {
        long[] n = new long[c.tracks.length];
        for (int g = 0; g < n.length; g++) {
            n[g] = c.tracks[g].fleetUpdatesFromSync;
        }
        return n;
    }

    /** Whether the client has a new sync fleet.update of each gateway it watches. */
    private static boolean newSyncOfEach(SseLoad.Client c, long[] before) {
        long[] now = syncUpdates(c);
        for (int g = 0; g < now.length; g++) {
            if (c.watches(g) && now[g] <= before[g]) {
                return false;
            }
        }
        return true;
    }

    /** Live agents and sessions in the database per gateway, and whether each gateway has its whole fleet. */
    private Map<String, Object> stored(BundleProcess bundle, LoadGateways gateways) throws Exception {
        Map<String, Object> byGateway = new LinkedHashMap<>();
        boolean all = true;
        try (Connection c = DriverManager.getConnection(bundle.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("SELECT (SELECT count(*) FROM agents WHERE gateway = ? AND NOT gone),"
                     + " (SELECT count(*) FROM sessions WHERE gateway = ? AND NOT gone)")) {
            for (String name : gateways.names) {
                ps.setString(1, name);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    byGateway.put(name, List.of(rs.getLong(1), rs.getLong(2)));
                    all &= rs.getLong(1) == o.agents && rs.getLong(2) == o.sessions;
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("storedByGateway", byGateway);
        out.put("allStored", all);
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> targets() {
        Map<String, Object> sync = (Map<String, Object>) result.get("sync");
        Map<String, Object> tp = (Map<String, Object>) result.get("throughput");
        Map<String, Object> lat = (Map<String, Object>) result.get("latency");
        Map<String, Object> mem = (Map<String, Object>) result.get("memory");
        List<Map<String, Object>> t = new ArrayList<>();
        long syncMs = Math.max(num((Map<String, Object>) sync.get("first"), "allSyncedMs"),
                num((Map<String, Object>) sync.get("again"), "allSyncedMs"));
        t.add(target("1 all " + o.gateways + " synced (" + o.agents + " agents, " + o.sessions + " sessions each)",
                "<= 5000 ms", syncMs + " ms", syncMs <= 5_000 && Boolean.TRUE.equals(sync.get("allStored"))));
        boolean held = Boolean.TRUE.equals(tp.get("held"));
        t.add(target("2 sustained over " + o.gateways + " gateways, " + num(tp, "seconds") + " s, " + num(tp, "sseClients")
                        + " SSE clients", ">= 20000 events/s", num(tp, "heldRate") + " events/s" + (held ? "" : " (not held)"),
                held && num(tp, "heldRate") >= 20_000));
        double p99 = worstP99(lat);
        t.add(target("3 latency p99, worst gateway, at " + num(lat, "rate") + " events/s, " + num(lat, "sseClients")
                + " clients", "<= 50 ms", p99 + " ms", p99 >= 0 && p99 <= 50 && num(lat, "lostAtClients") == 0));
        long rss = Math.max(Math.max(num(mem, "rssAfterSyncMb"), num(mem, "rssAfterResyncMb")),
                num(mem, "rssUnderLoadMaxMb"));
        t.add(target("4 memory (RSS of Control Center's JVM)", "<= 512 MB", rss + " MB", rss <= 512));
        return t;
    }

    /** The largest of the gateways' p99 latencies (ms), -1 when one has no samples. */
    @SuppressWarnings("unchecked")
    private static double worstP99(Map<String, Object> latency) {
        double worst = 0;
        for (Object g : ((Map<String, Object>) latency.get("byGateway")).values()) {
            if (!(((Map<String, Object>) g).get("p99Ms") instanceof Number p99)) {
                return -1;
            }
            worst = Math.max(worst, p99.doubleValue());
        }
        return worst;
    }

    @Override
    @SuppressWarnings("unchecked")
    public String table() {
        StringBuilder sb = new StringBuilder(Results.targetsTable("Control Center benchmark, " + o.gateways
                + " gateways", result));
        Map<String, Object> sync = (Map<String, Object>) result.get("sync");
        sb.append(String.format("dashboards: %d of every gateway, %d of each one (?gateway=); start to every gateway synced "
                + "%s ms%n", o.allClients, o.clientsPerGateway, result.get("startToAllSyncedMs")));
        for (String run : List.of("first", "again")) {
            sb.append(line("sync " + run + ": all synced %s ms after the first hello-ok, slowest gateway %s ms; per gateway %s",
                    (Map<String, Object>) sync.get(run), "allSyncedMs", "slowestGatewayMs", "byGateway"));
        }
        sb.append(line("stored (agents, sessions): %s; all: %s", sync, "storedByGateway", "allStored"));
        sb.append(Results.throughputLine((Map<String, Object>) result.get("throughput")));
        Map<String, Object> lat = (Map<String, Object>) result.get("latency");
        sb.append(line("latency, all gateways: p50 %s ms, p99 %s ms, max %s ms (%s samples, %s clients, lost %s)", lat,
                "p50Ms", "p99Ms", "maxMs", "samples", "sseClients", "lostAtClients"));
        ((Map<String, Object>) lat.get("byGateway")).forEach((name, g) -> sb.append(line("  " + name
                + ": p50 %s ms, p99 %s ms, max %s ms (%s samples)", (Map<String, Object>) g, "p50Ms", "p99Ms", "maxMs",
                "samples")));
        sb.append(Results.memoryLine((Map<String, Object>) result.get("memory")));
        return sb.toString();
    }
}
