package io.controlcenter.chat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import io.controlcenter.gateway.Json;
import io.controlcenter.support.FakeChat;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Abort keeps the partial text; inject shows up in the stream and the history; history is the gateway's. */
class ChatAbortInjectTest extends ChatTestSupport {

    @Test
    void abortBeforeTheFinalKeepsThePartialText() {
        startChat();
        SseStream s = chatStream(SESSION);
        sendOk(SESSION, "ABORTME slowly", "slow");
        FakeChat.Run run = chat.run("slow").status("starting_model").delta("word0").delta(" word1");
        awaitState(s, "slow", "delta");

        HttpResponse<String> r = app.post("/api/sessions/" + SESSION + "/abort", Json.write(Map.of("runId", "slow")));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(true, json(r.body()).get("aborted"));
        assertEquals(List.of("slow"), json(r.body()).get("runIds"));
        awaitState(s, "slow", "aborted");
        run.finish("word0 word1 word2"); // the run's own final, too late
        sendOk(SESSION, "marker", "marker");
        chat.run("marker").status("preparing_context");
        awaitState(s, "marker", "status");

        List<Map<String, Object>> events = chats(s, "slow");
        assertEquals(List.of("status", "delta", "delta", "aborted"), field(events, "state"));
        assertEquals("word0 word1", events.get(3).get("text"));
        assertEquals("rpc", events.get(3).get("stopReason"));
        Map<String, Object> stored = run("slow");
        assertEquals("aborted", stored.get("state"));
        assertEquals("word0 word1", stored.get("text"));

        chat.run("marker").finish("done");
        HttpResponse<String> nothing = app.post("/api/sessions/" + SESSION + "/abort", "");
        assertEquals(200, nothing.statusCode(), nothing.body());
        assertEquals(false, json(nothing.body()).get("aborted"));
    }

    @Test
    void anInjectedNoteIsPushedStoredAndInTheHistory() {
        startChat();
        SseStream s = chatStream(SESSION);
        HttpResponse<String> r = app.post("/api/sessions/" + SESSION + "/inject",
                Json.write(Map.of("message", "maintenance at noon", "label", "ops")));
        assertEquals(200, r.statusCode(), r.body());
        String runId = (String) json(r.body()).get("runId");
        assertEquals("inject-" + json(r.body()).get("messageId"), runId);
        awaitState(s, runId, "final");

        Map<String, Object> pushed = chats(s, runId).get(0);
        assertEquals("[ops]\n\nmaintenance at noon", pushed.get("text"));
        assertEquals("inject", pushed.get("kind"));
        assertEquals(false, pushed.get("proactive"));
        Map<String, Object> stored = run(runId);
        assertEquals("final", stored.get("state"));
        assertEquals("inject", stored.get("kind"));
        assertEquals("control-center", stored.get("startedBy"));

        sendOk(SESSION, "and a question", "q1");
        chat.run("q1").delta("An answer").finish("An answer.");
        awaitState(s, "q1", "final");
        HttpResponse<String> h = app.get("/api/sessions/" + SESSION + "/history?limit=10");
        assertEquals(200, h.statusCode(), h.body());
        List<Map<String, Object>> messages = (List<Map<String, Object>>) json(h.body()).get("messages");
        assertEquals(List.of("[ops]\n\nmaintenance at noon", "and a question", "An answer."), field(messages, "text"));
        assertEquals(List.of(runId, "q1", "q1"), field(messages, "runId"));
        assertEquals(Map.of("sessionKey", SESSION, "limit", 10), chatHistoryParams());
    }

    @Test
    void aMissingMessageOrGatewayRefusalIsReported() {
        startChat();
        HttpResponse<String> noMessage = app.post("/api/sessions/" + SESSION + "/inject", "{}");
        assertEquals(400, noMessage.statusCode());
        gateway.method("chat.abort", (conn, req) -> conn.respondError(req.get("id"),
                Map.of("code", "INVALID_REQUEST", "message", "invalid chat.abort params")));
        HttpResponse<String> refused = app.post("/api/sessions/" + SESSION + "/abort", "{}");
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals("INVALID_REQUEST", json(refused.body()).get("code"));
        assertTrue(json(refused.body()).get("error").toString().contains("invalid chat.abort params"), refused.body());
    }

    private Map<String, Object> chatHistoryParams() {
        return gateway.last().received.stream().filter(f -> "chat.history".equals(f.get("method")))
                .map(f -> (Map<String, Object>) f.get("params")).reduce((a, b) -> b).orElseThrow();
    }
}
