package io.controlcenter.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.controlcenter.gateway.Json;

/**
 * Several Control Centers as operators run them ({@code java -Xmx256m -jar target/control-center.jar}, settings from
 * the environment) on one PostgreSQL database (a fresh one on the test JVM's server, {@link TestDatabase}) with the file
 * cluster service on a directory of the test's: each instance its own working directory, port and instance id
 * ({@code cc-1}, {@code cc-2}, ...). The lock interval is short (500 ms, stale after 2), so a failover takes seconds.
 */
public final class ClusterInstances implements AutoCloseable {

    /** What the instances are started with besides the defaults below: lock interval and multiplier for the tests. */
    public static final long LOCK_INTERVAL_MS = 500;
    public static final int STALE_AFTER_INTERVALS = 2;

    private final Path dir;
    private final Map<String, String> env;
    private final List<String> jvm;
    private final String database = TestDatabase.create();
    public final List<Instance> instances = new CopyOnWriteArrayList<>();

    /** {@code env}: the gateways' settings (CC_GATEWAYS, GATEWAY_WS_URL, ...); {@code properties}: key=value overrides. */
    public ClusterInstances(Path dir, Map<String, String> env, String... properties) {
        this.dir = dir;
        this.env = new HashMap<>(env);
        this.env.put("DB_URL", TestDatabase.url(database));
        this.env.put("DB_USER", TestDatabase.USER);
        this.env.put("DB_PASSWORD", TestDatabase.PASSWORD);
        this.env.put("CC_CLUSTER_SERVICE", "file");
        this.env.put("CC_CLUSTER_FILE_ROOT", dir.resolve("cluster").toString());
        this.jvm = new ArrayList<>(List.of("-Xmx256m", "-Dcluster.file.acquire-lock-interval=" + LOCK_INTERVAL_MS,
                "-Dcluster.file.heartbeat-timeout-multiplier=" + STALE_AFTER_INTERVALS,
                "-Dcluster.file.acquire-lock-delay=" + LOCK_INTERVAL_MS, "-Dgateway.reconnect.initial-delay=100",
                "-Dgateway.reconnect.max-delay=1600"));
        for (String p : properties) {
            jvm.add("-D" + p);
        }
    }

    /** The longest a killed leader keeps its gateways: the heartbeat going stale, and one more attempt. */
    public static long leaseMs() {
        return LOCK_INTERVAL_MS * (STALE_AFTER_INTERVALS + 1);
    }

    public String database() {
        return database;
    }

    /**
     * Holds the lock of {@code gateway}'s leadership in the cluster directory, as a leader would, until closed: no
     * instance can lead the gateway meanwhile (to choose which instance will, by who can try when it is released).
     */
    public AutoCloseable holdLock(String gateway) throws IOException {
        Path root = Files.createDirectories(dir.resolve("cluster"));
        FileChannel channel = FileChannel.open(root.resolve("cc-gateway-" + gateway), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock(0, 1, false);
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("the lock of " + gateway + " is held already");
        }
        return channel::close;
    }

    /** Starts one more instance (not waiting for it). */
    public Instance start() throws IOException {
        int n = instances.size() + 1;
        String id = "cc-" + n;
        int port = ControlCenterApp.freePort();
        Map<String, String> all = new HashMap<>(env);
        all.put("CC_PORT", String.valueOf(port));
        all.put("CC_INSTANCE_ID", id);
        Path jar = Path.of("target/control-center.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("run `mvn package` first: " + jar);
        }
        AppProcess app = AppProcess.start(AppProcess.workDir(dir.resolve(id)), all, jvm, "-jar", jar.toString());
        Instance instance = new Instance(id, port, app);
        instances.add(instance);
        return instance;
    }

    /** Starts {@code n} instances at once and waits until every one is ready. */
    public List<Instance> startReady(int n) throws IOException {
        List<Instance> started = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            started.add(start());
        }
        for (Instance i : started) {
            i.awaitReady(Duration.ofSeconds(90));
        }
        return started;
    }

    /** The instance that leads {@code gateway}, as every live instance's GET /api/gateways says (they must agree). */
    public Instance leaderOf(String gateway) {
        String leader = null;
        for (Instance i : live()) {
            String seen = i.leaderOf(gateway);
            if (leader != null && !leader.equals(seen)) {
                throw new AssertionError("instances disagree on the leader of " + gateway + ": " + leader + " / " + seen);
            }
            leader = seen;
        }
        String id = leader;
        return instances.stream().filter(i -> i.id.equals(id)).findFirst().orElse(null);
    }

    public List<Instance> live() {
        return instances.stream().filter(i -> i.app.process.isAlive()).toList();
    }

    @Override
    public void close() throws InterruptedException {
        for (Instance i : instances) {
            i.resume();
            i.app.close();
        }
        TestDatabase.drop(database);
    }

    /** One Control Center process of the cluster. */
    public static final class Instance {
        public final String id;
        public final int port;
        public final AppProcess app;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        Instance(String id, int port, AppProcess app) {
            this.id = id;
            this.port = port;
            this.app = app;
        }

        public void awaitReady(Duration timeout) {
            ControlCenterApp.await(id + " ready", timeout, () -> {
                if (!app.process.isAlive()) {
                    throw new AssertionError(id + " ended (" + app.process.exitValue() + "):\n" + app.output());
                }
                return status("/observe/health/ready") == 200;
            });
        }

        /** The HTTP status of GET {@code path}; -1 when the instance does not answer. */
        public int status(String path) {
            HttpResponse<String> r = send(request(path).GET());
            return r == null ? -1 : r.statusCode();
        }

        /** The body of GET {@code path}; empty when the instance does not answer. */
        public String get(String path) {
            HttpResponse<String> r = send(request(path).GET());
            return r == null ? "" : r.body();
        }

        /** POST {@code path} with a JSON body; null when the instance does not answer. */
        public HttpResponse<String> post(String path, String json) {
            return send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        /** The instance id GET /api/gateways names as the leader of {@code gateway}, null when none. */
        @SuppressWarnings("unchecked")
        public String leaderOf(String gateway) {
            List<Object> gateways;
            try {
                gateways = (List<Object>) Json.parse(get("/api/gateways"));
            } catch (IOException e) {
                throw new AssertionError(id + ": GET /api/gateways is not JSON", e);
            }
            for (Object g : gateways) {
                Map<String, Object> m = (Map<String, Object>) g;
                if (gateway.equals(m.get("name"))) {
                    Map<String, Object> leader = (Map<String, Object>) m.get("leader");
                    return leader == null ? null : (String) leader.get("instanceId");
                }
            }
            throw new AssertionError("no gateway " + gateway + " in GET /api/gateways of " + id);
        }

        /** A dashboard of this instance: GET {@code pathAndQuery} as an event stream. */
        public SseStream stream(String pathAndQuery) {
            return SseStream.open(port, pathAndQuery);
        }

        /** kill -9. */
        public void kill() throws InterruptedException {
            app.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        /** SIGSTOP: the process freezes (its sockets and file locks stay open). */
        public void pause() {
            signal("STOP");
        }

        /** SIGCONT. */
        public void resume() {
            if (app.process.isAlive()) {
                signal("CONT");
            }
        }

        private void signal(String name) {
            try {
                Process p = new ProcessBuilder("sh", "-c", "kill -" + name + " " + app.process.pid()).start();
                if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("kill -" + name + " " + app.process.pid() + " failed");
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(40));
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        @Override
        public String toString() {
            return id;
        }
    }
}
