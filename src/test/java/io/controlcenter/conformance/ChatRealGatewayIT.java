package io.controlcenter.conformance;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.controlcenter.gateway.Json;
import io.controlcenter.support.RealGateway;
import io.controlcenter.support.RealGatewayTestSupport;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chat against the real OpenClaw gateway and the mock model: send, stream, abort, inject, idempotent retry. */
@Tag("real-gateway")
class ChatRealGatewayIT extends RealGatewayTestSupport {

    private final java.util.List<SseStream> streams = new java.util.ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        startConnected(RealGateway.startWithMockModel());
    }

    @org.junit.jupiter.api.AfterEach
    void closeStreams() {
        streams.forEach(SseStream::close);
    }

    private SseStream stream(String session) {
        SseStream s = SseStream.open(app.port(), "/api/events?session=" + URLEncoder.encode(session, StandardCharsets.UTF_8));
        streams.add(s);
        return s;
    }

    private static Map<String, Object> json(String text) {
        try {
            return Json.parseObject(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static List<Map<String, Object>> chats(SseStream s, String runId) {
        return s.events.stream().filter(e -> "chat".equals(e.event())).map(e -> json(e.data()))
                .filter(c -> runId.equals(c.get("runId"))).toList();
    }

    private static Map<String, Object> awaitState(SseStream s, String runId, String state, Duration timeout) {
        await(runId + " " + state, timeout, () -> chats(s, runId).stream().anyMatch(c -> state.equals(c.get("state"))));
        return chats(s, runId).stream().filter(c -> state.equals(c.get("state"))).findFirst().orElseThrow();
    }

    private static HttpResponse<String> send(String session, String message, String key) {
        return app.post("/api/sessions/" + session + "/messages", Json.write(Map.of("message", message, "idempotencyKey", key)));
    }

    private static Map<String, Object> run(String runId) {
        return json(app.get("/api/runs/" + runId).body());
    }

    @Test
    void sendStreamsTheMockModelsReplyAndARetryStartsNoNewRun() {
        String session = "agent:main:main";
        SseStream s = stream(session);
        String key = UUID.randomUUID().toString();
        long t0 = System.nanoTime();
        HttpResponse<String> r = send(session, "hi mock", key);
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(key, json(r.body()).get("runId"));
        assertEquals("started", json(r.body()).get("status"));

        Map<String, Object> fin = awaitState(s, key, "final", Duration.ofSeconds(60));
        System.out.printf("chat.send to final pushed: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertEquals("Hello from the mock model.", fin.get("text"));
        List<Map<String, Object>> events = chats(s, key);
        List<Map<String, Object>> deltas = events.stream().filter(e -> "delta".equals(e.get("state"))).toList();
        assertFalse(deltas.isEmpty(), "no deltas: " + events);
        StringBuilder appended = new StringBuilder();
        events.forEach(e -> appended.append(e.get("deltaText") == null ? "" : e.get("deltaText")));
        assertEquals("Hello from the mock model.", appended.toString(), "the increments add up to the text");
        assertEquals(1, events.stream().filter(e -> "final".equals(e.get("state"))).count());
        events.forEach(e -> assertEquals(false, e.get("proactive")));

        await("run stored", Duration.ofSeconds(5), () -> "final".equals(run(key).get("state")));
        Map<String, Object> stored = run(key);
        assertEquals("Hello from the mock model.", stored.get("text"));
        assertEquals("main", stored.get("agentId"));
        assertTrue(((List<?>) stored.get("messages")).size() == 2, stored.toString());

        HttpResponse<String> again = send(session, "hi mock", key);
        assertEquals(202, again.statusCode(), again.body());
        assertEquals("duplicate", json(again.body()).get("status"));
        // and the gateway itself, asked again with the same key, starts no run either
        Map<String, Object> direct = Json.map(app.call("chat.send",
                Map.of("sessionKey", session, "message", "hi mock", "idempotencyKey", key)));
        assertEquals(key, direct.get("runId"));
        assertTrue(!"started".equals(direct.get("status")), direct.toString());
        HttpResponse<String> h = app.get("/api/sessions/" + session + "/history?limit=50");
        assertEquals(200, h.statusCode(), h.body());
        List<Map<String, Object>> messages = (List<Map<String, Object>>) json(h.body()).get("messages");
        assertEquals(1, messages.stream().filter(m -> "user".equals(m.get("role")) && key.equals(m.get("runId"))).count(),
                "user messages of the run in the history: " + messages);
        assertEquals(1, messages.stream().filter(m -> "assistant".equals(m.get("role")) && key.equals(m.get("runId"))).count());
    }

    @Test
    void abortOfASlowRunKeepsThePartialText() {
        String session = "agent:main:abort-test";
        SseStream s = stream(session);
        String key = UUID.randomUUID().toString();
        assertEquals(202, send(session, "ABORTME please stream slowly", key).statusCode());
        await("two deltas", Duration.ofSeconds(60),
                () -> chats(s, key).stream().filter(e -> "delta".equals(e.get("state"))).count() >= 2);
        HttpResponse<String> r = app.post("/api/sessions/" + session + "/abort", Json.write(Map.of("runId", key)));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(true, json(r.body()).get("aborted"));
        Map<String, Object> aborted = awaitState(s, key, "aborted", Duration.ofSeconds(10));
        String partial = (String) aborted.get("text");
        assertTrue(partial.startsWith("word0 word1"), partial);
        assertFalse(partial.contains("word39"), partial);
        await("stored", Duration.ofSeconds(5), () -> "aborted".equals(run(key).get("state")));
        assertEquals(partial, run(key).get("text"));
    }

    @Test
    void anInjectedNoteIsStreamedAndInTheHistory() {
        String session = "agent:main:main";
        SseStream s = stream(session);
        HttpResponse<String> r = app.post("/api/sessions/" + session + "/inject",
                Json.write(Map.of("message", "injected note", "label", "cc")));
        assertEquals(200, r.statusCode(), r.body());
        String runId = (String) json(r.body()).get("runId");
        Map<String, Object> fin = awaitState(s, runId, "final", Duration.ofSeconds(10));
        assertEquals("[cc]\n\ninjected note", fin.get("text"));
        assertEquals(false, fin.get("proactive"));
        List<Map<String, Object>> messages = (List<Map<String, Object>>) json(
                app.get("/api/sessions/" + session + "/history?limit=50").body()).get("messages");
        assertTrue(messages.stream().anyMatch(m -> "[cc]\n\ninjected note".equals(m.get("text"))), messages.toString());
    }
}
