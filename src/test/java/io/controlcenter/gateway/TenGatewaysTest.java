package io.controlcenter.gateway;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.SseStream;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ten in-process gateways at once, each with the same agent {@code main} and session {@code agent:main:main}: one
 * floods (sessions.changed as fast as Control Center reads them), one refuses Control Center's token, one waits for its
 * device to be approved, seven are healthy. While the flood runs, each healthy gateway sends a known sequence of
 * sessions.changed: every event is stored (event log per gateway, in its seq order) and reaches a dashboard subscribed
 * to its gateway ({@code ?gateway=}) once, in order, with nothing of another gateway; the same key on ten gateways is
 * ten rows, each with its own gateway's data. The refused gateway fails alone ({@code failed},
 * {@code AUTH_TOKEN_MISMATCH}, one attempt) and the waiting one is {@code pairing}, while readiness stays UP
 * because the others serve. The latency from send to SSE receipt of the healthy gateways' events during the flood is
 * printed and bounded loosely; how fast belongs to the benchmark.
 */
class TenGatewaysTest {

    private static final List<String> HEALTHY = List.of("default", "lab", "prod-eu", "prod_us", "edge1", "edge2", "edge3");
    private static final String FLOOD = "flood";
    /** Its gateway has a token of its own: Control Center's is refused (AUTH_TOKEN_MISMATCH, close 1008). */
    private static final String REFUSED = "wrongtoken";
    /** Its gateway is beyond loopback and has not approved Control Center's device: PAIRING_REQUIRED. */
    private static final String UNPAIRED = "unpaired";
    private static final List<String> ALL = concat(HEALTHY, List.of(FLOOD, REFUSED, UNPAIRED));
    private static final String KEY = "agent:main:main";
    /** sessions.changed per healthy gateway while the flood runs, one round of all seven every ROUND_MS. */
    private static final int EVENTS = 50;
    private static final long ROUND_MS = 20;
    /** The flood stops here at the latest (it is stopped once every healthy event has arrived). */
    private static final int FLOOD_CAP = 200_000;
    /** Flood frames written but not yet in the socket: beyond that the flood waits (backpressure, bounded memory). */
    private static final int FLOOD_IN_FLIGHT = 2_000;

    /** Gateway time of the live events: after the sync's listing, as on a real gateway. */
    private final long t0 = System.currentTimeMillis() + 60_000;
    private final Map<String, FakeGateway> gateways = new LinkedHashMap<>();
    private final List<SseStream> streams = new ArrayList<>();
    private ControlCenterApp app;
    private Thread flood;
    private final AtomicBoolean stopFlood = new AtomicBoolean();

    @AfterEach
    void stopAll() throws InterruptedException {
        stopFlood.set(true);
        if (flood != null) {
            flood.join(10_000);
        }
        streams.forEach(SseStream::close);
        if (app != null) {
            app.close();
        }
        gateways.values().forEach(FakeGateway::close);
    }

    @Test
    void sevenGatewaysEventsArriveInOrderWhileOneFloodsOneIsRefusedAndOneWaitsForPairing() throws Exception {
        List<String> overrides = new ArrayList<>(List.of("gateways", String.join(",", ALL)));
        for (String name : ALL) {
            FakeFleet fleet = new FakeFleet();
            fleet.agents.add(FakeFleet.agent("main", "Main of " + name));
            Map<String, Object> row = FakeFleet.session(KEY, "main", 1_000);
            row.put("label", name + " listed");
            fleet.sessions.put(KEY, row);
            FakeGateway gateway = new FakeGateway();
            gateway.tickIntervalMs = 300_000; // no tick within the test: it would take a seq between a frame's and its send
            fleet.install(gateway);
            if (REFUSED.equals(name)) {
                gateway.token = "the-refused-gateways-own-token";
            }
            if (UNPAIRED.equals(name)) {
                gateway.devices.remote = true;
            }
            gateways.put(name, gateway.start());
            if (!"default".equals(name)) {
                overrides.addAll(List.of("gateway." + name + ".ws-url", gateway.url(), "gateway." + name + ".token",
                        FakeGateway.TOKEN));
            }
        }
        app = ControlCenterApp.start(gateways.get("default").url(), overrides.toArray(String[]::new));
        NotifyBuilder refusedChecks = new NotifyBuilder(app.context()).fromRoute("fallback-poll-" + REFUSED)
                .whenCompleted(3).create();

        // connected, refused, pairing: each on its own
        for (String name : concat(HEALTHY, List.of(FLOOD))) {
            await(name + " connected", Duration.ofSeconds(20), () -> client(name).getGatewayState() == GatewayState.CONNECTED);
        }
        await(REFUSED + " failed", Duration.ofSeconds(10), () -> client(REFUSED).getGatewayState() == GatewayState.FAILED);
        await(UNPAIRED + " pairing", Duration.ofSeconds(10), () -> client(UNPAIRED).getGatewayState() == GatewayState.PAIRING);
        await("the eight fleets synced", Duration.ofSeconds(30), () -> count("SELECT count(*) FROM sessions") == 8
                && count("SELECT count(*) FROM gateways WHERE last_sync_at IS NOT NULL") == 8);
        assertEquals("AUTH_TOKEN_MISMATCH", client(REFUSED).getErrorCode());
        assertEquals(gateways.get(UNPAIRED).devices.pending().get(0).requestId(), client(UNPAIRED).getPairingRequestId());
        assertRefusedAlone(refusedChecks);

        Map<String, SseStream> dashboards = new LinkedHashMap<>();
        for (String name : HEALTHY) {
            SseStream stream = SseStream.open(app.port(), "/api/events?gateway=" + name);
            streams.add(stream);
            dashboards.put(name, stream);
        }

        // the flood, then the healthy gateways' sequences while it runs
        AtomicLong floodSent = new AtomicLong();
        flood = startFlood(gateways.get(FLOOD).last(), floodSent);
        await("the flood under way", Duration.ofSeconds(30), () -> floodStored() >= 1_000);
        long floodStoredBefore = floodStored();
        Map<String, List<Long>> seqs = new LinkedHashMap<>();
        Map<String, long[]> sentAt = new LinkedHashMap<>();
        HEALTHY.forEach(n -> {
            seqs.put(n, new ArrayList<>());
            sentAt.put(n, new long[EVENTS]);
        });
        for (int i = 0; i < EVENTS; i++) {
            for (String name : HEALTHY) {
                FakeGateway.Conn conn = gateways.get(name).last();
                Map<String, Object> row = FakeFleet.session(KEY, "main", t0 + i);
                row.put("label", label(name, i));
                String frame = conn.eventText("sessions.changed", FakeFleet.sessionsChanged(row, "patch", t0 + i));
                seqs.get(name).add(((Number) Json.parseObject(frame).get("seq")).longValue());
                sentAt.get(name)[i] = System.nanoTime();
                conn.sendText(frame);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ROUND_MS)); // paced: a steady trickle, not one burst
        }
        for (String name : HEALTHY) {
            await(EVENTS + " session.update of " + name, Duration.ofSeconds(60),
                    () -> sessionUpdates(dashboards.get(name)).size() >= EVENTS);
        }
        long floodStoredDuring = floodStored() - floodStoredBefore;
        long floodBacklog = floodSent.get() - floodStored();
        assertTrue(flood.isAlive(), "the flood still ran when the last healthy event arrived (" + floodSent + " sent)");
        stopFlood.set(true);
        flood.join(30_000);

        // latency from send to SSE receipt, during the flood
        List<Long> latencies = new ArrayList<>();
        for (String name : HEALTHY) {
            SseStream stream = dashboards.get(name);
            List<Integer> updates = sessionUpdates(stream);
            for (int i = 0; i < EVENTS; i++) {
                latencies.add(stream.receivedAtNanos.get(updates.get(i)) - sentAt.get(name)[i]);
            }
        }
        latencies.sort(null);
        long p50 = latencies.get(latencies.size() / 2) / 1_000_000;
        long p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1) / 1_000_000;
        long max = latencies.get(latencies.size() - 1) / 1_000_000;
        System.out.printf("ten gateways: %d events of %d healthy gateways, send to SSE during the flood: p50 %d ms, "
                        + "p99 %d ms, max %d ms; the flood: %d sent, %d stored while they ran, %d not yet stored as the "
                        + "last arrived%n", latencies.size(), HEALTHY.size(), p50, p99, max, floodSent.get(),
                floodStoredDuring, floodBacklog);
        assertTrue(max < 10_000, "every healthy event arrives within 10 s during the flood: max " + max + " ms");

        // each dashboard: its gateway's fleet, then exactly its gateway's events, once each, in order
        for (String name : HEALTHY) {
            SseStream stream = dashboards.get(name);
            Map<String, Object> first = stream.events.get(0).json();
            assertEquals("fleet.update", stream.events.get(0).event(), name);
            assertEquals(name, first.get("gateway"));
            List<?> agents = (List<?>) first.get("agents");
            assertEquals(1, agents.size(), name + ": " + agents);
            assertEquals("Main of " + name, ((Map<?, ?>) agents.get(0)).get("name"));
            for (SseStream.Event e : stream.events) {
                assertEquals(name, e.json().get("gateway"), name + "'s dashboard got " + e);
            }
            List<Integer> updates = sessionUpdates(stream);
            List<String> labels = updates.stream().map(i -> (String) stream.events.get(i).json().get("label")).toList();
            assertEquals(IntStream.range(0, EVENTS).mapToObj(i -> label(name, i)).toList(), labels, name);
            updates.forEach(i -> assertEquals(KEY, stream.events.get(i).json().get("key")));
            List<Long> ids = stream.ids();
            for (int i = 1; i < ids.size(); i++) {
                assertTrue(ids.get(i) > ids.get(i - 1), name + ": ids increase " + ids);
            }
        }

        // the database: each gateway's events in its seq order, the same key and agent once per gateway, never mixed
        for (String name : HEALTHY) {
            List<Map<String, Object>> logged = app.query("""
                    SELECT seq, payload->'session'->>'label' AS label FROM event_log
                    WHERE gateway = ? AND event = 'sessions.changed' ORDER BY id""", name);
            assertEquals(seqs.get(name), logged.stream().map(r -> ((Number) r.get("seq")).longValue()).toList(), name);
            assertEquals(IntStream.range(0, EVENTS).mapToObj(i -> label(name, i)).toList(),
                    logged.stream().map(r -> r.get("label")).toList(), name);
        }
        Map<String, String> sessionLabels = new LinkedHashMap<>();
        app.query("SELECT gateway, agent_id, data->>'label' AS label FROM sessions WHERE session_key = ? ORDER BY gateway", KEY)
                .forEach(r -> {
                    assertEquals("main", r.get("agent_id"), String.valueOf(r));
                    sessionLabels.put((String) r.get("gateway"), (String) r.get("label"));
                });
        Map<String, String> expectedLabels = new java.util.TreeMap<>();
        HEALTHY.forEach(n -> expectedLabels.put(n, label(n, EVENTS - 1)));
        expectedLabels.put(FLOOD, FLOOD + " listed");
        assertEquals(expectedLabels, new java.util.TreeMap<>(sessionLabels), "one " + KEY + " per gateway, its own data");
        Map<String, String> agentNames = new java.util.TreeMap<>();
        app.query("SELECT gateway, name FROM agents WHERE agent_id = 'main'")
                .forEach(r -> agentNames.put((String) r.get("gateway"), (String) r.get("name")));
        Map<String, String> expectedNames = new java.util.TreeMap<>();
        concat(HEALTHY, List.of(FLOOD)).forEach(n -> expectedNames.put(n, "Main of " + n));
        assertEquals(expectedNames, agentNames, "one main per connected gateway, its own name");

        // the flood's own events: all stored, in its order
        await("every flood event stored", Duration.ofSeconds(120), () -> floodStored() == floodSent.get());
        assertEquals(0, count("""
                SELECT count(*) FROM (SELECT seq, lag(seq) OVER (ORDER BY id) AS prev FROM event_log
                WHERE gateway = 'flood' AND event = 'sessions.changed') t WHERE prev IS NOT NULL AND seq <> prev + 1"""));

        // nobody was disturbed: one connection each, no gap; the refused and the pairing one as they were
        for (String name : concat(HEALTHY, List.of(FLOOD))) {
            assertEquals(GatewayState.CONNECTED, client(name).getGatewayState(), name);
            assertEquals(1, gateways.get(name).connections.size(), name + " reconnected");
            assertEquals(0, client(name).getSeqGaps(), name);
        }
        assertEquals(GatewayState.FAILED, client(REFUSED).getGatewayState());
        assertEquals(1, gateways.get(REFUSED).connections.size());
        assertEquals(GatewayState.PAIRING, client(UNPAIRED).getGatewayState());
    }

    /**
     * The refused gateway stays failed after one attempt (its poller's timer ran three times meanwhile: the
     * application's own clock, by which a retry would have come after the test's 100 ms backoff), readiness is UP with
     * the refused and the pairing gateway named in their own checks, and JMX says the same under the refused gateway's
     * name.
     */
    private void assertRefusedAlone(NotifyBuilder refusedChecks) throws Exception {
        assertTrue(refusedChecks.matches(15, TimeUnit.SECONDS), "the refused gateway's poller timer ran 3 times");
        assertEquals(1, gateways.get(REFUSED).connections.size(), "no retry after the refused token");
        assertEquals(1, client(REFUSED).getConnectAttempts());

        HttpResponse<String> ready = app.get("/observe/health/ready?exposureLevel=full&data=true");
        assertEquals(200, ready.statusCode(), "the others serve: " + ready.body());
        Map<String, Map<String, Object>> checks = checks(ready.body());
        Map<String, Object> refused = checks.get("gateway-" + REFUSED);
        assertEquals("UP", refused.get("status"), "not required: " + refused);
        assertTrue(String.valueOf(refused.get("message")).contains("AUTH_TOKEN_MISMATCH"), String.valueOf(refused));
        assertEquals("failed", ((Map<?, ?>) refused.get("data")).get("state"), String.valueOf(refused));
        Map<String, Object> unpaired = checks.get("gateway-" + UNPAIRED);
        assertTrue(String.valueOf(unpaired.get("message")).contains("openclaw devices approve"), String.valueOf(unpaired));
        for (String name : concat(HEALTHY, List.of(FLOOD))) {
            assertEquals("UP", checks.get("gateway-" + name).get("status"), name);
            assertEquals("connected", ((Map<?, ?>) checks.get("gateway-" + name).get("data")).get("state"), name);
        }
        assertTrue(!ready.body().contains(FakeGateway.TOKEN) && !ready.body().contains("the-refused-gateways-own-token"));

        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = jmx.queryNames(new ObjectName(
                "org.apache.camel:type=gateways,gateway=" + REFUSED + ",name=GatewayClient,*"), null);
        assertEquals(1, names.size(), String.valueOf(names));
        ObjectName mbean = names.iterator().next();
        assertEquals("failed", jmx.getAttribute(mbean, "ConnectionState"));
        assertEquals("AUTH_TOKEN_MISMATCH", jmx.getAttribute(mbean, "ErrorCode"));

        Map<String, String> states = new java.util.TreeMap<>();
        app.query("SELECT name, state FROM gateways").forEach(r -> states.put((String) r.get("name"), (String) r.get("state")));
        HEALTHY.forEach(n -> assertEquals("connected", states.get(n), String.valueOf(states)));
    }

    /**
     * sessions.changed on {@code conn} as fast as Control Center takes them (at most {@link #FLOOD_IN_FLIGHT} not yet
     * in the socket), to 30 session keys of agent main, until stopped.
     */
    private Thread startFlood(FakeGateway.Conn conn, AtomicLong sent) {
        Semaphore inFlight = new Semaphore(FLOOD_IN_FLIGHT);
        Thread t = new Thread(() -> {
            for (int i = 0; i < FLOOD_CAP && !stopFlood.get(); i++) {
                Map<String, Object> row = FakeFleet.session("agent:main:f" + (i % 30), "main", t0 + i);
                row.put("label", FLOOD + "#" + i);
                String frame = conn.eventText("sessions.changed", FakeFleet.sessionsChanged(row, "patch", t0 + i));
                while (!inFlight.tryAcquire()) {
                    if (stopFlood.get() || conn.ws.isClosed()) {
                        return;
                    }
                    LockSupport.parkNanos(100_000);
                }
                conn.ws.writeTextMessage(frame).onComplete(ar -> inFlight.release());
                sent.incrementAndGet();
            }
        }, "flood");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private long floodStored() {
        return count("SELECT count(*) FROM event_log WHERE gateway = 'flood' AND event = 'sessions.changed'");
    }

    private static String label(String gateway, int i) {
        return gateway + "#" + i;
    }

    private GatewayClient client(String name) {
        return app.context().getComponent("openclaw", OpenClawComponent.class).client(name);
    }

    private long count(String sql) {
        return ((Number) app.query(sql).get(0).values().iterator().next()).longValue();
    }

    /** Indexes in {@code stream.events} of its session.update messages. */
    private static List<Integer> sessionUpdates(SseStream stream) {
        List<Integer> indexes = new ArrayList<>();
        List<SseStream.Event> events = stream.events;
        for (int i = 0; i < events.size(); i++) {
            if ("session.update".equals(events.get(i).event())) {
                indexes.add(i);
            }
        }
        return indexes;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> checks(String health) throws IOException {
        Map<String, Map<String, Object>> checks = new LinkedHashMap<>();
        for (Object c : (List<Object>) Json.parseObject(health).get("checks")) {
            Map<String, Object> check = (Map<String, Object>) c;
            checks.put((String) check.get("name"), check);
        }
        return checks;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
