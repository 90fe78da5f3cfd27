package io.controlcenter.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import io.controlcenter.gateway.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fault suite's set-up (RELIABILITY.md): Control Center as users run it (its own JVM, {@code -Xmx256m}, this
 * build's Application class, routes/ as shipped) against the in-process test gateway, while a test injects a fault: a
 * stream of events from the gateway ({@link EventFeed}), dashboards on GET /api/events, readiness and the API over
 * HTTP, the log as the process wrote it, and the figures every fault reports ({@link FaultFigures}). Control Center's
 * log of each test is kept as target/fault-logs/&lt;test class&gt;.log.
 */
public abstract class FaultTestSupport {

    protected final FakeGateway gateway = new FakeGateway().start();
    @TempDir
    protected Path dir;
    protected AppProcess app;
    /** Control Center's HTTP port, the same across its restarts. */
    protected final int port = ControlCenterApp.freePort();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<SseStream> streams = new ArrayList<>();
    private final StringBuilder earlierLogs = new StringBuilder();
    private int starts;
    private long peakRssMb = -1;
    private EventFeed feed;

    /** The gateway's fleet (its truth: what sessions.list answers). */
    protected final FakeFleet fleet = new FakeFleet();

    /** The fleet the gateway serves, installed before the first start: one agent (main) with one session. */
    protected void installFleet() {
        fleet.agents(1).sessions(1, 1_000).install(gateway);
    }

    /**
     * Starts Control Center with {@code env} (over the test gateway's URL and token and the HTTP port) and the settings
     * {@code properties} ({@code key=value}, given as JVM system properties); returns once it is ready and has stored the
     * gateway's agent main. A restart keeps the earlier run's log.
     */
    protected void startApp(Map<String, String> env, String... properties) throws IOException {
        launchApp(env, properties);
        awaitApp("ready, with the gateway's agent stored", Duration.ofSeconds(60),
                () -> status("/observe/health/ready") == 200 && get("/api/agents").contains("\"main\""));
    }

    /** Starts Control Center as {@link #startApp} does, without waiting for anything. */
    protected void launchApp(Map<String, String> env, String... properties) throws IOException {
        if (starts == 0) {
            installFleet();
        }
        Map<String, String> all = new HashMap<>();
        all.put("GATEWAY_WS_URL", gateway.url());
        all.put("OPENCLAW_GATEWAY_TOKEN", FakeGateway.TOKEN);
        all.put("CC_PORT", String.valueOf(port));
        all.putAll(env);
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-Dgateway.reconnect.initial-delay=100",
                "-Dgateway.reconnect.max-delay=1600"));
        for (String p : properties) {
            jvm.add("-D" + p);
        }
        if (app != null) {
            earlierLogs.append(app.output());
        }
        app = AppProcess.startFromClassPath(AppProcess.workDir(dir.resolve("app-" + ++starts)), all, jvm);
    }

    /** {@code kill -9} of Control Center; returns once it is gone, with its peak memory noted. */
    protected void killApp() throws InterruptedException {
        peakRssMb = Math.max(peakRssMb, app.peakRssMb());
        app.process.destroyForcibly(); // SIGKILL
        if (!app.process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("Control Center still runs 10 s after SIGKILL");
        }
    }

    /** The largest resident set of Control Center so far (VmHWM, MB), over its restarts. */
    protected long peakRssMb() {
        return Math.max(peakRssMb, app.peakRssMb());
    }

    /** Waits for {@code condition}; fails at once, with the log, if Control Center has ended. */
    protected void awaitApp(String what, Duration timeout, BooleanSupplier condition) {
        ControlCenterApp.await(what, timeout, () -> {
            if (!app.process.isAlive()) {
                throw new AssertionError("Control Center ended (" + app.process.exitValue() + ") while waiting for "
                        + what + ":\n" + app.output());
            }
            return condition.getAsBoolean();
        });
    }

    /** Waits for readiness to be {@code status} (200 UP, 503 DOWN); returns the milliseconds waited. */
    protected long awaitReadiness(int status, Duration timeout) {
        long start = System.nanoTime();
        awaitApp("readiness " + status, timeout, () -> status("/observe/health/ready") == status);
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Starts a stream of events from the gateway, one every {@code intervalMs}; stopped after the test at the latest. */
    protected EventFeed feed(long intervalMs) {
        feed = new EventFeed(gateway.last(), intervalMs).start();
        return feed;
    }

    /** A dashboard: GET /api/events with {@code headers} (name, value pairs, e.g. Last-Event-ID). */
    protected SseStream dashboard(String... headers) {
        SseStream s = SseStream.open(port, "/api/events", headers);
        streams.add(s);
        return s;
    }

    /** The HTTP status of GET {@code path}, -1 when Control Center does not answer. */
    protected int status(String path) {
        try {
            return http.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The body of GET {@code path}, empty when Control Center does not answer. */
    protected String get(String path) {
        try {
            return http.send(request(path), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** GET {@code path} parsed as JSON (an object or an array). */
    protected Object getJson(String path) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(get(path), Object.class);
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " is not JSON", e);
        }
    }

    /** GET /api/gateway: the connection's state and counters. */
    @SuppressWarnings("unchecked")
    protected Map<String, Object> gatewayStatus() {
        if (!(getJson("/api/gateway") instanceof Map<?, ?> m)) {
            throw new AssertionError("GET /api/gateway is no object: " + get("/api/gateway"));
        }
        return (Map<String, Object>) m;
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build();
    }

    /** Waits until the dashboard has {@code n} session.update messages (each event once, in order: checked at the end). */
    protected void awaitPushed(SseStream s, int n, Duration timeout) {
        awaitApp(n + " events pushed", timeout,
                () -> s.events.stream().filter(e -> "session.update".equals(e.event())).count() >= n);
    }

    /** The labels of the session.update messages a dashboard received, in order. */
    protected static List<String> labels(SseStream s) {
        List<String> labels = new ArrayList<>();
        for (SseStream.Event e : List.copyOf(s.events)) {
            if ("session.update".equals(e.event())) {
                try {
                    labels.add(String.valueOf(Json.parseObject(e.data()).get("label")));
                } catch (IOException ex) {
                    throw new AssertionError("not JSON: " + e.data(), ex);
                }
            }
        }
        return labels;
    }

    /** Every event of the (stopped) feed reached the dashboard exactly once and in the order sent. */
    protected static void assertPushedOnceInOrder(SseStream s, EventFeed feed) {
        List<String> labels = labels(s);
        for (int i = 0; i < Math.min(labels.size(), feed.sent()); i++) {
            assertEquals(EventFeed.label(i), labels.get(i), "message " + i + " of the dashboard");
        }
        assertEquals(feed.sent(), labels.size(), "messages the dashboard received");
    }

    /** The log lines of {@code level} (WARN, INFO, ERROR), of the class {@code logger} (any when null), of every run. */
    protected List<String> logLines(String level, String logger) {
        // "12:00:00.000 [thread] WARN Logger - text" (the jar's format) or "... [WARN] Logger - text" (the tests')
        Pattern line = Pattern.compile("^\\S+ \\[[^]]*] \\[?" + level + "]? " + (logger == null ? "\\S+" : logger) + " - .*");
        return (earlierLogs + app.output()).lines().filter(l -> line.matcher(l).matches()).toList();
    }

    /** Stops everything; Control Center's log is kept as target/fault-logs/&lt;test class&gt;.log. */
    @AfterEach
    void stopAll() throws InterruptedException, IOException {
        if (feed != null) {
            feed.stop();
        }
        streams.forEach(SseStream::close);
        if (app != null) {
            app.close();
            Path logs = Files.createDirectories(Path.of("target", "fault-logs"));
            Files.writeString(logs.resolve(getClass().getSimpleName() + ".log"), earlierLogs + app.output());
        }
        gateway.close();
    }
}
