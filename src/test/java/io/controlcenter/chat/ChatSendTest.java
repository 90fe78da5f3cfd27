package io.controlcenter.chat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.FakeChat;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A message sent from the API: streamed to the session's subscribers, recorded, and never started twice. */
class ChatSendTest extends ChatTestSupport {

    @Test
    void sendStreamsDeltasOnceAndRecordsTheFinalText() {
        startChat();
        SseStream session = chatStream(SESSION);
        SseStream otherSession = chatStream("agent:main:s1");
        SseStream everything = sse("/api/events");

        HttpResponse<String> r = send(SESSION, "hi there", "run-1");
        assertEquals(202, r.statusCode(), r.body());
        assertEquals("run-1", json(r.body()).get("runId"));
        assertEquals("started", json(r.body()).get("status"));
        assertEquals(Map.of("sessionKey", SESSION, "message", "hi there", "idempotencyKey", "run-1"), chat.sends.get(0));

        FakeChat.Run run = chat.run("run-1").status("preparing_context").delta("Hel").delta("lo").delta(" world");
        // the same delta again (same seq and state), as a reconnecting gateway may send it
        run.sendWithSeq(run.seq(), "delta", Map.of("deltaText", " world", "message", FakeChat.message("Hello world")));
        run.finish("Hello world!"); // the final text is the truth, not the sum of the deltas
        awaitState(session, "run-1", "final");
        awaitState(everything, "run-1", "final");

        List<Map<String, Object>> events = chats(session, "run-1");
        assertEquals(List.of("status", "delta", "delta", "delta", "final"), field(events, "state"), events.toString());
        assertEquals(Arrays.asList(null, "Hel", "lo", " world", "!"), field(events, "deltaText"), events.toString());
        assertEquals(List.of("", "Hel", "Hello", "Hello world", "Hello world!"), field(events, "text"));
        assertEquals("preparing_context", events.get(0).get("phase"));
        for (Map<String, Object> e : events) {
            assertEquals(SESSION, e.get("sessionKey"));
            assertEquals(false, e.get("proactive"));
            assertEquals(false, e.get("replace"));
        }
        assertEquals(events, chats(everything, "run-1"));
        assertTrue(events(otherSession, "chat").isEmpty(), "another session's subscriber got this run");

        Map<String, Object> stored = run("run-1");
        assertEquals("final", stored.get("state"));
        assertEquals("Hello world!", stored.get("text"));
        assertEquals("stop", stored.get("stopReason"));
        assertEquals("control-center", stored.get("startedBy"));
        assertEquals(false, stored.get("proactive"));
        assertEquals("main", stored.get("agentId"));
        assertNotNull(stored.get("endedAt"));
        assertEquals(List.of(Map.of("role", "user", "text", "hi there"), Map.of("role", "assistant", "text", "Hello world!")),
                ((List<Map<String, Object>>) stored.get("messages")).stream()
                        .map(m -> Map.of("role", m.get("role"), "text", m.get("text"))).toList());
        // the session is idle again and the agent's card says so
        await("idle", Duration.ofSeconds(5), () -> "idle".equals(json(app.get("/api/agents/main").body()).get("status")));
    }

    @Test
    void aRetryWithTheSameKeyStartsNoSecondRun() {
        startChat();
        String runId = sendOk(SESSION, "once", "retry-key");
        HttpResponse<String> again = send(SESSION, "once", "retry-key");
        assertEquals(202, again.statusCode(), again.body());
        assertEquals(runId, json(again.body()).get("runId"));
        assertEquals("duplicate", json(again.body()).get("status"));
        assertEquals(1, chat.sends.size(), "the retry went to the gateway");
        assertEquals(1L, count("SELECT count(*) FROM chat_runs"));
        assertEquals(1L, count("SELECT count(*) FROM chat_messages WHERE role = 'user'"));

        HttpResponse<String> otherSession = send("agent:main:s1", "once", "retry-key");
        assertEquals(409, otherSession.statusCode(), otherSession.body());
        assertTrue(json(otherSession.body()).get("error").toString().contains(SESSION), otherSession.body());

        // without a key one is made, and each request is a new run
        String a = sendOk(SESSION, "one", null);
        String b = sendOk(SESSION, "two", null);
        assertFalse(a.equals(b));
        assertEquals(3, chat.sends.size());
        assertEquals(a, chat.sends.get(1).get("idempotencyKey"));
    }

    @Test
    void badRequestsAreRefusedWithTheReason() {
        startChat();
        HttpResponse<String> noMessage = app.post("/api/sessions/" + SESSION + "/messages", "{\"idempotencyKey\":\"k\"}");
        assertEquals(400, noMessage.statusCode());
        assertEquals("message is required", json(noMessage.body()).get("error"));
        HttpResponse<String> notJson = app.post("/api/sessions/" + SESSION + "/messages", "hello");
        assertEquals(400, notJson.statusCode());
        assertEquals("the body is not a JSON object", json(notJson.body()).get("error"));
        HttpResponse<String> badLimit = app.get("/api/sessions/" + SESSION + "/history?limit=zero");
        assertEquals(400, badLimit.statusCode());
        HttpResponse<String> unknownRun = app.get("/api/runs/nope");
        assertEquals(404, unknownRun.statusCode());
        assertEquals("no run nope", json(unknownRun.body()).get("error"));
        assertTrue(chat.sends.isEmpty());
        assertEquals(0L, count("SELECT count(*) FROM chat_runs"));
    }
}
