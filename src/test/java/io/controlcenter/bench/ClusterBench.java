package io.controlcenter.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import static io.controlcenter.bench.Results.line;
import static io.controlcenter.bench.Results.log;
import static io.controlcenter.bench.Results.ms;
import static io.controlcenter.bench.Results.num;
import static io.controlcenter.bench.Results.percentiles;
import static io.controlcenter.bench.Results.target;

/**
 * The two-instance run (issue 17; BENCHMARKS.md, "Several instances"): Control Center as users run several of it
 * ({@code java -jar}, the file cluster service on a directory of the run's, one PostgreSQL server started here for
 * both) against one {@link LoadGateway}. First the instance that leads the gateway alone with all the dashboards (the
 * single-instance figure, on the same database and machine), then a second instance, a follower, with half of the
 * dashboards: the sustained rate held (the ramp and hold of {@link Phases}, nothing lost, duplicated or out of order
 * at any dashboard, event log = sent), latency at the leader's and at the follower's dashboards, and the time from
 * {@code kill -9} of the leader until the follower's hello-ok at the gateway, against the lease. Writes
 * {@code bench-cluster-<UTC time>.json}.
 */
final class ClusterBench implements Suite {

    /**
     * Sizes and durations; {@code lockIntervalMs} and {@code staleAfter}: the file cluster service's
     * acquire-lock-interval and heartbeat-timeout-multiplier (the defaults of application.properties in the full run).
     */
    record Options(boolean quick, int agents, int sessions, int dashboards, double latencyRate, long latencyMs,
                   long rampStepMs, double rampStart, double rampFactor, double rampMax, long holdMs,
                   long lockIntervalMs, int staleAfter, Path project, Path out) {

        /** 100 agents, 5,000 sessions; 100 dashboards; latency at 1,000 events/s; the default lease (2 s x 3). */
        static Options full(Path project, Path out) {
            return new Options(false, 100, 5_000, 100, 1_000, 30_000, 10_000, 4_000, 1.5, 200_000, 60_000, 2_000, 3,
                    project, out);
        }

        static Options quick(Path project, Path out) {
            return new Options(true, 10, 300, 10, 500, 3_000, 2_000, 1_000, 2, 2_000, 3_000, 500, 2, project, out);
        }

        Phases.Plan plan() {
            return new Phases.Plan(rampStepMs, rampStart, rampFactor, rampMax, holdMs, 0, quick);
        }

        /** How long a killed leader keeps the gateway: its heartbeat going stale, and one more attempt. */
        long leaseMs() {
            return lockIntervalMs * (staleAfter + 1);
        }
    }

    private final Options o;
    private final Map<String, Object> result = new LinkedHashMap<>();
    private final List<String> javaOptions = new ArrayList<>(Bench.javaOptions());

    ClusterBench(Options o) {
        this.o = o;
        javaOptions.add("-Dcluster.file.acquire-lock-interval=" + o.lockIntervalMs);
        javaOptions.add("-Dcluster.file.heartbeat-timeout-multiplier=" + o.staleAfter);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Path run() throws Exception {
        Path jar = BundleProcess.jar(o.project);
        Path work = Files.createTempDirectory("cc-bench-cluster");
        result.put("timestamp", Instant.now().toString());
        result.put("mode", o.quick ? "quick" : "full");
        result.put("machine", Results.machine());
        result.put("parameters", Map.of("agents", o.agents, "sessions", o.sessions, "dashboards", o.dashboards,
                "latencyRate", o.latencyRate, "holdSeconds", o.holdMs / 1000, "clusterService", "file",
                "leaseMs", o.leaseMs(), "javaOptions", javaOptions));
        Map<String, Object> memory = new LinkedHashMap<>();
        int dbPort = BundleProcess.freePort();
        log("two instances on one PostgreSQL, one gateway (%d agents, %d sessions), %d dashboards", o.agents, o.sessions,
                o.dashboards);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(work.resolve("postgres"))
                .setCleanDataDirectory(true).setPort(dbPort).setLocaleConfig("locale", "C")
                .setServerConfig("max_connections", "200").setPGStartupWait(Duration.ofSeconds(60)).start();
             LoadGateways gateways = LoadGateways.start(1, o.agents, o.sessions, o.quick ? 1 << 20 : 1 << 23, 30_000)) {
            gateways.serve(o.agents, o.sessions);
            BundleProcess leader = start(1, work, gateways, dbPort);
            BundleProcess follower = null;
            try {
                leader.awaitConnected(120_000);
                // 1. the leader alone, every dashboard on it
                try (SseLoad sse = new SseLoad(leader.httpPort, gateways.names, gateways.sendNanos())) {
                    sse.open(o.dashboards);
                    warmUp(gateways, sse);
                    result.put("oneInstance", new Phases(gateways, sse, leader, o.plan()).throughput(memory));
                }
                // 2. a follower joins; half of the dashboards on each instance
                follower = start(2, work, gateways, dbPort);
                follower.awaitConnected(120_000); // the follower's GET /api/gateway: the leader's connection
                try (SseLoad sse = new SseLoad(leader.httpPort, gateways.names, gateways.sendNanos())) {
                    sse.open(o.dashboards / 2);
                    sse.open(o.dashboards - o.dashboards / 2, null, follower.httpPort);
                    warmUp(gateways, sse);
                    Phases phases = new Phases(gateways, sse, leader, o.plan());
                    result.put("twoInstances", phases.throughput(memory));
                    Map<String, Object> latency = phases.latency(o.latencyRate, o.latencyMs);
                    latency.put("leader", percentiles(sse.latencies(0, leader.httpPort)));
                    latency.put("follower", percentiles(sse.latencies(0, follower.httpPort)));
                    log("latency at %.0f events/s: leader's dashboards %s, follower's %s", o.latencyRate,
                            latency.get("leader"), latency.get("follower"));
                    result.put("latency", latency);
                    memory.put("followerRssMb", follower.rssKb() / 1024);
                    // 3. kill -9 of the leader: until the follower's hello-ok at the gateway
                    result.put("takeover", takeover(leader, follower, gateways, sse));
                }
            } finally {
                leader.close();
                if (follower != null) {
                    follower.close();
                }
            }
        }
        result.put("memory", memory);
        ((Map<String, Object>) result.get("machine")).put("loadAverageAfter", Results.loadAverage());
        result.put("targets", targets());
        Results.deleteTree(work);
        return Results.write(result, o.out, "bench-cluster" + (o.quick ? "-quick" : ""));
    }

    /**
     * Three steps' time (one in the quick run) at half the ramp's start rate, delivered before what is measured: the
     * JIT of a JVM that just started (the leader in the first phase, the follower in the second) is not what a ramp step
     * should measure. One step's time was not enough on a slower machine: the leader alone then fell behind at the
     * ramp's first step (4,000 events/s) and held 2,000, the two instances after it 13,500 (BENCHMARKS.md, Tenth look).
     */
    private void warmUp(LoadGateways gateways, SseLoad sse) throws Exception {
        sse.reset(gateways.nextLabels(), false);
        LoadGateways.Run run = gateways.run(o.rampStart / 2, (o.quick ? 1 : 3) * o.rampStepMs);
        sse.awaitLabels(run.endLabels(), 60_000);
    }

    /** Instance {@code n} ({@code cc-n}) on the shared database, with the gateway's environment. */
    private BundleProcess start(int n, Path work, LoadGateways gateways, int dbPort) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DB_URL", "jdbc:postgresql://localhost:" + dbPort + "/postgres");
        env.put("DB_USER", "postgres");
        env.put("DB_PASSWORD", "");
        env.put("CC_CLUSTER_SERVICE", "file");
        env.put("CC_CLUSTER_FILE_ROOT", work.resolve("cluster").toString());
        env.put("CC_INSTANCE_ID", "cc-" + n);
        Path dir = Files.createDirectories(work.resolve("cc-" + n));
        return BundleProcess.start(o.project, BundleProcess.jar(o.project), dir.resolve("unused-data"),
                gateways.environment(), dbPort, javaOptions, work.resolve("control-center-" + n + ".log"), env);
    }

    /**
     * Kills the leader ({@code kill -9}) and measures until the gateway sent the follower its hello-ok, then until the
     * follower's dashboards have every event of a short run at the latency rate (no gap after the takeover).
     */
    private Map<String, Object> takeover(BundleProcess leader, BundleProcess follower, LoadGateways gateways,
                                         SseLoad sse) throws Exception {
        LoadGateway gateway = gateways.gateways.get(0);
        long killed = System.nanoTime();
        leader.kill();
        long deadline = System.currentTimeMillis() + o.leaseMs() + 60_000;
        while (gateway.helloSentNanos.get() < killed) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("no instance connected within " + (o.leaseMs() + 60_000) + " ms");
            }
            Thread.sleep(5);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("leaseMs", o.leaseMs());
        out.put("killToHelloMs", ms(gateway.helloSentNanos.get() - killed));
        follower.awaitConnected(60_000);
        sse.reset(gateways.nextLabels(), false);
        LoadGateways.Run after = gateways.run(o.latencyRate, Math.min(5_000, o.latencyMs));
        List<SseLoad.Client> survivors = sse.clients.stream().filter(c -> c.port == follower.httpPort).toList();
        long until = System.currentTimeMillis() + 30_000;
        boolean all = false;
        while (!all && System.currentTimeMillis() < until) {
            all = survivors.stream().allMatch(c -> c.complete(after.endLabels()));
            Thread.sleep(5);
        }
        out.put("followerDashboardsGotEveryEventAfter", all);
        out.put("followerDashboardsEnded", survivors.stream().filter(c -> c.ended || c.error != null).count());
        log("takeover: kill -9 of the leader to the follower's hello-ok %s ms (lease %d ms); its dashboards got every "
                + "event after: %s", out.get("killToHelloMs"), o.leaseMs(), all);
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> targets() {
        Map<String, Object> one = (Map<String, Object>) result.get("oneInstance");
        Map<String, Object> two = (Map<String, Object>) result.get("twoInstances");
        Map<String, Object> lat = (Map<String, Object>) result.get("latency");
        Map<String, Object> takeover = (Map<String, Object>) result.get("takeover");
        List<Map<String, Object>> t = new ArrayList<>();
        boolean held = Boolean.TRUE.equals(two.get("held"));
        long single = num(one, "heldRate");
        t.add(target("1 sustained, 2 instances, " + num(two, "sseClients") + " dashboards split",
                ">= 80 % of " + single, num(two, "heldRate") + " events/s" + (held ? "" : " (not held)"),
                held && num(two, "heldRate") >= 0.8 * single));
        double leaderP99 = p99(lat, "leader");
        double followerP99 = p99(lat, "follower");
        t.add(target("2 follower's p99 vs leader's at " + num(lat, "rate") + " events/s", "<= +20 ms",
                followerP99 + " vs " + leaderP99 + " ms", leaderP99 >= 0 && followerP99 >= 0
                        && followerP99 <= leaderP99 + 20 && num(lat, "lostAtClients") == 0));
        long takeoverMs = num(takeover, "killToHelloMs");
        t.add(target("3 takeover after kill -9 of the leader", "<= " + (o.leaseMs() + 5_000) + " ms",
                takeoverMs + " ms", takeoverMs <= o.leaseMs() + 5_000
                        && Boolean.TRUE.equals(takeover.get("followerDashboardsGotEveryEventAfter"))));
        return t;
    }

    private static double p99(Map<String, Object> latency, String who) {
        Object p99 = ((Map<?, ?>) latency.get(who)).get("p99Ms");
        return p99 instanceof Number n ? n.doubleValue() : -1;
    }

    @Override
    @SuppressWarnings("unchecked")
    public String table() {
        StringBuilder sb = new StringBuilder(Results.targetsTable("Control Center benchmark, two instances", result));
        sb.append("one instance (the leader alone, every dashboard on it): ")
                .append(Results.throughputLine((Map<String, Object>) result.get("oneInstance")));
        sb.append("two instances (half of the dashboards on each): ")
                .append(Results.throughputLine((Map<String, Object>) result.get("twoInstances")));
        Map<String, Object> lat = (Map<String, Object>) result.get("latency");
        sb.append(line("latency, all dashboards: p50 %s ms, p99 %s ms, max %s ms (%s samples, %s clients, lost %s)", lat,
                "p50Ms", "p99Ms", "maxMs", "samples", "sseClients", "lostAtClients"));
        for (String who : List.of("leader", "follower")) {
            sb.append(line("  " + who + "'s dashboards: p50 %s ms, p99 %s ms, max %s ms",
                    (Map<String, Object>) lat.get(who), "p50Ms", "p99Ms", "maxMs"));
        }
        sb.append(line("takeover: kill -9 to the follower's hello-ok %s ms, lease %s ms; the follower's dashboards got "
                + "every event after: %s", (Map<String, Object>) result.get("takeover"), "killToHelloMs", "leaseMs",
                "followerDashboardsGotEveryEventAfter"));
        sb.append(line("memory: the leader's RSS under load max %s MB, the follower's %s MB",
                (Map<String, Object>) result.get("memory"), "rssUnderLoadMaxMb", "followerRssMb"));
        return sb.toString();
    }
}
