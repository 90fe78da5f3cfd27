package io.controlcenter.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.controlcenter.gateway.GatewayState;
import io.controlcenter.gateway.Json;
import io.controlcenter.support.AppendOnlyList;
import io.controlcenter.support.FaultFigures;
import io.controlcenter.support.RealGateway;
import io.controlcenter.support.RealGatewayTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The real OpenClaw gateway killed with SIGKILL ({@link RealGateway#kill}) and started again on the same port and
 * state, {@code -Dfaults.real-gateway-restarts} times (3), while the test's own operator connection
 * ({@link GatewayOperator}) patches the labels of four sessions, one every 60 ms, each label new. Right after each
 * restart, before Control Center reconnects (or while it does), each session gets one more label. After each reconnect,
 * the stream held, the sessions (keys and labels) and agents in PostgreSQL and GET /api/* equal what the gateway lists
 * ({@code sessions.list}, {@code agents.list}). The gateway coalesces a session's changes into its
 * {@code sessions.changed} events (100 ms debounce, 500 ms at most), each carrying the row as it is when sent, so a
 * label may never be sent. Checked at the end: every event the test's connection received while Control Center was
 * connected and synced (the gateway sends the same payload to both) is in the event log exactly once; every label made
 * meanwhile that the gateway sent is stored; no gateway event is stored twice. The figures are printed (RELIABILITY.md,
 * "Gateway restarts").
 */
@Tag("real-gateway")
class RealGatewayRestartsIT extends RealGatewayTestSupport {

    private static final int SESSIONS = 4;
    private static final long INTERVAL_MS = 60;

    /** A sessions.changed of one of the test's sessions as received; whether Control Center was synced meanwhile. */
    private record Seen(String key, String label, String identity, boolean whileSynced) {
    }

    private final List<Seen> seen = new AppendOnlyList<>();
    private final List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The label the gateway last acknowledged (res ok) for each session. */
    private final Map<String, String> acked = new ConcurrentHashMap<>();
    private final AtomicInteger changes = new AtomicInteger();
    /** The labels acknowledged while Control Center was connected and synced. */
    private final List<String> labelsWhileSynced = new AppendOnlyList<>();
    private final List<String> failures = new AppendOnlyList<>();
    private final Thread stream = new Thread(this::stream, "real-gateway-stream");
    private volatile GatewayOperator operator;
    private volatile boolean synced;
    private volatile boolean paused = true;
    private volatile boolean holding;
    private volatile boolean stopped;
    /** Figures of the restarts. */
    private final List<Long> readyMs = new ArrayList<>();
    private final List<Long> connectedMs = new ArrayList<>();
    private final List<Long> equalMs = new ArrayList<>();
    private int afterRestart;
    private int afterRestartBeforeConnected;
    private int lostByKills;
    private long gatewayRssMb = -1;

    @BeforeAll
    static void start() throws Exception {
        startConnected(RealGateway.start());
    }

    @AfterEach
    void stopStream() throws InterruptedException {
        stopped = true;
        stream.join(10_000);
        if (operator != null) {
            operator.close();
        }
    }

    @Test
    void afterEachKillControlCenterEqualsTheGatewayAndStoresEveryEventItWasSentOnce() throws Exception {
        int restarts = FaultFigures.setting("real-gateway-restarts", 3);
        operator = GatewayOperator.connect(gateway.url(), gateway.token(), this::received);
        for (int s = 0; s < SESSIONS; s++) {
            String label = "s" + s + "-" + System.nanoTime();
            keys.add((String) operator.callForMap("sessions.create", Map.of("agentId", "main", "label", label))
                    .get("key"));
            acked.put(keys.get(s), label);
        }
        awaitEqual("Control Center equal to the gateway at the start", 0);
        synced = true;
        stream.setDaemon(true);
        stream.start();
        for (int k = 1; k <= restarts; k++) {
            resumeStream(20);
            holdAndAwaitStored("before kill " + k);
            killAndRestart(k, restarts);
        }
        resumeStream(20);
        holdAndAwaitStored("at the end");
        awaitEqual("Control Center equal to the gateway at the end", 0);

        Map<String, Long> stored = storedEvents();
        List<Seen> whileSynced = seen.stream().filter(Seen::whileSynced).toList();
        List<String> notOnce = whileSynced.stream().map(Seen::identity).distinct()
                .filter(id -> stored.getOrDefault(id, 0L) != 1).map(id -> id + " x" + stored.get(id)).toList();
        // the same frame twice (a connection's seq and payload); sessions.changed again under another seq: notOnce
        long duplicated = one("SELECT count(*) - count(DISTINCT (event, seq, CAST(payload AS text))) AS n "
                + "FROM event_log WHERE gateway = 'default' AND seq IS NOT NULL");
        Set<String> sent = new HashSet<>();
        seen.forEach(s -> sent.add(s.label()));
        Set<String> storedLabels = new HashSet<>();
        stored.keySet().forEach(id -> storedLabels.add(id.substring(id.lastIndexOf('|') + 1)));
        // a label the gateway never sent (its debounce sent a later one) cannot be stored; every other one must be
        List<String> missing = labelsWhileSynced.stream().filter(l -> sent.contains(l) && !storedLabels.contains(l))
                .toList();
        long neverSent = labelsWhileSynced.stream().filter(l -> !sent.contains(l)).count();
        new FaultFigures("real gateway killed (SIGKILL) and restarted " + restarts + " time(s) during a stream")
                .put("changes", changes.get()).put("changesWhileSynced", labelsWhileSynced.size())
                .put("ofThemStored", labelsWhileSynced.size() - neverSent - missing.size())
                .put("ofThemNeverSentByTheGateway", neverSent).put("changesRightAfterRestarts", afterRestart)
                .put("ofThemBeforeControlCenterConnected", afterRestartBeforeConnected)
                .put("acknowledgedChangesLostByTheKills", lostByKills).put("labelsTheGatewaySent", sent.size())
                .put("eventsReceivedByTheTest", seen.size()).put("ofThemWhileSynced", whileSynced.size())
                .put("storedSessionEvents", stored.values().stream().mapToLong(Long::longValue).sum())
                .put("notStoredExactlyOnce", notOnce.size()).put("duplicatedGatewayEvents", duplicated)
                .put("gatewayReadyAfterKillMs", readyMs).put("connectedAfterReadyMs", connectedMs)
                .put("equalAfterReadyMs", equalMs).put("gatewayPeakRssMb", gatewayRssMb)
                .put("testJvmPeakRssMb", jvmPeakRssMb()).report();
        assertEquals(List.of(), failures, "every change acknowledged by the gateway");
        assertEquals(List.of(), notOnce, "every event sent while Control Center was synced, stored exactly once");
        assertEquals(List.of(), missing, "every label made while Control Center was synced and sent, stored");
        assertEquals(0, duplicated, "no gateway event stored twice");
    }

    /**
     * Kills the gateway, starts it again, makes a change per session at once on a new connection, then waits until
     * Control Center reconnected, synced, and equals the gateway; prints the restart's figures.
     */
    private void killAndRestart(int k, int restarts) {
        synced = false;
        long reconnects = app.client().getReconnects();
        gatewayRssMb = Math.max(gatewayRssMb, gateway.peakRssMb());
        long killedAtMs = System.currentTimeMillis();
        long killedAt = System.nanoTime();
        gateway.kill();
        operator.close();
        gateway.resume();
        long readyAt = System.nanoTime();
        BooleanSupplier reconnected = () -> app.client().getReconnects() > reconnects
                && app.client().getGatewayState() == GatewayState.CONNECTED;
        operator = GatewayOperator.connect(gateway.url(), gateway.token(), this::received);
        Map<String, Object> listed = operator.sessionLabels();
        lostByKills += (int) keys.stream().filter(key -> !acked.get(key).equals(listed.get(key))).count();
        for (String key : keys) {
            afterRestartBeforeConnected += reconnected.getAsBoolean() ? 0 : 1;
            patch(key, "r" + k + "-" + key.substring(key.length() - 8) + "-" + System.nanoTime());
            afterRestart++;
        }
        await("Control Center reconnected after restart " + k, Duration.ofSeconds(60), reconnected);
        long connectedAt = System.nanoTime();
        awaitEqual("Control Center synced and equal to the gateway after restart " + k, killedAtMs);
        readyMs.add((readyAt - killedAt) / 1_000_000);
        connectedMs.add((connectedAt - readyAt) / 1_000_000);
        equalMs.add((System.nanoTime() - readyAt) / 1_000_000);
        System.out.printf("REAL-GATEWAY restart %d/%d: killed after %d changes; the gateway ready %d ms after the "
                + "kill; Control Center connected %d ms and synced and equal %d ms after it was ready; %d of %d "
                + "changes made right after the restarts before it connected%n", k, restarts, changes.get(),
                readyMs.get(k - 1), connectedMs.get(k - 1), equalMs.get(k - 1), afterRestartBeforeConnected,
                afterRestart);
        synced = true;
    }

    /** Lets the stream make {@code n} more changes. */
    private void resumeStream(int n) {
        int target = changes.get() + n;
        paused = false;
        await(n + " more changes", Duration.ofSeconds(60), () -> changes.get() >= target);
    }

    /**
     * Holds the stream, then waits until the gateway has sent each session's last label (its debounce) and the event
     * log holds every event received while Control Center was synced: nothing is in flight at a kill.
     */
    private void holdAndAwaitStored(String what) {
        paused = true;
        await("the stream held", Duration.ofSeconds(15), () -> holding);
        await("the gateway sent each session's last label, " + what, Duration.ofSeconds(15), () -> keys.stream()
                .allMatch(key -> seen.stream().filter(s -> s.key().equals(key)).reduce((a, b) -> b)
                        .map(s -> s.label().equals(acked.get(key))).orElse(false)));
        await("every event received while synced stored, " + what, Duration.ofSeconds(15), () -> {
            Map<String, Long> stored = storedEvents();
            return seen.stream().filter(Seen::whileSynced).allMatch(s -> stored.containsKey(s.identity()));
        });
    }

    private void stream() {
        long next = System.nanoTime();
        for (int i = 0; !stopped; i++) {
            while (paused && !stopped) {
                holding = true;
                LockSupport.parkNanos(1_000_000);
                next = System.nanoTime();
            }
            holding = false;
            if (!stopped) {
                patch(keys.get(i % SESSIONS), "n" + i + "-" + System.nanoTime());
            }
            next += INTERVAL_MS * 1_000_000;
            LockSupport.parkNanos(next - System.nanoTime());
        }
    }

    /** sessions.patch of a new label (labels are unique on the gateway), counted once the gateway acknowledged it. */
    private void patch(String key, String label) {
        try {
            operator.call("sessions.patch", Map.of("key", key, "label", label));
            acked.put(key, label);
            changes.incrementAndGet();
            if (synced) {
                labelsWhileSynced.add(label);
            }
        } catch (AssertionError e) {
            failures.add(key + " " + label + ": " + e.getMessage());
        }
    }

    private void received(Map<String, Object> frame) {
        if (!"sessions.changed".equals(frame.get("event")) || !(frame.get("payload") instanceof Map<?, ?> p)
                || !keys.contains(p.get("sessionKey"))) {
            return;
        }
        String key = (String) p.get("sessionKey");
        String label = String.valueOf(p.get("label"));
        seen.add(new Seen(key, label, identity(key, p.get("ts"), p.get("reason"), p.get("phase"), label), synced));
    }

    /** What tells one sessions.changed from another: the gateway stamps each with the time it sends it. */
    private static String identity(Object key, Object ts, Object reason, Object phase, Object label) {
        return key + "|" + ts + "|" + reason + "|" + phase + "|" + label;
    }

    /** The stored sessions.changed events of the test's sessions, by identity, with how many times each is stored. */
    private Map<String, Long> storedEvents() {
        Map<String, Long> stored = new TreeMap<>();
        app.query("SELECT payload->>'sessionKey' AS k, payload->>'ts' AS ts, payload->>'reason' AS r, "
                + "payload->>'phase' AS p, payload->>'label' AS l, count(*) AS n FROM event_log "
                + "WHERE gateway = 'default' AND event = 'sessions.changed' GROUP BY 1, 2, 3, 4, 5").forEach(row -> {
                    if (keys.contains(row.get("k"))) {
                        stored.put(identity(row.get("k"), row.get("ts"), row.get("r"), row.get("p"), row.get("l")),
                                ((Number) row.get("n")).longValue());
                    }
                });
        return stored;
    }

    /** Waits until Control Center synced after {@code sinceMs} and its database and API equal the gateway's listing. */
    private void awaitEqual(String what, long sinceMs) {
        String[] last = {""};
        try {
            await(what, Duration.ofSeconds(30), () -> (last[0] = mismatch(sinceMs)) == null);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + last[0], e);
        }
    }

    /** What differs from the gateway's own listing, or null. */
    private String mismatch(long sinceMs) {
        if (one("SELECT COALESCE(CAST(extract(epoch FROM max(last_sync_at)) * 1000 AS bigint), 0) AS n FROM gateways "
                + "WHERE name = 'default'") < sinceMs) {
            return "not synced since " + sinceMs;
        }
        Map<String, Object> truth = operator.sessionLabels();
        Map<String, Object> db = new TreeMap<>();
        app.query("SELECT session_key, data->>'label' AS label FROM sessions WHERE gateway = 'default' AND NOT gone")
                .forEach(r -> db.put((String) r.get("session_key"), r.get("label")));
        Map<String, Object> api = new TreeMap<>();
        maps(app.get("/api/sessions").body()).forEach(s -> api.put((String) s.get("key"), s.get("label")));
        List<Object> agents = operator.agentIds();
        List<Object> dbAgents = app.query("SELECT agent_id FROM agents WHERE gateway = 'default' AND NOT gone "
                + "ORDER BY agent_id").stream().map(r -> r.get("agent_id")).toList();
        List<Object> apiAgents = maps(app.get("/api/agents").body()).stream().map(a -> a.get("id")).sorted().toList();
        boolean equal = truth.equals(db) && truth.equals(api) && agents.equals(dbAgents) && agents.equals(apiAgents);
        return equal ? null : "the gateway lists " + truth + " and agents " + agents + "; PostgreSQL " + db + ", "
                + dbAgents + "; the API " + api + ", " + apiAgents;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(String json) {
        try {
            return (List<Map<String, Object>>) Json.parse(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static long one(String sql) {
        return ((Number) app.query(sql).get(0).get("n")).longValue();
    }

    /** The test JVM's largest resident set (VmHWM, MB): Control Center and the test, which run in it. */
    private static long jvmPeakRssMb() throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(-1);
    }
}
