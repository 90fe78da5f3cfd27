package io.controlcenter.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.FakeChat;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What the gateway sends twice, late or out of order reaches dashboards and the database once, in order. */
class ChatDuplicatesTest extends ChatTestSupport {

    @Test
    void aFailedRunIsPushedAndStoredWithItsFirstError() {
        startChat();
        SseStream s = chatStream(SESSION);
        sendOk(SESSION, "hello", "failing");
        FakeChat.Run run = chat.run("failing").status("starting_model");
        // as the real gateway does without a provider: an error with the agent, then a second one for the same run
        run.sendWithSeq(5, "error", Map.of("errorMessage", "No route-compatible authentication source is configured"));
        run.sendWithSeq(1, "error", Map.of("errorMessage", "Agent failed before reply"));
        sendOk(SESSION, "next", "after"); // a later event on the same connection shows the second error was processed
        chat.run("after").status("preparing_context");
        awaitState(s, "after", "status");

        List<Map<String, Object>> events = chats(s, "failing");
        assertEquals(List.of("status", "error"), field(events, "state"));
        assertEquals("No route-compatible authentication source is configured", events.get(1).get("errorMessage"));
        Map<String, Object> stored = run("failing");
        assertEquals("error", stored.get("state"));
        assertEquals("No route-compatible authentication source is configured", stored.get("errorMessage"));
        assertEquals(1L, count("SELECT count(*) FROM event_log WHERE event = 'chat' AND payload->>'runId' = 'failing'"
                + " AND payload->>'state' = 'error'"));
        await("agent working on the next run", Duration.ofSeconds(5),
                () -> "working".equals(json(app.get("/api/agents/main").body()).get("status")));
        assertEquals(1, app.metrics().value("controlcenter_chat_events_dropped_total", "reason=\"duplicate\""));
        assertEquals(3, app.metrics().value("controlcenter_chat_events_accepted_total"));
    }

    @Test
    void anOlderDeltaAfterANewerOneIsDroppedAndTheTextStaysWhole() {
        startChat();
        SseStream s = chatStream(SESSION);
        sendOk(SESSION, "count", "ooo");
        FakeChat.Run run = chat.run("ooo");
        run.sendWithSeq(6, "delta", Map.of("deltaText", "one", "message", FakeChat.message("one")));
        run.sendWithSeq(10, "delta", Map.of("deltaText", " three", "message", FakeChat.message("one two three")));
        run.sendWithSeq(8, "delta", Map.of("deltaText", " two", "message", FakeChat.message("one two")));
        run.sendWithSeq(14, "final", Map.of("message", FakeChat.message("one two three."), "stopReason", "stop"));
        awaitState(s, "ooo", "final");

        List<Map<String, Object>> events = chats(s, "ooo");
        assertEquals(List.of(6, 10, 14), field(events, "seq"));
        assertEquals(List.of("one", "one two three", "one two three."), field(events, "text"));
        assertEquals("one two three.", run("ooo").get("text"));
    }

    @Test
    void aRunNobodySentIsRecordedAndPushedAsProactive() {
        startChat();
        SseStream s = chatStream(SESSION);
        FakeChat.Run cron = chat.proactive("cron-run-1", SESSION).status("starting_model").delta("Daily ").delta("digest");
        cron.finish("Daily digest ready.");
        // late events of the finished run, within the cooldown
        cron.delta(" again");
        cron.finish("Something else");
        sendOk(SESSION, "marker", "marker");
        chat.run("marker").status("preparing_context");
        awaitState(s, "marker", "status");

        List<Map<String, Object>> events = chats(s, "cron-run-1");
        assertEquals(List.of("status", "delta", "delta", "final"), field(events, "state"));
        events.forEach(e -> assertEquals(true, e.get("proactive"), e.toString()));
        events.forEach(e -> assertNull(e.get("startedBy"), e.toString()));
        Map<String, Object> stored = run("cron-run-1");
        assertEquals(true, stored.get("proactive"));
        assertNull(stored.get("startedBy"));
        assertEquals("Daily digest ready.", stored.get("text"));
        assertEquals(List.of("assistant"), ((List<Map<String, Object>>) stored.get("messages")).stream()
                .map(m -> m.get("role")).toList());
        assertEquals(false, chats(s, "marker").get(0).get("proactive"));
    }

    @Test
    void replayFromTheEventLogGivesTheSameChatEvents() {
        startChat();
        SseStream live = chatStream(SESSION);
        sendOk(SESSION, "replay me", "replayed");
        chat.run("replayed").delta("a").delta("b").finish("ab");
        awaitState(live, "replayed", "final");
        long before = live.events.get(0).idNumber() - 1;
        SseStream replay = sse("/api/events?session=" + SESSION, "Last-Event-ID", String.valueOf(before));
        await("replayed", Duration.ofSeconds(5), () -> chats(replay, "replayed").size() == 3);
        assertEquals(chats(live, "replayed"), chats(replay, "replayed"));
    }
}
