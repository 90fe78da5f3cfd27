package io.controlcenter.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real OpenClaw gateway (npm package {@code openclaw}) on loopback on a free port, installed into a cache folder
 * and run by {@code scripts/openclaw-gateway.sh}. Stopping it kills its whole process group.
 */
public final class RealGateway implements AutoCloseable {

    private static final Path SCRIPT = Path.of("scripts/openclaw-gateway.sh").toAbsolutePath();

    /** The OpenAI-compatible mock model (streams "Hello from the mock model."; slowly when asked ABORTME). */
    private static final Path MOCK_LLM = Path.of("src/test/resources/openclaw/mock-llm.mjs").toAbsolutePath();

    private final Path dir;
    private final int port;
    private final int modelPort;
    private final boolean mockModel;
    /** Where it runs beyond loopback (bound to every address of that namespace), or null: on this host's loopback. */
    private final NetworkNamespace namespace;
    private boolean running;
    /** After {@link #kill()} of a gateway with the mock model: the model still runs, for {@link #stop()} to end. */
    private boolean modelLeftRunning;
    /** The token it is started with, or null: the one its start script makes (token.txt). */
    private String presetToken;

    private RealGateway(Path dir, int port, boolean mockModel, NetworkNamespace namespace) {
        this.dir = dir;
        this.port = port;
        this.modelPort = ControlCenterApp.freePort();
        this.mockModel = mockModel;
        this.namespace = namespace;
    }

    /** Installs the gateway if needed and starts it on a free port with a fresh state folder under target/. */
    public static RealGateway start() throws IOException {
        return start(false);
    }

    /** As {@link #start()}, with the mock model running so that chat runs stream for real. */
    public static RealGateway startWithMockModel() throws IOException {
        return start(true);
    }

    /**
     * As {@link #start()}, but inside {@code namespace} with {@code gateway.bind: "lan"}: reached from here over the
     * namespace's veth address, as a gateway on another host.
     */
    public static RealGateway startIn(NetworkNamespace namespace) throws IOException {
        return start(false, namespace);
    }

    /**
     * As {@link #startWithMockModel()}, but not started yet: its URL and {@code token} are known at once, so that what
     * connects to it can start meanwhile; {@link #resume()} starts it.
     */
    public static RealGateway notStartedWithMockModel(String token) throws IOException {
        run(Duration.ofMinutes(10), "install");
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target/openclaw-it")).toAbsolutePath(), "gw-");
        RealGateway gateway = new RealGateway(dir, ControlCenterApp.freePort(), true, null);
        gateway.presetToken = token;
        return gateway;
    }

    private static RealGateway start(boolean mockModel) throws IOException {
        return start(mockModel, null);
    }

    private static RealGateway start(boolean mockModel, NetworkNamespace namespace) throws IOException {
        run(Duration.ofMinutes(10), "install");
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target/openclaw-it")).toAbsolutePath(), "gw-");
        RealGateway gateway = new RealGateway(dir, ControlCenterApp.freePort(), mockModel, namespace);
        gateway.resume();
        return gateway;
    }

    /** Starts it again on the same port with the same state and token (after {@link #stop()}). */
    public void resume() {
        List<String> args = new java.util.ArrayList<>(List.of("start", "--port", String.valueOf(port), "--dir",
                dir.toString(), "--model-port", String.valueOf(modelPort)));
        if (mockModel) {
            args.addAll(List.of("--mock-llm", MOCK_LLM.toString()));
        }
        if (namespace != null) {
            args.addAll(List.of("--bind", "lan", "--netns", namespace.name()));
        }
        if (presetToken != null) {
            args.addAll(List.of("--token", presetToken));
        }
        run(Duration.ofMinutes(3), args.toArray(String[]::new));
        running = true;
        modelLeftRunning = false;
    }

    /**
     * The gateway's own CLI on its host, as an operator runs it there: {@code openclaw <args>} (e.g. {@code devices list
     * --json}); its output.
     */
    public String cli(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("cli", "--dir", dir.toString(), "--"));
        command.addAll(List.of(args));
        return run(Duration.ofMinutes(2), command.toArray(String[]::new));
    }

    /** SIGTERM to the gateway's process group (and the mock model's, also after {@link #kill()}); returns when gone. */
    public void stop() {
        if (running || modelLeftRunning) {
            run(Duration.ofMinutes(1), "stop", "--dir", dir.toString());
            running = false;
            modelLeftRunning = false;
        }
    }

    /**
     * SIGKILL to the gateway's process group and to its helpers that left it, as the OOM killer or {@code kill -9}
     * would: no shutdown event, no close frame, nothing flushed. Returns when none of them runs (a dead process may stay
     * a zombie for a while; it holds no socket). The mock model, if any, is a service of its own and keeps running;
     * {@link #resume()} replaces it, {@link #stop()} stops it.
     */
    public void kill() {
        if (running) {
            run(Duration.ofSeconds(30), "kill", "--dir", dir.toString());
            running = false;
            modelLeftRunning = mockModel;
        }
    }

    /** The largest resident set of the gateway's main process so far (VmHWM, MB), or -1 when it does not run. */
    public long peakRssMb() {
        try {
            String pid = Files.readString(dir.resolve("gateway.pid")).trim();
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not running (or gone meanwhile)
        }
        return -1;
    }

    @Override
    public void close() {
        stop();
    }

    public int port() {
        return port;
    }

    /** The address it is reached at: loopback, or its namespace's address. */
    public String host() {
        return namespace == null ? "127.0.0.1" : namespace.address();
    }

    /** Its WebSocket URL. */
    public String url() {
        return "ws://" + host() + ":" + port + "/";
    }

    /** Its HTTP URL (the polling fallback's {@code gateway.http-url}): the same port. */
    public String httpUrl() {
        return "http://" + host() + ":" + port;
    }

    public String token() {
        if (presetToken != null) {
            return presetToken;
        }
        try {
            return Files.readString(dir.resolve("token.txt")).trim();
        } catch (IOException e) {
            throw new IllegalStateException("no token.txt in " + dir, e);
        }
    }

    public String log() {
        try {
            Path log = dir.resolve("logs/stdout.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String run(Duration timeout, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out;
            try (var in = p.getInputStream()) {
                out = new String(in.readAllBytes()); // ends when the script exits (the gateway's output goes to its log)
            }
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeout + ":\n" + out);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "):\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
