package io.controlcenter.chat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static io.controlcenter.chat.GatewayHistory.assistant;
import static io.controlcenter.chat.GatewayHistory.history;
import static io.controlcenter.chat.GatewayHistory.injected;
import static io.controlcenter.chat.GatewayHistory.note;
import static io.controlcenter.chat.GatewayHistory.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The gateway's chat.history as {@code GET /api/sessions/{key}/history} serves it: each message with its text, run and
 * id, without the gateway's {@code __openclaw} metadata; and which run a history message belongs to.
 */
class ChatHistoryForApiTest {

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> messages(Map<String, Object> history) {
        return (List<Map<String, Object>>) ChatHistory.forApi(history).get("messages");
    }

    @Test
    void eachMessageGainsItsTextRunAndId() {
        List<Map<String, Object>> messages = messages(history(List.of(),
                user("r1", "hi mock"), assistant("r1", "Hello from the mock model.", "stop")));

        assertEquals("hi mock", messages.get(0).get("text"));
        assertEquals("r1", messages.get(0).get("runId"));
        assertEquals("entry-u-r1", messages.get(0).get("id"));
        assertEquals("Hello from the mock model.", messages.get(1).get("text"));
        assertEquals("r1", messages.get(1).get("runId"));
        assertEquals("entry-a-r1", messages.get(1).get("id"));
    }

    @Test
    void theGatewaysMetadataIsDropped() {
        List<Map<String, Object>> messages = messages(history(List.of(),
                user("r1", "hi mock"), assistant("r1", "Hello.", "stop"), note("r2", "Run failed.")));

        messages.forEach(m -> assertFalse(m.containsKey("__openclaw"), m.toString()));
    }

    @Test
    void theMessagesKeepTheirOwnFields() {
        Map<String, Object> message = messages(history(List.of(), assistant("r1", "Hello.", "stop"))).get(0);

        assertEquals("assistant", message.get("role"));
        assertEquals(List.of(Map.of("type", "text", "text", "Hello.")), message.get("content"));
        assertEquals("stop", message.get("stopReason"));
        assertEquals(1_795_236_094_355L, message.get("timestamp"));
    }

    @Test
    void theHistorysOwnFieldsStay() {
        Map<String, Object> out = ChatHistory.forApi(history(List.of("r2"), user("r2", "still going")));

        assertEquals(GatewayHistory.SESSION, out.get("sessionKey"));
        assertEquals("d1712f88-93b8-4dba-8aa4-2ad958c81a56", out.get("sessionId"));
        assertEquals(false, out.get("hasMore"));
        assertEquals(1, out.get("totalMessages"));
    }

    @Test
    void aReplyBelongsToTheRunInItsMetadata() {
        assertEquals("r1", ChatHistory.runOf(assistant("r1", "Hello.", "stop")));
    }

    @Test
    void aUserMessageBelongsToTheRunOfItsIdempotencyKey() {
        assertEquals("r1", ChatHistory.runOf(Map.of("role", "user", "content", "hi", "idempotencyKey", "r1:user")));
    }

    @Test
    void anIdempotencyKeyWithoutTheUserSuffixIsTheRunItself() {
        assertEquals("r1", ChatHistory.runOf(Map.of("role", "user", "content", "hi", "idempotencyKey", "r1")));
    }

    @Test
    void anInjectedNoteBelongsToTheRunItsChatEventNamed() {
        List<Map<String, Object>> messages = messages(history(List.of(),
                injected("m-7", "[ops]\n\nmaintenance at noon")));

        assertEquals("inject-m-7", messages.get(0).get("runId"));
        assertEquals("m-7", messages.get(0).get("id"));
        assertEquals("[ops]\n\nmaintenance at noon", messages.get(0).get("text"));
    }

    @Test
    void thePartialTextTheGatewayWritesAfterAnAbortIsNoNote() {
        Map<String, Object> partial = new LinkedHashMap<>(injected("m-8", "word0 word1"));
        partial.put("openclawAbort", Map.of("aborted", true, "origin", "rpc", "runId", "slow"));

        assertNull(ChatHistory.runOf(partial));
    }

    @Test
    void aMessageWithoutRunOrKeyBelongsToNoRun() {
        assertNull(ChatHistory.runOf(Map.of("role", "user", "content", "typed in another client",
                "__openclaw", Map.of("id", "entry-9", "seq", 9))));
    }
}
