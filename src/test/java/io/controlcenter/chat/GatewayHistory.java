package io.controlcenter.chat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code chat.history} results shaped as the real gateway's (docs/PROTOCOL-NOTES.md, "Chat"; {@code FakeChat} serves
 * the same): a user message keyed {@code <runId>:user}, replies carrying {@code __openclaw.runId} and the transcript
 * entry's id, a run that failed before replying leaving a {@code role: custom} note with that runId, and
 * {@code sessionInfo.activeRunIds} listing the runs still going.
 */
final class GatewayHistory {

    static final String SESSION = "agent:main:main";

    private GatewayHistory() {
    }

    /** A run of ours in flight while the connection was down, as ChatReconcile passes it. */
    static Map<String, Object> run(String runId) {
        return Map.of("runId", runId, "sessionKey", SESSION, "agentId", "main", "state", "delta",
                "startedBy", "control-center");
    }

    static Map<String, Object> user(String runId, String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", "user");
        m.put("content", text);
        m.put("timestamp", 1_795_236_093_424L);
        m.put("idempotencyKey", runId + ":user");
        m.put("__openclaw", Map.of("id", "entry-u-" + runId, "idempotencyKey", runId + ":user", "seq", 1));
        return m;
    }

    static Map<String, Object> assistant(String runId, String text, String stopReason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", "assistant");
        m.put("content", List.of(Map.of("type", "text", "text", text)));
        m.put("api", "openai-completions");
        m.put("provider", "mock");
        m.put("model", "mock-1");
        m.put("usage", Map.of("input", 10, "output", 5, "totalTokens", 15));
        m.put("stopReason", stopReason);
        m.put("timestamp", 1_795_236_094_355L);
        m.put("__openclaw", Map.of("id", "entry-a-" + runId, "runId", runId, "seq", 2));
        return m;
    }

    /**
     * A note added by chat.inject, as the gateway writes it (appendAssistantTranscriptMessage): an assistant message of
     * no run, model {@code gateway-injected}; its entry id is the messageId chat.inject answers.
     */
    static Map<String, Object> injected(String messageId, String text) {
        Map<String, Object> m = assistant(messageId, text, "stop");
        m.put("api", "openai-responses");
        m.put("provider", "openclaw");
        m.put("model", "gateway-injected");
        m.put("__openclaw", Map.of("id", messageId, "seq", 3));
        return m;
    }

    /** The note a run that failed before replying leaves in the transcript. */
    static Map<String, Object> note(String runId, String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", "custom");
        m.put("customType", "openclaw.system-note");
        m.put("content", text);
        m.put("display", true);
        m.put("timestamp", 1_795_236_094_400L);
        m.put("__openclaw", Map.of("id", "entry-n-" + runId, "runId", runId, "seq", 2));
        return m;
    }

    @SafeVarargs
    static Map<String, Object> history(List<String> activeRunIds, Map<String, Object>... messages) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("sessionKey", SESSION);
        h.put("sessionId", "d1712f88-93b8-4dba-8aa4-2ad958c81a56");
        h.put("messages", List.of(messages));
        h.put("hasMore", false);
        h.put("totalMessages", messages.length);
        h.put("sessionInfo", Map.of("key", SESSION, "hasActiveRun", !activeRunIds.isEmpty(), "activeRunIds", activeRunIds));
        return h;
    }
}
