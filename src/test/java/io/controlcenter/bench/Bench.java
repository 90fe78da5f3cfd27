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
import static io.controlcenter.bench.Results.line;
import static io.controlcenter.bench.Results.loadAverage;
import static io.controlcenter.bench.Results.log;
import static io.controlcenter.bench.Results.ms;
import static io.controlcenter.bench.Results.num;
import static io.controlcenter.bench.Results.round2;
import static io.controlcenter.bench.Results.target;
import static io.controlcenter.bench.Results.targetsTable;

/**
 * The benchmark suite (BENCHMARKS.md): Control Center as users run it ({@code java -jar target/control-center.jar},
 * embedded PostgreSQL) against the {@link LoadGateway} in this process, watched by {@link SseLoad} dashboards.
 * Measures start to ready, the initial sync, sustained throughput, latency, memory and the limits (raw JDBC, bare
 * WebSocket client); prints a table and writes it as JSON to {@code bench/results/}. Then the multi-gateway run
 * ({@link MultiBench}) and the two-instance run ({@link ClusterBench}), each with its own table and file.
 * <p>
 * Usage: {@code java -jar target/control-center-bench.jar [--quick] [--single] [--multi] [--cluster] [--out DIR]
 * [--project DIR] [--rate EVENTS_PER_S] [--hold-seconds S]}; {@code scripts/bench.sh} builds and runs it. The runs
 * named, or all three; {@code --rate} without one named runs the single-gateway suite only. Environment {@code BENCH_JAVA_OPTS}: options for Control
 * Center's JVM instead of the README's {@value #DEFAULT_JAVA_OPTIONS} (e.g. to record JFR; empty: the JVM's defaults).
 */
public final class Bench implements Suite {

    /** The JVM options of the README's run command; BENCH_JAVA_OPTS replaces them ("" for the JVM's defaults). */
    static final String DEFAULT_JAVA_OPTIONS = "-Xmx256m";

    /** Sizes and durations of one run. */
    record Options(boolean quick, int agents, int sessions, int sseClients, int latencyClients, double latencyRate,
                   long latencyMs, long rampStepMs, double rampStart, double rampFactor, double rampMax, long holdMs,
                   int rawEvents, int bareFrames, Path project, Path out, double fixedRate) {

        static Options full(Path project, Path out) {
            return new Options(false, 1_000, 50_000, 10, 100, 1_000, 30_000, 10_000, 4_000, 1.5, 200_000, 60_000,
                    200_000, 1_000_000, project, out, 0);
        }

        static Options quick(Path project, Path out) {
            return new Options(true, 20, 2_000, 3, 10, 500, 3_000, 2_000, 1_000, 2, 4_000, 4_000, 10_000, 20_000,
                    project, out, 0);
        }

        /** A hold at {@code rate} for {@code seconds} instead of the ramp and its holds (for profiling one change). */
        Options fixed(double rate, long seconds) {
            return new Options(quick, agents, sessions, sseClients, latencyClients, latencyRate, latencyMs, rampStepMs,
                    rampStart, rampFactor, rampMax, seconds > 0 ? seconds * 1000 : holdMs, rawEvents, bareFrames, project,
                    out, rate);
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
            files.add(s.run());
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
                "latencyClients", o.latencyClients, "latencyRate", o.latencyRate, "holdSeconds", o.holdMs / 1000,
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
                    // 2. sustained throughput
                    Phases phases = new Phases(gateways, sse, bundle, o.plan());
                    result.put("throughput", phases.throughput(memory));
                    // 3. latency with more dashboards
                    sse.open(o.latencyClients - sse.clients.size());
                    result.put("latency", phases.latency(o.latencyRate, o.latencyMs));
                }
                // 6. the limits, on the same machine and database server, Control Center idle
                double raw = RawJdbc.rowsPerSecond(bundle.jdbcUrl(), o.agents, o.sessions, o.rawEvents);
                limits.put("rawJdbcStoredEventsPerSecond", Math.round(raw));
                log("raw JDBC: %.0f stored events/s", raw);
            } finally {
                bundle.close();
            }
            double bare = bareFramesPerSecond(gateway);
            limits.put("bareWebSocketFramesPerSecond", Math.round(bare));
            log("bare WebSocket client: %.0f frames/s", bare);
            Map<String, Object> tp = (Map<String, Object>) result.get("throughput");
            double storedRate = ((Number) tp.get("heldStoredEventsPerSecond")).doubleValue();
            double eventRate = ((Number) tp.get("heldRate")).doubleValue();
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
        result.put("targets", targets());
        deleteTree(work);
        return Results.write(result, o.out, "bench" + (o.quick ? "-quick" : ""));
    }

    // ------------------------------------------------------------------------------------------------ phases

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

    // ------------------------------------------------------------------------------------------------ report

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> targets() {
        Figures f = figures();
        Map<String, Object> tp = f.throughput();
        Map<String, Object> lat = f.latency();
        Map<String, Object> mem = f.memory();
        List<Map<String, Object>> t = new ArrayList<>();
        long syncMs = Math.max(num(f.sync(), "firstSyncMs"), num(f.sync(), "resyncMs"));
        t.add(target("1 initial sync (" + o.agents + " agents, " + o.sessions + " sessions)", "<= 5000 ms",
                syncMs + " ms", syncMs <= 5_000 && num(f.sync(), "sessionsStored") == o.sessions));
        boolean held = Boolean.TRUE.equals(tp.get("held"));
        t.add(target("2 sustained throughput, " + num(tp, "seconds") + " s, " + num(tp, "sseClients") + " SSE clients",
                ">= 20000 events/s", num(tp, "heldRate") + " events/s" + (held ? "" : " (not held)"),
                held && num(tp, "heldRate") >= 20_000));
        Number p99 = (Number) lat.get("p99Ms");
        t.add(target("3 latency p99 at " + num(lat, "rate") + " events/s, " + num(lat, "sseClients") + " clients",
                "<= 50 ms", p99 + " ms", p99 != null && p99.doubleValue() <= 50 && num(lat, "lostAtClients") == 0));
        long rss = Math.max(Math.max(num(mem, "rssAfterSyncMb"), num(mem, "rssAfterResyncMb")),
                num(mem, "rssUnderLoadMaxMb"));
        t.add(target("4 memory (RSS of Control Center's JVM)", "<= 512 MB", rss + " MB", rss <= 512));
        long startMs = Math.max(num(f.start(), "firstStartMs"), num(f.start(), "restartMs"));
        t.add(target("5 start to ready (java -jar to connected)", "<= 5000 ms", startMs + " ms", startMs <= 5_000));
        double ratio = ((Number) f.limits().get("ratioStoredToRawJdbc")).doubleValue();
        t.add(target("6 stored events/s vs raw JDBC", ">= 0.5", String.valueOf(ratio), ratio >= 0.5));
        return t;
    }

    /** The result's sections. */
    private record Figures(Map<String, Object> start, Map<String, Object> sync, Map<String, Object> throughput,
                           Map<String, Object> latency, Map<String, Object> memory, Map<String, Object> limits) {
    }

    @SuppressWarnings("unchecked")
    private Figures figures() {
        return new Figures((Map<String, Object>) result.get("start"), (Map<String, Object>) result.get("sync"),
                (Map<String, Object>) result.get("throughput"), (Map<String, Object>) result.get("latency"),
                (Map<String, Object>) result.get("memory"), (Map<String, Object>) result.get("limits"));
    }

    @Override
    public String table() {
        StringBuilder sb = new StringBuilder(targetsTable("Control Center benchmark", result));
        Figures f = figures();
        sb.append(line("start: first (initdb) %s ms, restart %s ms", f.start(), "firstStartMs", "restartMs"));
        sb.append(line("sync: first %s ms, again %s ms; stored %s agents, %s sessions", f.sync(), "firstSyncMs",
                "resyncMs", "agentsStored", "sessionsStored"));
        sb.append(Results.throughputLine(f.throughput()));
        sb.append(line("latency: p50 %s ms, p99 %s ms, max %s ms (%s samples, %s clients, lost %s)", f.latency(),
                "p50Ms", "p99Ms", "maxMs", "samples", "sseClients", "lostAtClients"));
        sb.append(Results.memoryLine(f.memory()));
        sb.append(line("limits: raw JDBC %s stored events/s (ratio %s); bare WebSocket client %s frames/s (ratio %s)",
                f.limits(), "rawJdbcStoredEventsPerSecond", "ratioStoredToRawJdbc", "bareWebSocketFramesPerSecond",
                "ratioEventsToBareWebSocket"));
        return sb.toString();
    }
}
