package io.controlcenter.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The benchmark suite (BENCHMARKS.md): Control Center as users run it ({@code java -jar target/control-center.jar},
 * embedded PostgreSQL) against the {@link LoadGateway} in this process, watched by {@link SseLoad} dashboards.
 * Measures start to ready, the initial sync, sustained throughput, latency, memory and the limits (raw JDBC, bare
 * WebSocket client); prints a table and writes it as JSON to {@code bench/results/}.
 * <p>
 * Usage: {@code java -jar target/control-center-bench.jar [--quick] [--out DIR] [--project DIR]}; {@code scripts/bench.sh}
 * builds and runs it. Environment {@code BENCH_JAVA_OPTS}: options for Control Center's JVM instead of the README's
 * {@value #DEFAULT_JAVA_OPTIONS} (e.g. to record JFR; empty: the JVM's defaults).
 */
public final class Bench {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
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
    }

    private final Options o;
    private final Map<String, Object> result = new LinkedHashMap<>();
    private final List<String> javaOptions;

    private Bench(Options o) {
        this.o = o;
        String opts = System.getenv().getOrDefault("BENCH_JAVA_OPTS", DEFAULT_JAVA_OPTIONS).trim();
        this.javaOptions = opts.isEmpty() ? List.of() : List.of(opts.split("\\s+"));
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path project = Path.of("").toAbsolutePath();
        Path out = null;
        double rate = 0;
        long holdSeconds = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--project" -> project = Path.of(args[++i]).toAbsolutePath();
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--hold-seconds" -> holdSeconds = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: Bench [--quick] [--out DIR] [--project DIR] [--rate EVENTS_PER_S] [--hold-seconds S]");
                    System.exit(2);
                }
            }
        }
        out = out == null ? project.resolve("bench/results") : out;
        Options options = quick ? Options.quick(project, out) : Options.full(project, out);
        Path file = run(rate > 0 || holdSeconds > 0 ? options.fixed(rate, holdSeconds) : options);
        System.out.println("\nwritten to " + file);
        System.exit(0);
    }

    /** Runs the suite; returns the JSON file written. */
    static Path run(Options o) throws Exception {
        return new Bench(o).run();
    }

    @SuppressWarnings("unchecked")
    private Path run() throws Exception {
        Path jar = o.project.resolve("target/control-center.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: mvn -B package -DskipTests");
        }
        Path work = Files.createTempDirectory("cc-bench");
        Path dataDir = work.resolve("postgres");
        Path log = work.resolve("control-center.log");
        result.put("timestamp", Instant.now().toString());
        result.put("mode", (o.quick ? "quick" : "full") + (o.fixedRate > 0 ? " at " + Math.round(o.fixedRate) + " events/s" : ""));
        result.put("machine", machine());
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
            // 5. start to ready: a new installation (initdb), later a restart
            BundleProcess bundle = BundleProcess.start(o.project, jar, dataDir, gateway.url(), gateway.token, dbPort,
                    javaOptions, log);
            try {
                start.put("firstStartMs", ms(bundle.awaitConnected(120_000) - bundle.startedNanos));
                log("start (new data directory, initdb included): %s ms", start.get("firstStartMs"));
                awaitAgents(bundle, 1);
                try (SseLoad sse = new SseLoad(bundle.httpPort, gateway.sendNanos)) {
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
                    Map<String, Object> throughput = throughput(gateway, bundle, sse, memory);
                    result.put("throughput", throughput);
                    // 3. latency with more dashboards
                    sse.open(o.latencyClients - sse.clients.size());
                    result.put("latency", latency(gateway, sse));
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
            BundleProcess again = BundleProcess.start(o.project, jar, dataDir, gateway.url(), gateway.token, dbPort,
                    javaOptions, log);
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
        Files.createDirectories(o.out);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path file = o.out.resolve("bench-" + (o.quick ? "quick-" : "") + stamp + ".json");
        JSON.writeValue(file.toFile(), result);
        System.out.println();
        System.out.print(table());
        return file;
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
        sse.clients.forEach(c -> before.put(c, c.fleetUpdatesFromSync));
        long asked = System.nanoTime();
        bundle.post("/api/gateway/reconnect");
        long deadline = System.currentTimeMillis() + 600_000;
        while (sse.clients.stream().anyMatch(c -> c.fleetUpdatesFromSync <= before.get(c))) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("no fleet.update after the sync within 10 minutes");
            }
            Thread.sleep(2);
        }
        long hello = gateway.helloSentNanos.get();
        if (hello < asked) {
            throw new IllegalStateException("fleet.update without a new hello-ok");
        }
        long first = sse.clients.stream().mapToLong(c -> c.lastFleetUpdateNanos).min().orElseThrow();
        return ms(first - hello);
    }

    private static Map<String, Object> fleetStored(BundleProcess bundle) throws Exception {
        try (Connection c = DriverManager.getConnection(bundle.jdbcUrl())) {
            return Map.of("agentsStored", count(c, "SELECT count(*) FROM agents WHERE NOT gone"),
                    "sessionsStored", count(c, "SELECT count(*) FROM sessions WHERE NOT gone"));
        }
    }

    private Map<String, Object> throughput(LoadGateway gateway, BundleProcess bundle, SseLoad sse,
                                           Map<String, Object> memory) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> ramp = new ArrayList<>();
        double best = o.fixedRate;
        double failed = 0;
        for (double rate = o.rampStart; o.fixedRate == 0 && rate <= o.rampMax; rate *= o.rampFactor) {
            Map<String, Object> step = step(gateway, sse, rate, o.rampStepMs);
            ramp.add(step);
            if (!(Boolean) step.get("keptUp")) {
                failed = rate;
                break;
            }
            best = rate;
        }
        if (failed > 0 && best > 0 && !o.quick) {
            double mid = Math.round((best + failed) / 2 / 100) * 100.0;
            Map<String, Object> step = step(gateway, sse, mid, o.rampStepMs);
            ramp.add(step);
            if ((Boolean) step.get("keptUp")) {
                best = mid;
            }
        }
        out.put("ramp", ramp);
        double rate = best > 0 ? best : o.rampStart / 2;
        Map<String, Object> hold = hold(gateway, bundle, sse, rate, memory);
        List<Map<String, Object>> failedHolds = new ArrayList<>();
        // a 10 s step can pass on buffers alone: step down by 20 % until 60 s hold (at most three more tries)
        for (int i = 0; i < 3 && !(Boolean) hold.get("held") && !o.quick && o.fixedRate == 0; i++) {
            failedHolds.add(hold);
            rate = Math.round(rate * 0.8 / 100) * 100.0;
            hold = hold(gateway, bundle, sse, rate, memory);
        }
        out.put("failedHolds", failedHolds);
        out.putAll(hold);
        return out;
    }

    /** One ramp step: kept up when the gateway could send on schedule and every client had every event within 1 s. */
    private static Map<String, Object> step(LoadGateway gateway, SseLoad sse, double rate, long ms) throws Exception {
        sse.reset(gateway.nextLabel(), false);
        LoadGateway.Phase p = gateway.run(rate, ms).get(ms * 4, TimeUnit.MILLISECONDS);
        long end = System.nanoTime();
        boolean delivered = sse.awaitLabels(p.endLabel, 1_000);
        boolean onSchedule = p.achievedRate() >= rate * 0.97;
        if (!delivered) {
            sse.awaitLabels(p.endLabel, 300_000); // drain before what comes next
        }
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("rate", Math.round(rate));
        step.put("achieved", Math.round(p.achievedRate()));
        step.put("drainMs", ms(System.nanoTime() - end));
        step.put("keptUp", delivered && onSchedule);
        log("ramp %6.0f events/s: sent %6.0f/s, %s", rate, p.achievedRate(),
                delivered && onSchedule ? "kept up" : "fell behind (drained in " + step.get("drainMs") + " ms)");
        return step;
    }

    private Map<String, Object> hold(LoadGateway gateway, BundleProcess bundle, SseLoad sse, double rate,
                                     Map<String, Object> memory) throws Exception {
        sse.reset(gateway.nextLabel(), false);
        AtomicLong maxRss = new AtomicLong();
        AtomicLong maxPg = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxRss.accumulateAndGet(bundle.rssKb(), Math::max);
                maxPg.accumulateAndGet(bundle.postgresPssKb(), Math::max);
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        LoadGateway.Phase p = gateway.run(rate, o.holdMs).get(o.holdMs * 4, TimeUnit.MILLISECONDS);
        long end = System.nanoTime();
        boolean delivered = sse.awaitLabels(p.endLabel, 5_000);
        long drainMs = ms(System.nanoTime() - end);
        if (!delivered) {
            sse.awaitLabels(p.endLabel, 300_000);
        }
        sampler.interrupt();
        sampler.join();
        memory.put("rssUnderLoadMaxMb", Math.max(maxRss.get() / 1024, ((Number) memory.getOrDefault("rssUnderLoadMaxMb", 0L)).longValue()));
        memory.put("postgresPssUnderLoadMaxMb", maxPg.get() / 1024);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("heldRate", Math.round(rate));
        out.put("seconds", o.holdMs / 1000);
        out.put("achievedRate", Math.round(p.achievedRate()));
        out.put("eventsSent", p.sent);
        Map<String, Long> sent = new LinkedHashMap<>();
        p.sentByKind.forEach((k, v) -> sent.put(k.name().toLowerCase().replace('_', '.'), v));
        out.put("sentByEvent", sent);
        out.put("heldStoredEventsPerSecond", Math.round(p.stored() * 1e9 / Math.max(1, p.endNanos - p.startNanos)));
        out.put("sseClients", sse.clients.size());
        out.put("sessionUpdatesPerClient", p.labels());
        long lost = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        for (SseLoad.Client c : sse.clients) {
            lost += c.missing(p.endLabel);
            duplicates += c.duplicates;
            outOfOrder += c.outOfOrder;
        }
        out.put("lostAtClients", lost);
        out.put("duplicatesAtClients", duplicates);
        out.put("outOfOrderAtClients", outOfOrder);
        out.put("deliveredWithinMs", delivered ? drainMs : -1);
        Map<String, Long> stored = storedBySeq(bundle, p);
        out.put("storedByEvent", stored);
        boolean dbOk = sent.entrySet().stream().filter(e -> !"agent".equals(e.getKey()) && !"tick".equals(e.getKey()))
                .allMatch(e -> e.getValue().equals(stored.getOrDefault(e.getKey(), 0L)));
        out.put("storedMatchesSent", dbOk);
        boolean held = p.achievedRate() >= rate * 0.99 && delivered && lost == 0 && duplicates == 0 && outOfOrder == 0 && dbOk;
        out.put("held", held);
        log("hold %.0f events/s for %d s: sent %.0f/s (%.0f stored/s), lost %d, duplicates %d, stored=sent %s -> %s",
                rate, o.holdMs / 1000, p.achievedRate(), ((Number) out.get("heldStoredEventsPerSecond")).doubleValue(),
                lost, duplicates, dbOk, held ? "HELD" : "NOT HELD");
        return out;
    }

    /** Event-log rows of the phase's seq range by event name, once the last of them is stored (up to 30 s). */
    private static Map<String, Long> storedBySeq(BundleProcess bundle, LoadGateway.Phase p) throws Exception {
        long expected = p.stored();
        Map<String, Long> out = new LinkedHashMap<>();
        long deadline = System.currentTimeMillis() + 30_000;
        try (Connection c = DriverManager.getConnection(bundle.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("SELECT event, count(*) FROM event_log WHERE seq BETWEEN ? AND ?"
                     + " AND received_at > now() - interval '1 hour' GROUP BY event ORDER BY event")) {
            do {
                out.clear();
                ps.setLong(1, p.firstSeq);
                ps.setLong(2, p.lastSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
                if (out.values().stream().mapToLong(Long::longValue).sum() >= expected) {
                    break;
                }
                Thread.sleep(100);
            } while (System.currentTimeMillis() < deadline);
        }
        return out;
    }

    private Map<String, Object> latency(LoadGateway gateway, SseLoad sse) throws Exception {
        gateway.run(o.latencyRate, Math.min(3_000, o.latencyMs)).get(); // warm-up of the new clients
        sse.awaitLabels(gateway.nextLabel(), 30_000);
        sse.reset(gateway.nextLabel(), true);
        LoadGateway.Phase p = gateway.run(o.latencyRate, o.latencyMs).get(o.latencyMs * 4, TimeUnit.MILLISECONDS);
        boolean delivered = sse.awaitLabels(p.endLabel, 10_000);
        long[] l = sse.latencies();
        long lost = sse.clients.stream().mapToLong(c -> c.missing(p.endLabel)).sum();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rate", Math.round(o.latencyRate));
        out.put("achievedRate", Math.round(p.achievedRate()));
        out.put("seconds", o.latencyMs / 1000);
        out.put("sseClients", sse.clients.size());
        out.put("samples", l.length);
        out.put("p50Ms", l.length == 0 ? null : round2(l[(int) (l.length * 0.50)] / 1e6));
        out.put("p99Ms", l.length == 0 ? null : round2(l[Math.min(l.length - 1, (int) (l.length * 0.99))] / 1e6));
        out.put("maxMs", l.length == 0 ? null : round2(l[l.length - 1] / 1e6));
        out.put("lostAtClients", lost);
        out.put("allDelivered", delivered);
        log("latency at %.0f events/s, %d clients: p50 %s ms, p99 %s ms, max %s ms (%d samples)", o.latencyRate,
                sse.clients.size(), out.get("p50Ms"), out.get("p99Ms"), out.get("maxMs"), l.length);
        return out;
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

    private Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        m.put("memoryMb", os.getTotalMemorySize() / (1024 * 1024));
        m.put("cpu", cpuModel());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("loadAverageBefore", loadAverage());
        return m;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

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

    private static Map<String, Object> target(String name, String target, String value, boolean met) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("target", target);
        m.put("value", value);
        m.put("met", met);
        return m;
    }

    @SuppressWarnings("unchecked")
    private String table() {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> m = (Map<String, Object>) result.get("machine");
        sb.append(line("Control Center benchmark (" + result.get("mode") + ") - %s cores, %s MB, %s; load %s -> %s", m,
                "cores", "memoryMb", "jvm", "loadAverageBefore", "loadAverageAfter"));
        sb.append(String.format("%-62s %-20s %-12s %s%n", "figure", "value", "target", "met"));
        for (Map<String, Object> t : (List<Map<String, Object>>) result.get("targets")) {
            sb.append(String.format("%-62s %-20s %-12s %s%n", t.get("name"), t.get("value"), t.get("target"),
                    Boolean.TRUE.equals(t.get("met")) ? "yes" : "NO"));
        }
        Figures f = figures();
        sb.append(line("start: first (initdb) %s ms, restart %s ms", f.start(), "firstStartMs", "restartMs"));
        sb.append(line("sync: first %s ms, again %s ms; stored %s agents, %s sessions", f.sync(), "firstSyncMs",
                "resyncMs", "agentsStored", "sessionsStored"));
        sb.append(line("throughput: %s events/s (%s stored/s) for %s s to %s clients; sent %s; lost %s, duplicates %s, "
                        + "out of order %s; stored = sent: %s", f.throughput(), "heldRate", "heldStoredEventsPerSecond",
                "seconds", "sseClients", "sentByEvent", "lostAtClients", "duplicatesAtClients", "outOfOrderAtClients",
                "storedMatchesSent"));
        sb.append(line("latency: p50 %s ms, p99 %s ms, max %s ms (%s samples, %s clients, lost %s)", f.latency(),
                "p50Ms", "p99Ms", "maxMs", "samples", "sseClients", "lostAtClients"));
        sb.append(line("memory: RSS after sync %s MB, after resync %s MB, under load max %s MB; PostgreSQL PSS after sync "
                        + "%s MB, under load %s MB", f.memory(), "rssAfterSyncMb", "rssAfterResyncMb", "rssUnderLoadMaxMb",
                "postgresPssAfterSyncMb", "postgresPssUnderLoadMaxMb"));
        sb.append(line("limits: raw JDBC %s stored events/s (ratio %s); bare WebSocket client %s frames/s (ratio %s)",
                f.limits(), "rawJdbcStoredEventsPerSecond", "ratioStoredToRawJdbc", "bareWebSocketFramesPerSecond",
                "ratioEventsToBareWebSocket"));
        return sb.toString();
    }

    /** One line of the table: {@code format}'s %s filled with the section's values of {@code keys}. */
    private static String line(String format, Map<String, Object> section, String... keys) {
        Object[] values = new Object[keys.length];
        for (int i = 0; i < keys.length; i++) {
            values[i] = section.get(keys[i]);
        }
        return String.format(format + "%n", values);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static long count(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long num(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a temp dir left behind
        }
    }
}
