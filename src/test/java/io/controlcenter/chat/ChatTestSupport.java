package io.controlcenter.chat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.fleet.FleetTestSupport;
import io.controlcenter.gateway.Json;
import io.controlcenter.support.FakeChat;
import io.controlcenter.support.SseStream;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The application synced against the in-process gateway with its chat side ({@link FakeChat}). */
abstract class ChatTestSupport extends FleetTestSupport {

    static final String SESSION = "agent:main:s0";
    protected final FakeChat chat = new FakeChat(gateway);

    protected void startChat() {
        fleet.agents(2).sessions(2, 1_000);
        startSynced(2);
    }

    protected SseStream chatStream(String session) {
        return sse("/api/events?session=" + URLEncoder.encode(session, StandardCharsets.UTF_8));
    }

    protected HttpResponse<String> send(String session, String message, String idempotencyKey) {
        String body = idempotencyKey == null ? Json.write(Map.of("message", message))
                : Json.write(Map.of("message", message, "idempotencyKey", idempotencyKey));
        return app.post("/api/sessions/" + session + "/messages", body);
    }

    /** Sends and expects 202 with the run id. */
    protected String sendOk(String session, String message, String idempotencyKey) {
        HttpResponse<String> r = send(session, message, idempotencyKey);
        assertEquals(202, r.statusCode(), r.body());
        return (String) json(r.body()).get("runId");
    }

    /** The chat events of a stream for one run, data parsed. */
    protected static List<Map<String, Object>> chats(SseStream s, String runId) {
        return events(s, "chat").stream().filter(c -> runId.equals(c.get("runId"))).toList();
    }

    /** Waits until the stream has a chat event of the run in {@code state}. */
    protected static void awaitState(SseStream s, String runId, String state) {
        await(runId + " " + state + " pushed", Duration.ofSeconds(5),
                () -> chats(s, runId).stream().anyMatch(c -> state.equals(c.get("state"))));
    }

    protected Map<String, Object> run(String runId) {
        HttpResponse<String> r = app.get("/api/runs/" + runId);
        assertEquals(200, r.statusCode(), r.body());
        return json(r.body());
    }

    protected static List<Object> field(List<Map<String, Object>> events, String name) {
        return events.stream().map(e -> e.get(name)).toList();
    }
}
