package io.controlcenter.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.controlcenter.support.FakeChat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The increments, full texts and drops ChatTracker decides, on a clock the test moves. */
class ChatTrackerTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ChatTracker tracker = new ChatTracker(60_000, 10_000, now::get);

    private Map<String, Object> chat(String run, long seq, String state, Object... fields) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("runId", run);
        p.put("sessionKey", "agent:main:main");
        p.put("seq", seq);
        p.put("state", state);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            p.put((String) fields[i], fields[i + 1]);
        }
        return tracker.accept("gw", p);
    }

    @Test
    void incrementsComeFromDeltaTextOrTheCumulativeMessage() {
        assertEquals("Hi", chat("r", 1, "delta", "deltaText", "Hi", "message", FakeChat.message("Hi")).get("deltaText"));
        Map<String, Object> derived = chat("r", 2, "delta", "message", FakeChat.message("Hi there"));
        assertEquals(" there", derived.get("deltaText"));
        assertEquals("Hi there", derived.get("text"));
        Map<String, Object> fin = chat("r", 3, "final", "message", FakeChat.message("Hi there!"));
        assertEquals("!", fin.get("deltaText"));
        assertEquals("Hi there!", fin.get("text"));
        assertEquals(false, fin.get("replace"));
    }

    @Test
    void replaceAndRewrittenTextReplaceWhatWasShown() {
        chat("r", 1, "delta", "deltaText", "Draft", "message", FakeChat.message("Draft"));
        Map<String, Object> replaced = chat("r", 2, "delta", "deltaText", "Better", "replace", true,
                "message", FakeChat.message("Better"));
        assertEquals(true, replaced.get("replace"));
        assertEquals("Better", replaced.get("text"));
        // a cumulative text that no longer extends the last one: the client must replace, not append
        Map<String, Object> rewritten = chat("r", 3, "delta", "message", FakeChat.message("Best"));
        assertEquals(true, rewritten.get("replace"));
        assertEquals("Best", rewritten.get("deltaText"));
        // only deltaText, no message: appended to the text so far
        assertEquals("Best answer", chat("r", 4, "delta", "deltaText", " answer").get("text"));
    }

    @Test
    void duplicatesStaleDeltasAndLateEventsAreDropped() {
        assertNotNull(chat("r", 6, "delta", "deltaText", "a", "message", FakeChat.message("a")));
        assertNull(chat("r", 6, "delta", "deltaText", "a", "message", FakeChat.message("a")), "same seq and state");
        assertNotNull(chat("r", 10, "delta", "deltaText", "bc", "message", FakeChat.message("abc")));
        assertNull(chat("r", 8, "delta", "deltaText", "b", "message", FakeChat.message("ab")), "older than one applied");
        assertEquals("error", chat("r", 12, "error", "errorMessage", "first").get("state"));
        assertNull(chat("r", 1, "error", "errorMessage", "second"), "a second terminal state");
        now.addAndGet(9_000);
        assertNull(chat("r", 14, "final", "message", FakeChat.message("late")), "within the cooldown");
        assertEquals(3, tracker.getDuplicatesDropped());
        assertEquals(1, tracker.getStaleDropped());
        now.addAndGet(2_000);
        chat("other", 1, "status"); // lets the tracker sweep
        assertEquals(1, tracker.getTrackedRuns(), "the finished run is forgotten after the cooldown");
    }

    @Test
    void runsWeDidNotStartAreProactive() {
        tracker.expectRun("gw", "ours");
        assertEquals(false, chat("ours", 1, "status").get("proactive"));
        assertEquals("control-center", chat("ours", 2, "delta", "deltaText", "x").get("startedBy"));
        assertEquals(true, chat("cron", 1, "delta", "deltaText", "x").get("proactive"));
        tracker.expectInject("gw", "agent:main:main");
        assertEquals(false, chat("inject-1", 0, "final", "message", FakeChat.message("[ops]\n\nnote")).get("proactive"));
        assertEquals(true, chat("inject-2", 0, "final", "message", FakeChat.message("from elsewhere")).get("proactive"));
        assertEquals("inject", chat("inject-3", 0, "final").get("kind"));
    }
}
