package io.controlcenter.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Control Center as users run it: {@code java -jar target/control-center.jar} from the project folder (its routes/
 * and application.properties), embedded PostgreSQL in a data directory of the benchmark's own, on ports chosen free.
 */
final class BundleProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static int starts;
    /** Stopped by a shutdown hook when the benchmark is interrupted. */
    private static final Set<BundleProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(BundleProcess::close), "bench-cleanup"));
    }

    final int httpPort;
    final int dbPort;
    final Path log;
    private final Process process;
    private final Path dataDir;
    final long startedNanos;

    private BundleProcess(Process process, Path dataDir, long startedNanos, int httpPort, int dbPort, Path log) {
        this.process = process;
        this.dataDir = dataDir;
        this.startedNanos = startedNanos;
        this.httpPort = httpPort;
        this.dbPort = dbPort;
        this.log = log;
    }

    /** The project's target/control-center.jar, which must have been built. */
    static Path jar(Path project) {
        Path jar = project.resolve("target/control-center.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: mvn -B package -DskipTests");
        }
        return jar;
    }

    /**
     * Starts the jar with the gateways' environment ({@link LoadGateways#environment}); {@code javaOptions} (e.g. from
     * BENCH_JAVA_OPTS, for profiling) go before {@code -jar}.
     */
    static BundleProcess start(Path project, Path jar, Path dataDir, Map<String, String> gateways, int dbPort,
                               List<String> javaOptions, Path log) throws IOException {
        return start(project, jar, dataDir, gateways, dbPort, javaOptions, log, Map.of());
    }

    /**
     * As above, with {@code overrides} of the environment set last: e.g. DB_URL of a database several instances share
     * ({@link ClusterBench}; {@code dbPort} is then that server's, for {@link #jdbcUrl}).
     */
    static BundleProcess start(Path project, Path jar, Path dataDir, Map<String, String> gateways, int dbPort,
                               List<String> javaOptions, Path log, Map<String, String> overrides) throws IOException {
        int httpPort = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        int n = ++starts;
        javaOptions.forEach(opt -> cmd.add(opt.replace("{n}", String.valueOf(n)))); // e.g. a JFR file per start
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("CC_PORT", String.valueOf(httpPort));
        pb.environment().remove("CC_GATEWAYS");
        pb.environment().putAll(gateways);
        pb.environment().put("DB_DATA_DIR", dataDir.toString());
        pb.environment().put("DB_EMBEDDED_PORT", String.valueOf(dbPort));
        pb.environment().remove("DB_URL");
        pb.environment().putAll(overrides);
        long started = System.nanoTime();
        BundleProcess bundle = new BundleProcess(pb.start(), dataDir, started, httpPort, dbPort, log);
        RUNNING.add(bundle);
        return bundle;
    }

    /** Waits until GET /api/gateway says connected; returns the nanoTime it did. */
    long awaitConnected(long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/gateway"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Control Center exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"state\":\"connected\"")) {
                    return System.nanoTime();
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("Control Center not connected within " + timeoutMs + " ms; see " + log);
    }

    String get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    void post(String path) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + dbPort + "/postgres?user=postgres";
    }

    /** Resident set of the Control Center JVM (kB). */
    long rssKb() {
        return statusKb(process.pid(), "VmRSS:");
    }

    /** Proportional set size of the embedded PostgreSQL processes together (kB; shared memory counted once). */
    long postgresPssKb() {
        return postgres().mapToLong(p -> rollupKb(p.pid(), "Pss:")).sum();
    }

    /** The embedded server (started detached by pg_ctl, so not a child of the JVM) and its backends. */
    private Stream<ProcessHandle> postgres() {
        String dir = dataDir.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(cmd -> cmd.contains("postgres") && cmd.contains(dir)).orElse(false))
                .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()));
    }

    private static long statusKb(long pid, String key) {
        return fieldKb(Path.of("/proc", String.valueOf(pid), "status"), key);
    }

    private static long rollupKb(long pid, String key) {
        return fieldKb(Path.of("/proc", String.valueOf(pid), "smaps_rollup"), key);
    }

    private static long fieldKb(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not readable
        }
        return 0;
    }

    /** kill -9 of the Control Center JVM (not of the database); returns once it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Stops it as a user does (SIGTERM), then forcibly, with every process it started. */
    @Override
    public void close() {
        RUNNING.remove(this);
        List<ProcessHandle> children = Stream.concat(process.descendants(), postgres()).toList();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** A free port on localhost, never the real gateway's 18789. */
    static int freePort() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (s.getLocalPort() != 18789) {
                    return s.getLocalPort();
                }
            }
        }
    }
}
