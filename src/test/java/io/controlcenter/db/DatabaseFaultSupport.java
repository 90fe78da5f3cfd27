package io.controlcenter.db;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import io.controlcenter.gateway.Json;
import io.controlcenter.support.AppProcess;
import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.EventFeed;
import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.FaultFigures;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Control Center as users run it (its own JVM, {@code -Xmx256m}, this build's Application class) against the
 * in-process test gateway, while a test takes its database away: a stream of events from the gateway
 * ({@link EventFeed}), a dashboard on GET /api/events, readiness over HTTP, the log as the process wrote it, the event
 * log read with SQL; and the figures of RELIABILITY.md.
 */
abstract class DatabaseFaultSupport {

    protected final FakeGateway gateway = new FakeGateway().start();
    @TempDir
    protected Path dir;
    protected AppProcess app;
    private final int port = ControlCenterApp.freePort();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<SseStream> streams = new ArrayList<>();
    private int starts;
    private final StringBuilder earlierLogs = new StringBuilder();
    private EventFeed feed;

    /**
     * Starts Control Center with {@code env} and the settings {@code properties} ({@code key=value}, given as JVM system
     * properties); returns once it is ready and has stored the gateway's agent.
     */
    protected void startApp(Map<String, String> env, String... properties) throws IOException {
        if (starts == 0) {
            new FakeFleet().agents(1).sessions(1, 1_000).install(gateway);
        }
        Map<String, String> all = new HashMap<>(env);
        all.put("GATEWAY_WS_URL", gateway.url());
        all.put("OPENCLAW_GATEWAY_TOKEN", FakeGateway.TOKEN);
        all.put("CC_PORT", String.valueOf(port));
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-Dgateway.reconnect.initial-delay=100",
                "-Dgateway.reconnect.max-delay=1600"));
        for (String p : properties) {
            jvm.add("-D" + p);
        }
        if (app != null) {
            earlierLogs.append(app.output());
        }
        app = AppProcess.startFromClassPath(AppProcess.workDir(dir.resolve("app-" + ++starts)), all, jvm);
        awaitApp("ready, with the gateway's agent stored", Duration.ofSeconds(60),
                () -> status("/observe/health/ready") == 200 && get("/api/agents").contains("\"main\""));
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

    /** {@code kill -9} of the embedded server's postmaster (pid from {@code postmaster.pid}); returns its pid. */
    protected static long killPostmaster(Path data) throws IOException {
        long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        assertTrue(postmaster.destroyForcibly(), "SIGKILL to " + pid); // kill -9
        return pid;
    }

    /** Starts a stream of events from the gateway, one every {@code intervalMs}; stopped after the test at the latest. */
    protected EventFeed feed(long intervalMs) {
        feed = new EventFeed(gateway.last(), intervalMs).start();
        return feed;
    }

    /** A dashboard: GET /api/events. */
    protected SseStream dashboard() {
        SseStream s = SseStream.open(port, "/api/events");
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

    /** The event log's {@code sessions.changed} rows: how many, and how many distinct seqs. */
    protected static long[] stored(String url, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT seq) FROM event_log"
                     + " WHERE event = 'sessions.changed'")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /** The log lines of {@code level} (WARN, INFO, ERROR), of the class {@code logger} (any when null). */
    protected List<String> logLines(String level, String logger) {
        // "12:00:00.000 [thread] WARN Logger - text" (the jar's format) or "... [WARN] Logger - text" (the tests')
        Pattern line = Pattern.compile("^\\S+ \\[[^]]*] \\[?" + level + "]? " + (logger == null ? "\\S+" : logger) + " - .*");
        return app.output().lines().filter(l -> line.matcher(l).matches()).toList();
    }

    /** The figures every fault reports: events sent, stored, lost, duplicated, pushed, Control Center's peak memory. */
    protected FaultFigures figures(String fault, EventFeed feed, long[] stored, SseStream s) {
        return new FaultFigures(fault).put("sent", feed.sent()).put("stored", stored[0])
                .put("lost", feed.sent() - stored[1]).put("duplicated", stored[0] - stored[1])
                .put("pushed", labels(s).size()).put("peakRssMb", app.peakRssMb());
    }

    /** Stops everything; Control Center's log is kept as target/fault-logs/<test class>.log. */
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
