package io.controlcenter.chat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static io.controlcenter.chat.GatewayHistory.assistant;
import static io.controlcenter.chat.GatewayHistory.history;
import static io.controlcenter.chat.GatewayHistory.note;
import static io.controlcenter.chat.GatewayHistory.run;
import static io.controlcenter.chat.GatewayHistory.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a run that was in flight while the connection was down ended, read from its session's history after the
 * reconnect: the terminal chat event it gets ({@code source: reconcile}), or none while it still runs.
 */
class ChatHistoryOutcomeTest {

    @Test
    void aRunWhoseReplyIsInTheHistoryEndsFinalWithTheRepliesText() {
        Map<String, Object> reply = assistant("away", "Finished while you were away.", "stop");
        Map<String, Object> event = ChatHistory.outcome(run("away"), history(List.of(), user("away", "long task"), reply));

        assertEquals("final", event.get("state"));
        assertEquals("Finished while you were away.", ChatText.messageText(event.get("message")));
        assertEquals("stop", event.get("stopReason"));
        assertEquals(reply.get("usage"), event.get("usage"));
    }

    @Test
    void theSettledEventNamesTheRunAndComesFromTheReconcile() {
        Map<String, Object> event = ChatHistory.outcome(run("away"),
                history(List.of(), user("away", "long task"), assistant("away", "Done.", "stop")));

        assertEquals("away", event.get("runId"));
        assertEquals(GatewayHistory.SESSION, event.get("sessionKey"));
        assertEquals("main", event.get("agentId"));
        assertEquals("reconcile", event.get("source"));
        assertFalse(event.containsKey("seq"), "a settled run has no gateway seq: " + event);
    }

    @Test
    void aReplyStoppedByAnAbortEndsAborted() {
        Map<String, Object> event = ChatHistory.outcome(run("slow"),
                history(List.of(), user("slow", "ABORTME slowly"), assistant("slow", "word0 word1", "aborted")));

        assertEquals("aborted", event.get("state"));
        assertEquals("aborted", event.get("stopReason"));
        assertEquals("word0 word1", ChatText.messageText(event.get("message")));
    }

    @Test
    void aReplyThatStoppedOnAnErrorEndsInErrorWithItsText() {
        Map<String, Object> event = ChatHistory.outcome(run("failing"), history(List.of(), user("failing", "hi"),
                assistant("failing", "The model provider answered 500.", "error")));

        assertEquals("error", event.get("state"));
        assertEquals("The model provider answered 500.", event.get("errorMessage"));
    }

    @Test
    void theNoteOfARunThatFailedBeforeReplyingEndsItInErrorWithTheNotesText() {
        Map<String, Object> event = ChatHistory.outcome(run("failing"), history(List.of(), user("failing", "hi"),
                note("failing", "No API key found for provider \"mock\".")));

        assertEquals("error", event.get("state"));
        assertEquals("No API key found for provider \"mock\".", event.get("errorMessage"));
    }

    @Test
    void aRunTheSessionStillListsAsActiveHasNoOutcomeYet() {
        assertNull(ChatHistory.outcome(run("going"), history(List.of("going"), user("going", "still going"))));
    }

    @Test
    void aRunThatWasSentButEndedWithoutAReplyEndsInError() {
        Map<String, Object> event = ChatHistory.outcome(run("lost"), history(List.of(), user("lost", "hello?")));

        assertEquals("error", event.get("state"));
        assertTrue(String.valueOf(event.get("errorMessage")).contains("ended without a reply"), String.valueOf(event));
    }

    @Test
    void theReplyOfAnotherRunDoesNotSettleThisOne() {
        Map<String, Object> event = ChatHistory.outcome(run("lost"), history(List.of(),
                user("other", "first"), assistant("other", "Answer to first.", "stop"), user("lost", "second")));

        assertEquals("error", event.get("state"));
        assertNull(event.get("message"));
    }

    @Test
    void aRunTheGatewayNeverReceivedHasNoOutcome() {
        assertNull(ChatHistory.outcome(run("while-down"),
                history(List.of(), user("other", "first"), assistant("other", "Answer to first.", "stop"))));
    }

    @Test
    void aRunWithoutUserMessageReplyOrActiveRunWasNeverReceived() {
        assertTrue(ChatHistory.neverReceived(run("while-down"),
                history(List.of(), user("other", "first"), assistant("other", "Answer to first.", "stop"))));
    }

    @Test
    void aRunWhoseUserMessageIsInTheHistoryWasReceived() {
        assertFalse(ChatHistory.neverReceived(run("lost"), history(List.of(), user("lost", "hello?"))));
    }

    @Test
    void aRunStillActiveWasReceived() {
        // proactive runs (cron, heartbeat) have no user message of ours, but the session lists them
        assertFalse(ChatHistory.neverReceived(run("cron-1"), history(List.of("cron-1"))));
    }

    @Test
    void aRunWithAReplyWasReceived() {
        assertFalse(ChatHistory.neverReceived(run("cron-1"),
                history(List.of(), assistant("cron-1", "Daily report.", "stop"))));
    }

    @Test
    void aRunWithToolCallsEndsWithItsLastReplyNotItsFirst() {
        Map<String, Object> toolCall = assistant("tools", "", "toolUse");
        Map<String, Object> toolResult = new java.util.LinkedHashMap<>(Map.of("role", "toolResult", "content", "42 files",
                "__openclaw", Map.of("id", "entry-t-tools", "runId", "tools", "seq", 3)));
        Map<String, Object> event = ChatHistory.outcome(run("tools"), history(List.of(), user("tools", "count the files"),
                toolCall, toolResult, assistant("tools", "There are 42 files.", "stop")));

        assertEquals("final", event.get("state"));
        assertEquals("There are 42 files.", ChatText.messageText(event.get("message")));
    }

    @Test
    void aRunStillActiveAfterAToolCallHasNoOutcomeYet() {
        assertNull(ChatHistory.outcome(run("tools"), history(List.of("tools"), user("tools", "count the files"),
                assistant("tools", "", "toolUse"))));
    }

    @Test
    void aRunThatEndedOnAToolCallWithoutAFinalReplyEndsInError() {
        Map<String, Object> event = ChatHistory.outcome(run("tools"), history(List.of(), user("tools", "count the files"),
                assistant("tools", "", "toolUse")));

        assertEquals("error", event.get("state"));
        assertEquals("the run ended without a reply while Control Center was disconnected", event.get("errorMessage"));
    }

    @Test
    void aFailedReplyNamesTheGatewaysErrorMessageOverItsEmptyText() {
        Map<String, Object> reply = assistant("failing", "", "error");
        reply.put("errorMessage", "429 rate limited by the provider");
        Map<String, Object> event = ChatHistory.outcome(run("failing"), history(List.of(), user("failing", "hi"), reply));

        assertEquals("error", event.get("state"));
        assertEquals("429 rate limited by the provider", event.get("errorMessage"));
    }

    @Test
    void withoutAHistoryARunIsNotTakenAsNeverReceived() {
        assertFalse(ChatHistory.neverReceived(run("lost"), null));
    }
}
