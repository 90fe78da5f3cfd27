package io.controlcenter.conformance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.controlcenter.gateway.GatewayClient;
import io.controlcenter.gateway.GatewayState;
import io.controlcenter.gateway.Json;
import io.controlcenter.gateway.OpenClawComponent;
import io.controlcenter.gateway.OpenClawConstants;
import io.controlcenter.support.RealGateway;
import io.controlcenter.support.RealGatewayTestSupport;
import io.controlcenter.support.SseStream;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real OpenClaw gateways at once (two processes on free ports, each with the mock model and the agents main,
 * research and ops): Control Center with {@code gateways=default,lab}, each gateway with its own URL and token. Six agent
 * cards, three per gateway, none mixed; a chat on each streams that gateway's mock reply to that gateway's dashboards;
 * with lab stopped its cards go offline while the default gateway's events keep flowing (their latency measured before
 * and during, printed); lab started again is synced again. Both gateways are stopped after the class, also when a step
 * failed.
 */
@Tag("real-gateway")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoRealGatewaysIT extends RealGatewayTestSupport {

    private static final String LAB = "lab";
    private static final List<String> AGENTS = List.of("main", "ops", "research");
    private static final String MOCK_REPLY = "Hello from the mock model.";
    /** Sessions created on the default gateway to measure its events' latency, per phase. */
    private static final int SAMPLES = 5;
    /** The second gateway; the first is {@link #gateway}. */
    private static RealGateway lab;
    private final List<SseStream> streams = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        startTwoWithMockModel(second -> lab = second);
        assertTrue(!gateway.token().equals(lab.token()), "each gateway has a token of its own");
        app = startApp("gateways", "default," + LAB, "gateway." + LAB + ".ws-url", lab.url(),
                "gateway." + LAB + ".token", lab.token());
        await("both connected", Duration.ofSeconds(30), () -> client("default").getGatewayState() == GatewayState.CONNECTED
                && client(LAB).getGatewayState() == GatewayState.CONNECTED);
        await("six agents stored", Duration.ofSeconds(30), () -> agentsByGateway().equals(Map.of(
                "default", AGENTS, LAB, AGENTS)));
    }

    @AfterAll
    static void stop() {
        try {
            stopAppAndGateway();
        } finally {
            if (lab != null) {
                lab.close();
                lab = null;
            }
        }
    }

    @AfterEach
    void closeStreams() {
        streams.forEach(SseStream::close);
    }

    @Test
    @Order(1)
    void sixAgentCardsThreePerGatewayAndAChatOnEachStreamsItsOwnReply() {
        // the database: three agents per gateway, each row under its gateway
        assertEquals(Map.of("default", AGENTS, LAB, AGENTS), agentsByGateway());

        // a dashboard first gets one fleet.update per gateway, each with that gateway's three cards
        SseStream all = stream("/api/events");
        await("a fleet.update per gateway", Duration.ofSeconds(10), () -> all.events.size() >= 2);
        Map<String, List<Object>> cards = new TreeMap<>();
        for (SseStream.Event e : all.events.subList(0, 2)) {
            assertEquals("fleet.update", e.event(), String.valueOf(e));
            Map<String, Object> fleet = e.json();
            List<Map<String, Object>> agents = maps(fleet.get("agents"));
            agents.forEach(card -> assertEquals(fleet.get("gateway"), card.get("gateway"), "a card of another gateway"));
            agents.forEach(card -> assertEquals("idle", card.get("status"), String.valueOf(card)));
            cards.put((String) fleet.get("gateway"), agents.stream().map(c -> c.get("id")).sorted().map(Object.class::cast).toList());
        }
        assertEquals(Map.of("default", new ArrayList<Object>(AGENTS), LAB, new ArrayList<Object>(AGENTS)), cards);

        // a chat on each gateway: its reply streams to its own gateway's dashboard only
        SseStream onDefault = stream("/api/events?gateway=default");
        SseStream onLab = stream("/api/events?gateway=" + LAB);
        String defaultRun = UUID.randomUUID().toString();
        long t0 = System.nanoTime();
        HttpResponse<String> sent = app.post("/api/sessions/agent:main:main/messages",
                Json.write(Map.of("message", "hi mock from default", "idempotencyKey", defaultRun)));
        assertEquals(202, sent.statusCode(), sent.body());
        Map<String, Object> defaultFinal = awaitFinal(onDefault, defaultRun);
        System.out.printf("chat on default: send to final pushed %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertEquals(MOCK_REPLY, defaultFinal.get("text"));

        String labRun = UUID.randomUUID().toString();
        t0 = System.nanoTime();
        String path = sendChatToLab("agent:main:main", "hi mock from lab", labRun);
        Map<String, Object> labFinal = awaitFinal(onLab, labRun);
        System.out.printf("chat on lab (%s): send to final pushed %d ms%n", path, (System.nanoTime() - t0) / 1_000_000);
        assertEquals(MOCK_REPLY, labFinal.get("text"));
        StringBuilder increments = new StringBuilder();
        chats(onLab, labRun).forEach(c -> increments.append(c.get("deltaText") == null ? "" : c.get("deltaText")));
        assertEquals(MOCK_REPLY, increments.toString(), "lab's increments add up to its reply");

        // messages go out in event-log order to every stream: a run of the other gateway would have come before these
        assertEquals(List.of(), chats(onLab, defaultRun), "default's run on lab's dashboard");
        assertEquals(List.of(), chats(onDefault, labRun), "lab's run on default's dashboard");
        assertEquals(List.of(Map.of("gateway", "default", "session_key", "agent:main:main")),
                app.query("SELECT gateway, session_key FROM chat_runs WHERE run_id = ?", defaultRun));
        assertEquals(List.of(Map.of("gateway", LAB, "session_key", "agent:main:main")),
                app.query("SELECT gateway, session_key FROM chat_runs WHERE run_id = ?", labRun));
    }

    @Test
    @Order(2)
    void withLabStoppedItsCardsGoOfflineTheDefaultsEventsFlowAndLabResyncsWhenBack() {
        SseStream onDefault = stream("/api/events?gateway=default");
        SseStream onLab = stream("/api/events?gateway=" + LAB);
        await("lab's fleet", Duration.ofSeconds(10), () -> !fleetUpdates(onLab).isEmpty());

        List<Long> before = sessionLatencies(onDefault, "before");

        long reconnects = client(LAB).getReconnects();
        int seen = onLab.events.size();
        lab.stop();
        await("lab's cards offline", Duration.ofSeconds(30), () -> fleetUpdatesFrom(onLab, seen).stream()
                .anyMatch(f -> statuses(f).equals(Map.of("main", "offline", "ops", "offline", "research", "offline"))));
        assertEquals("reconnecting", app.query("SELECT state FROM gateways WHERE name = ?", LAB).get(0).get("state"));
        assertEquals(GatewayState.CONNECTED, client("default").getGatewayState());
        assertEquals(200, app.get("/observe/health/ready").statusCode(), "the default gateway serves");
        // a dashboard opened now: lab's cards offline, the default gateway's as they were
        SseStream now = stream("/api/events");
        await("a fleet.update per gateway", Duration.ofSeconds(10), () -> now.events.size() >= 2);
        Map<String, Object> fleets = new TreeMap<>();
        now.events.subList(0, 2).forEach(e -> fleets.put((String) e.json().get("gateway"), statuses(e.json())));
        assertEquals(Map.of("default", Map.of("main", "idle", "ops", "idle", "research", "idle"),
                LAB, Map.of("main", "offline", "ops", "offline", "research", "offline")), fleets);

        List<Long> during = sessionLatencies(onDefault, "during");
        System.out.printf("default gateway's session.update, sessions.create to SSE: before lab stopped %s ms, while lab "
                + "is down %s ms%n", millis(before), millis(during));
        during.forEach(ns -> assertTrue(ns < 10_000_000_000L, "default's events keep flowing: " + millis(during)));
        assertTrue(client(LAB).getGatewayState() != GatewayState.CONNECTED, "measured while lab was down");

        int offlineAt = onLab.events.size();
        lab.resume();
        await("lab reconnected", Duration.ofSeconds(60), () -> client(LAB).getGatewayState() == GatewayState.CONNECTED);
        assertTrue(client(LAB).getReconnects() > reconnects);
        await("lab resynced: a new fleet.update with its cards idle", Duration.ofSeconds(30),
                () -> fleetUpdatesFrom(onLab, offlineAt).stream().anyMatch(f -> "websocket".equals(f.get("source"))
                        && statuses(f).equals(Map.of("main", "idle", "ops", "idle", "research", "idle"))));
        assertEquals("connected", app.query("SELECT state FROM gateways WHERE name = ?", LAB).get(0).get("state"));
        assertEquals(Map.of("default", AGENTS, LAB, AGENTS), agentsByGateway());
        onLab.events.forEach(e -> assertEquals(LAB, e.json().get("gateway"), "on lab's dashboard: " + e));
    }

    /**
     * Creates {@link #SAMPLES} sessions on the default gateway, one after the other, and returns for each the time from
     * the call to its session.update on {@code stream} (nanoseconds).
     */
    private static List<Long> sessionLatencies(SseStream stream, String phase) {
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            long t0 = System.nanoTime();
            Map<String, Object> created = Json.map(app.call("sessions.create",
                    Map.of("agentId", "research", "label", "latency-" + phase + "-" + i)));
            String key = (String) created.get("key");
            await("session.update of " + key, Duration.ofSeconds(30), () -> indexOf(stream, key) >= 0);
            latencies.add(stream.receivedAtNanos.get(indexOf(stream, key)) - t0);
        }
        return latencies;
    }

    private static int indexOf(SseStream stream, String sessionKey) {
        List<SseStream.Event> events = stream.events;
        for (int i = 0; i < events.size(); i++) {
            if ("session.update".equals(events.get(i).event()) && sessionKey.equals(events.get(i).json().get("key"))) {
                return i;
            }
        }
        return -1;
    }

    private static String millis(List<Long> nanos) {
        List<Long> sorted = nanos.stream().map(n -> n / 1_000_000).sorted().toList();
        return "median " + sorted.get(sorted.size() / 2) + ", max " + sorted.get(sorted.size() - 1) + " " + sorted;
    }

    /**
     * chat.send to lab: through the per-gateway chat API when this build has it, else (404: not there yet) as a route
     * would, through {@code openclaw:lab?method=chat.send}. Returns which.
     */
    private static String sendChatToLab(String session, String message, String key) {
        Map<String, Object> params = Map.of("sessionKey", session, "message", message, "idempotencyKey", key);
        HttpResponse<String> r = app.post("/api/gateways/" + LAB + "/sessions/" + session + "/messages",
                Json.write(Map.of("message", message, "idempotencyKey", key)));
        if (r.statusCode() != 404) {
            assertEquals(202, r.statusCode(), r.body());
            return "POST /api/gateways/" + LAB + "/sessions/{key}/messages";
        }
        ProducerTemplate template = app.context().createProducerTemplate();
        try {
            Map<String, Object> reply = Json.map(template.requestBodyAndHeader("openclaw:" + LAB + "?method=chat.send",
                    params, OpenClawConstants.METHOD, "chat.send"));
            assertEquals(key, reply.get("runId"), String.valueOf(reply));
        } finally {
            try {
                template.stop();
            } catch (Exception ignored) {
                // nothing held
            }
        }
        return "openclaw:" + LAB + "?method=chat.send";
    }

    private static Map<String, Object> awaitFinal(SseStream s, String runId) {
        await(runId + " final", Duration.ofSeconds(60), () -> chats(s, runId).stream().anyMatch(c -> "final".equals(c.get("state"))));
        return chats(s, runId).stream().filter(c -> "final".equals(c.get("state"))).findFirst().orElseThrow();
    }

    private static List<Map<String, Object>> chats(SseStream s, String runId) {
        return s.events.stream().filter(e -> "chat".equals(e.event())).map(SseStream.Event::json)
                .filter(c -> runId.equals(c.get("runId"))).toList();
    }

    private static List<Map<String, Object>> fleetUpdates(SseStream s) {
        return fleetUpdatesFrom(s, 0);
    }

    private static List<Map<String, Object>> fleetUpdatesFrom(SseStream s, int from) {
        List<SseStream.Event> events = s.events;
        return events.subList(Math.min(from, events.size()), events.size()).stream()
                .filter(e -> "fleet.update".equals(e.event())).map(SseStream.Event::json).toList();
    }

    /** Agent id to status of a fleet.update's cards. */
    private static Map<String, Object> statuses(Map<String, Object> fleet) {
        Map<String, Object> statuses = new TreeMap<>();
        maps(fleet.get("agents")).forEach(card -> statuses.put((String) card.get("id"), card.get("status")));
        return statuses;
    }

    /** Live agents in the database, per gateway, ids sorted. */
    private static Map<String, List<String>> agentsByGateway() {
        Map<String, List<String>> agents = new TreeMap<>();
        app.query("SELECT gateway, agent_id FROM agents WHERE NOT gone ORDER BY gateway, agent_id").forEach(r ->
                agents.computeIfAbsent((String) r.get("gateway"), g -> new ArrayList<>()).add((String) r.get("agent_id")));
        return agents;
    }

    private static GatewayClient client(String name) {
        return app.context().getComponent("openclaw", OpenClawComponent.class).client(name);
    }

    private SseStream stream(String pathAndQuery) {
        SseStream s = SseStream.open(app.port(), pathAndQuery);
        streams.add(s);
        return s;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object list) {
        return (List<Map<String, Object>>) list;
    }
}
