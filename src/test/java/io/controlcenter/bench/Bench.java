package io.controlcenter.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.controlcenter.bench.Results.count;
import static io.controlcenter.bench.Results.deleteTree;
import static io.controlcenter.bench.Results.loadAverage;
import static io.controlcenter.bench.Results.log;
import static io.controlcenter.bench.Results.ms;
import static io.controlcenter.bench.Results.round2;

/**
 * The benchmark suite (BENCHMARKS.md): Control Center as users run it ({@code java -jar target/control-center.jar},
 * embedded PostgreSQL) against the {@link LoadGateway} in this process, watched by {@link SseLoad} dashboards.
 * Measures start to ready, the initial sync, sustained throughput, latency (p50 and p99 at 1,000 events/s to 100
 * dashboards, then p99 at 5,000 events/s to 1,000), memory and the limits (the same rows written with PostgreSQL's
 * COPY, which the stored events/s are held against, and with raw JDBC; a bare WebSocket client); prints a table of the
 * targets (issue 18) and writes it as JSON to {@code bench/results/}. Then the multi-gateway run ({@link MultiBench})
 * and the two-instance run ({@link ClusterBench}), each with its own table and file.
 * <p>
 * Usage: {@code java -jar target/control-center-bench.jar [--quick] [--single] [--multi] [--cluster] [--out DIR]
 * [--project DIR] [--rate EVENTS_PER_S] [--hold-seconds S]}; {@code scripts/bench.sh} builds and runs it. The runs
 * named, or all three; {@code --rate} without one named runs the single-gateway suite only. Environment {@code BENCH_JAVA_OPTS}: options for Control
 * Center's JVM instead of the README's {@value #DEFAULT_JAVA_OPTIONS} (e.g. to record JFR; empty: the JVM's defaults).
 */
public final class Bench implements Suite {

    /** The JVM options of the README's run command; BENCH_JAVA_OPTS replaces them ("" for the JVM's defaults). */
    static final String DEFAULT_JAVA_OPTIONS = "-Xmx256m";
    /**
     * BENCH_STOP_AFTER=sync|hold|latency: the single-gateway suite stops after the two syncs, the throughput hold or the
     * first latency phase (to profile them); no table, no file.
     */
    static final String STOP_AFTER = System.getenv("BENCH_STOP_AFTER");

    /** SSE dashboards opened at once: each batch has its own time to get its first messages. */
    private static final int OPEN_AT_ONCE = 100;

    /**
     * Sizes and durations of one run. Latency is measured twice for {@code latencyMs}: with {@code latencyClients}
     * dashboards at {@code latencyRate}, then with {@code highLatencyClients} at {@code highLatencyRate}.
     */
    record Options(boolean quick, int agents, int sessions, int sseClients, int latencyClients, double latencyRate,
                   int highLatencyClients, double highLatencyRate, long latencyMs, long rampStepMs, double rampStart,
                   double rampFactor, double rampMax, long holdMs, int rawEvents, int bareFrames, Path project, Path out,
                   double fixedRate) {

        static Options full(Path project, Path out) {
            return new Options(false, 1_000, 50_000, 10, 100, 1_000, 1_000, 5_000, 30_000, 10_000, 4_000, 1.5, 200_000,
                    60_000, 200_000, 1_000_000, project, out, 0);
        }

        static Options quick(Path project, Path out) {
            return new Options(true, 20, 2_000, 3, 10, 500, 30, 1_000, 3_000, 2_000, 1_000, 2, 4_000, 4_000, 10_000,
                    20_000, project, out, 0);
        }

        /** A hold at {@code rate} for {@code seconds} instead of the ramp and its holds (for profiling one change). */
        Options fixed(double rate, long seconds) {
            return new Options(quick, agents, sessions, sseClients, latencyClients, latencyRate, highLatencyClients,
                    highLatencyRate, latencyMs, rampStepMs, rampStart, rampFactor, rampMax,
                    seconds > 0 ? seconds * 1000 : holdMs, rawEvents, bareFrames, project, out, rate);
        }

        Phases.Plan plan() {
            return new Phases.Plan(rampStepMs, rampStart, rampFactor, rampMax, holdMs, fixedRate, quick);
        }
    }

    private final Options o;
    private final Map<String, Object> result = new LinkedHashMap<>();
    private final List<String> javaOptions;

    private Bench(Options o) {
        this.o = o;
        this.javaOptions = javaOptions();
    }

    /** Control Center's JVM options: BENCH_JAVA_OPTS, else the README's. */
    static List<String> javaOptions() {
        String opts = System.getenv().getOrDefault("BENCH_JAVA_OPTS", DEFAULT_JAVA_OPTIONS).trim();
        return opts.isEmpty() ? List.of() : List.of(opts.split("\\s+"));
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean single = false;
        boolean multi = false;
        boolean cluster = false;
        Path project = Path.of("").toAbsolutePath();
        Path out = null;
        double rate = 0;
        long holdSeconds = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--single" -> single = true;
                case "--multi" -> multi = true;
                case "--cluster" -> cluster = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--project" -> project = Path.of(args[++i]).toAbsolutePath();
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--hold-seconds" -> holdSeconds = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: Bench [--quick] [--single] [--multi] [--cluster] [--out DIR] "
                            + "[--project DIR] [--rate EVENTS_PER_S] [--hold-seconds S]");
                    System.exit(2);
                }
            }
        }
        out = out == null ? project.resolve("bench/results") : out;
        boolean fixed = rate > 0 || holdSeconds > 0;
        if (!single && !multi && !cluster) {
            // none named: all of them; --rate profiles the single-gateway hold
            single = true;
            multi = !fixed;
            cluster = !fixed;
        }
        List<Suite> suites = new ArrayList<>();
        if (single) {
            Options options = quick ? Options.quick(project, out) : Options.full(project, out);
            suites.add(new Bench(fixed ? options.fixed(rate, holdSeconds) : options));
        }
        if (multi) {
            MultiBench.Options options = quick ? MultiBench.Options.quick(project, out) : MultiBench.Options.full(project, out);
            suites.add(new MultiBench(fixed ? options.fixed(rate, holdSeconds) : options));
        }
        if (cluster) {
            suites.add(new ClusterBench(quick ? ClusterBench.Options.quick(project, out)
                    : ClusterBench.Options.full(project, out)));
        }
        List<Path> files = new ArrayList<>();
        for (Suite s : suites) {
            Path file = s.run();
            if (file == null) {
                System.exit(0); // BENCH_STOP_AFTER
            }
            files.add(file);
        }
        suites.forEach(s -> System.out.print("\n" + s.table())); // both tables together at the end
        files.forEach(f -> System.out.println("written to " + f));
        System.exit(0);
    }

    /** Runs the suite, prints its table; returns the JSON file written. */
    static Path run(Options o) throws Exception {
        return Suite.runAndPrint(new Bench(o));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Path run() throws Exception {
        Path jar = BundleProcess.jar(o.project);
        Path work = Files.createTempDirectory("cc-bench");
        Path dataDir = work.resolve("postgres");
        Path log = work.resolve("control-center.log");
        result.put("timestamp", Instant.now().toString());
        result.put("mode", (o.quick ? "quick" : "full") + (o.fixedRate > 0 ? " at " + Math.round(o.fixedRate) + " events/s" : ""));
        result.put("machine", Results.machine());
        result.put("parameters", Map.of("agents", o.agents, "sessions", o.sessions, "sseClients", o.sseClients,
                "latencyClients", o.latencyClients, "latencyRate", o.latencyRate, "highLatencyClients",
                o.highLatencyClients, "highLatencyRate", o.highLatencyRate, "holdSeconds", o.holdMs / 1000,
                "javaOptions", javaOptions));
        int maxLabels = o.quick ? 1 << 20 : 1 << 23;
        EventMix mix = new EventMix(o.agents, o.sessions, 42);
        Map<String, Object> start = new LinkedHashMap<>();
        Map<String, Object> sync = new LinkedHashMap<>();
        Map<String, Object> memory = new LinkedHashMap<>();
        Map<String, Object> limits = new LinkedHashMap<>();
        int dbPort = BundleProcess.freePort();
        try (LoadGateway gateway = new LoadGateway(mix, maxLabels, 30_000).start()) {
            LoadGateways gateways = LoadGateways.of(gateway);
            Map<String, String> env = gateways.environment();
            // 5. start to ready: a new installation (initdb), later a restart
            BundleProcess bundle = BundleProcess.start(o.project, jar, dataDir, env, dbPort, javaOptions, log);
            try {
                start.put("firstStartMs", ms(bundle.awaitConnected(120_000) - bundle.startedNanos));
                log("start (new data directory, initdb included): %s ms", start.get("firstStartMs"));
                awaitAgents(bundle, 1);
                try (SseLoad sse = new SseLoad(bundle.httpPort, gateways.names, gateways.sendNanos())) {
                    sse.open(o.sseClients);
                    // 1. the initial sync, then a resync of the same fleet (every reconnect does one)
                    gateway.agentsServed = o.agents;
                    gateway.sessionsServed = o.sessions;
                    sync.put("agents", o.agents);
                    sync.put("sessions", o.sessions);
                    sync.put("firstSyncMs", syncMs(gateway, bundle, sse));
                    sync.putAll(fleetStored(bundle));
                    memory.put("rssAfterSyncMb", bundle.rssKb() / 1024);
                    memory.put("postgresPssAfterSyncMb", bundle.postgresPssKb() / 1024);
                    sync.put("resyncMs", syncMs(gateway, bundle, sse));
                    memory.put("rssAfterResyncMb", bundle.rssKb() / 1024);
                    log("sync of %d agents, %d sessions: first %s ms, again %s ms; RSS %s MB", o.agents, o.sessions,
                            sync.get("firstSyncMs"), sync.get("resyncMs"), memory.get("rssAfterSyncMb"));
                    if ("sync".equals(STOP_AFTER)) {
                        // BENCH_RESYNCS=N: N more resyncs, each printed (how the JVM's warm-up shapes the first ones)
                        int more = Integer.parseInt(System.getenv().getOrDefault("BENCH_RESYNCS", "0"));
                        for (int i = 1; i <= more; i++) {
                            log("resync %d: %s ms", i + 1, syncMs(gateway, bundle, sse));
                        }
                        return null; // BENCH_STOP_AFTER: for profiling, nothing else is run or written
                    }
                    // 2. sustained throughput
                    Phases phases = new Phases(gateways, sse, bundle, o.plan());
                    result.put("throughput", phases.throughput(memory));
                    if ("hold".equals(STOP_AFTER)) {
                        return null;
                    }
                    // 3. latency with more dashboards, 3b. with many more at a higher rate
                    openUpTo(sse, o.latencyClients);
                    result.put("latency", phases.latency(o.latencyRate, o.latencyMs));
                    if ("latency".equals(STOP_AFTER)) {
                        return null;
                    }
                    openUpTo(sse, o.highLatencyClients);
                    result.put("latencyHigh", phases.latency(o.highLatencyRate, o.latencyMs));
                }
                // 6. the limits, on the same machine and database server, Control Center idle: the same rows with
                // COPY (the target's measure) and with batched JDBC statements, checked to leave the same tables
                List<RawJdbc.Row> rows = RawJdbc.rows(o.agents, o.sessions, o.rawEvents);
                RawJdbc.Written raw = RawJdbc.write(bundle.jdbcUrl(), rows);
                limits.put("rawJdbcStoredEventsPerSecond", Math.round(raw.rowsPerSecond()));
                log("raw JDBC: %.0f stored events/s", raw.rowsPerSecond());
                RawJdbc.Written copy = CopyLimit.write(bundle.jdbcUrl(), rows);
                if (!copy.digest().equals(raw.digest())) {
                    throw new IllegalStateException("COPY and raw JDBC left different rows: " + copy.digest() + " vs "
                            + raw.digest());
                }
                limits.put("copyStoredEventsPerSecond", Math.round(copy.rowsPerSecond()));
                log("COPY: %.0f stored events/s", copy.rowsPerSecond());
            } finally {
                bundle.close();
            }
            double bare = bareFramesPerSecond(gateway);
            limits.put("bareWebSocketFramesPerSecond", Math.round(bare));
            log("bare WebSocket client: %.0f frames/s", bare);
            Map<String, Object> tp = (Map<String, Object>) result.get("throughput");
            double storedRate = ((Number) tp.get("heldStoredEventsPerSecond")).doubleValue();
            double eventRate = ((Number) tp.get("heldRate")).doubleValue();
            limits.put("ratioStoredToCopy", round2(storedRate / Math.max(1, (Long) limits.get("copyStoredEventsPerSecond"))));
            limits.put("ratioStoredToRawJdbc", round2(storedRate / Math.max(1, (Long) limits.get("rawJdbcStoredEventsPerSecond"))));
            limits.put("ratioEventsToBareWebSocket", round2(eventRate / Math.max(1, bare)));
            // 5. again: a restart on the data directory of this run
            BundleProcess again = BundleProcess.start(o.project, jar, dataDir, env, dbPort, javaOptions, log);
            try {
                start.put("restartMs", ms(again.awaitConnected(120_000) - again.startedNanos));
                log("restart (existing data directory): %s ms", start.get("restartMs"));
            } finally {
                again.close();
            }
        }
        result.put("start", start);
        result.put("sync", sync);
        result.put("memory", memory);
        result.put("limits", limits);
        ((Map<String, Object>) result.get("machine")).put("loadAverageAfter", loadAverage());
        result.put("targets", BenchReport.targets(o, result));
        deleteTree(work);
        return Results.write(result, o.out, "bench" + (o.quick ? "-quick" : ""));
    }

    // ------------------------------------------------------------------------------------------------ phases

    /** Opens dashboards up to {@code n} in all, {@link #OPEN_AT_ONCE} at a time. */
    private static void openUpTo(SseLoad sse, int n) throws Exception {
        while (sse.clients.size() < n) {
            sse.open(Math.min(OPEN_AT_ONCE, n - sse.clients.size()));
        }
    }

    private static void awaitAgents(BundleProcess bundle, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            String agents = bundle.get("/api/agents");
            if (agents.startsWith("[") && agents.split("\"id\"").length - 1 >= n) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the first sync did not store " + n + " agents");
    }

    /** Reconnects Control Center (POST /api/gateway/reconnect); hello-ok to the sync's fleet.update at every client. */
    private static long syncMs(LoadGateway gateway, BundleProcess bundle, SseLoad sse) throws Exception {
        Map<SseLoad.Client, Long> before = new HashMap<>();
        sse.clients.forEach(c -> before.put(c, c.tracks[0].fleetUpdatesFromSync));
        long asked = System.nanoTime();
        bundle.post("/api/gateway/reconnect");
        long deadline = System.currentTimeMillis() + 600_000;
        while (sse.clients.stream().anyMatch(c -> c.tracks[0].fleetUpdatesFromSync <= before.get(c))) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("no fleet.update after the sync within 10 minutes");
            }
            Thread.sleep(2);
        }
        long hello = gateway.helloSentNanos.get();
        if (hello < asked) {
            throw new IllegalStateException("fleet.update without a new hello-ok");
        }
        long first = sse.clients.stream().mapToLong(c -> c.tracks[0].lastFleetUpdateNanos).min().orElseThrow();
        return ms(first - hello);
    }

    private static Map<String, Object> fleetStored(BundleProcess bundle) throws Exception {
        try (Connection c = DriverManager.getConnection(bundle.jdbcUrl())) {
            return Map.of("agentsStored", count(c, "SELECT count(*) FROM agents WHERE NOT gone"),
                    "sessionsStored", count(c, "SELECT count(*) FROM sessions WHERE NOT gone"));
        }
    }

    /** Starts {@link BareClient} as its own JVM against the load gateway's /bare socket. */
    private double bareFramesPerSecond(LoadGateway gateway) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), BareClient.class.getName(), gateway.url(),
                String.valueOf(o.bareFrames));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String last = "";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) {
                last = line;
            }
        } finally {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
        }
        if (!last.startsWith("frames=")) {
            throw new IllegalStateException("bare client failed: " + last);
        }
        long nanos = Long.parseLong(last.substring(last.indexOf("nanos=") + 6));
        return o.bareFrames * 1e9 / nanos;
    }

    @Override
    public String table() {
        return BenchReport.table(result);
    }
}
