package io.controlcenter.chat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What a dashboard shows of a run after one chat event: the text so far, the increment to append and whether it
 * replaces the text instead. Payloads as the real gateway sends them (docs/PROTOCOL-NOTES.md, "Chat"): a delta with
 * {@code deltaText} and the cumulative {@code message}, a final with the whole message.
 */
class ChatTextTest {

    /** An assistant message as the gateway's chat events carry it: content as text parts. */
    private static Map<String, Object> message(String text) {
        return Map.of("role", "assistant", "content", List.of(Map.of("type", "text", "text", text)),
                "timestamp", 1_795_236_094_355L);
    }

    private static Map<String, Object> payload(Object... fields) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("runId", "run-1");
        p.put("sessionKey", "agent:main:main");
        p.put("seq", 4);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            p.put((String) fields[i], fields[i + 1]);
        }
        return p;
    }

    @Test
    void aCumulativeMessageBecomesTheIncrementOverWhatWasShown() {
        assertEquals(new ChatText("Hello", "lo", false),
                ChatText.after("Hel", "delta", payload("message", message("Hello"))));
    }

    @Test
    void theFirstCumulativeMessageIsAllIncrement() {
        assertEquals(new ChatText("Hel", "Hel", false), ChatText.after("", "delta", payload("message", message("Hel"))));
    }

    @Test
    void aDeltaTextWithoutMessageIsAppended() {
        assertEquals(new ChatText("Hello", "lo", false), ChatText.after("Hel", "delta", payload("deltaText", "lo")));
    }

    @Test
    void aDeltaWithDeltaTextAndMessageShowsTheMessageAndAppendsTheDeltaText() {
        assertEquals(new ChatText("Hello world", " world", false),
                ChatText.after("Hello", "delta", payload("deltaText", " world", "message", message("Hello world"))));
    }

    @Test
    void aCumulativeTextThatNoLongerExtendsWhatWasShownReplacesIt() {
        assertEquals(new ChatText("Best", "Best", true),
                ChatText.after("Better", "delta", payload("message", message("Best"))));
    }

    @Test
    void aDeltaTextBesideAMessageThatNoLongerExtendsWhatWasShownReplacesItWithTheMessage() {
        // " again" is relative to the gateway's last text, not to "Hello there": the message says what the text is
        assertEquals(new ChatText("Hello world again", "Hello world again", true),
                ChatText.after("Hello there", "delta", payload("deltaText", " again", "message", message("Hello world again"))));
    }

    @Test
    void theGatewaysReplaceFlagReplacesWithTheDeltaText() {
        assertEquals(new ChatText("Better", "Better", true),
                ChatText.after("Draft", "delta", payload("deltaText", "Better", "replace", true)));
    }

    @Test
    void aFinalsMessageWinsOverTheSumOfTheDeltas() {
        // the deltas added up to "Hello wrld"; the final says what the answer is
        assertEquals(new ChatText("Hello world", "Hello world", true),
                ChatText.after("Hello wrld", "final", payload("stopReason", "stop", "message", message("Hello world"))));
    }

    @Test
    void aFinalThatExtendsTheTextAddsOnlyTheRest() {
        assertEquals(new ChatText("Hello world!", "!", false),
                ChatText.after("Hello world", "final", payload("stopReason", "stop", "message", message("Hello world!"))));
    }

    @Test
    void aFinalWithTheTextAlreadyShownAddsNothing() {
        assertEquals(new ChatText("Hello world", null, false),
                ChatText.after("Hello world", "final", payload("stopReason", "stop", "message", message("Hello world"))));
    }

    @Test
    void anAbortKeepsThePartialTextItCarries() {
        assertEquals(new ChatText("word0 word1", null, false),
                ChatText.after("word0 word1", "aborted", payload("stopReason", "rpc", "message", message("word0 word1"))));
    }

    @Test
    void anErrorWithoutMessageKeepsTheTextShown() {
        assertEquals(new ChatText("Partial", null, false),
                ChatText.after("Partial", "error", payload("errorMessage", "No API key found for provider \"mock\"")));
    }

    @Test
    void aStatusChangesNoText() {
        assertEquals(new ChatText("Hello", null, false),
                ChatText.after("Hello", "status", payload("phase", "starting_model")));
    }

    @Test
    void theTextOfAStringContentIsTheString() {
        assertEquals("hi mock", ChatText.messageText(Map.of("role", "user", "content", "hi mock")));
    }

    @Test
    void theTextOfTextPartsIsTheirTextJoined() {
        assertEquals("Hello from the mock model.", ChatText.messageText(Map.of("role", "assistant", "content", List.of(
                Map.of("type", "text", "text", "Hello from "),
                Map.of("type", "text", "text", "the mock model.")))));
    }

    @Test
    void partsThatAreNotTextAddNothing() {
        assertEquals("Done.", ChatText.messageText(Map.of("role", "assistant", "content", List.of(
                Map.of("type", "thinking", "thinking", "the user wants a short answer"),
                Map.of("type", "toolCall", "id", "call-1", "name", "sessions_list", "arguments", Map.of()),
                Map.of("type", "text", "text", "Done.")))));
    }

    @Test
    void theTextOfAMessageWithoutContentIsItsTextField() {
        assertEquals("note", ChatText.messageText(Map.of("role", "assistant", "text", "note")));
    }

    @Test
    void aMessageGivenAsAStringIsItsOwnText() {
        assertEquals("plain", ChatText.messageText("plain"));
    }

    @Test
    void noMessageHasNoText() {
        assertNull(ChatText.messageText(null));
        assertNull(ChatText.messageText(42));
    }
}
