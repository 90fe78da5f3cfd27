package io.controlcenter.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.controlcenter.gateway.Json;

/**
 * What the gateway's {@code chat.history} says: messages with their text and run, and how a run that was in flight
 * while the connection was down ended.
 */
public final class ChatHistory {

    private ChatHistory() {
    }

    /** The gateway's chat.history result for the API: each message gains {@code text}, {@code runId} and {@code id}. */
    public static Map<String, Object> forApi(Map<String, Object> history) {
        Map<String, Object> out = new LinkedHashMap<>(history);
        List<Map<String, Object>> messages = new ArrayList<>();
        for (Map<String, Object> m : messages(history)) {
            Map<String, Object> copy = new LinkedHashMap<>(m);
            Map<String, Object> meta = Json.map(copy.remove("__openclaw"));
            copy.put("text", ChatText.messageText(m));
            copy.put("runId", runOf(m));
            copy.put("id", Json.string(meta, "id"));
            messages.add(copy);
        }
        out.put("messages", messages);
        return out;
    }

    /**
     * The terminal chat event a run that was in flight during a disconnect gets from its session's history, or null
     * while it is still running (or the history cannot tell). The event has no seq and {@code source: reconcile}.
     */
    public static Map<String, Object> outcome(Map<String, Object> run, Map<String, Object> history) {
        String runId = Json.string(run, "runId");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("runId", runId);
        event.put("sessionKey", Json.string(run, "sessionKey"));
        event.put("agentId", Json.string(run, "agentId"));
        event.put("source", "reconcile");
        if (running(runId, history)) {
            return null; // its next events arrive live (a run with tool calls has replies before its last)
        }
        Map<String, Object> reply = reply(runId, history);
        String stopReason = Json.string(reply, "stopReason");
        if (reply != null && !"toolUse".equals(stopReason)) {
            if ("assistant".equals(reply.get("role")) && !"error".equals(stopReason)) {
                event.put("state", "aborted".equals(stopReason) ? "aborted" : "final");
                event.put("stopReason", stopReason);
                event.put("message", reply);
                event.put("usage", reply.get("usage"));
            } else {
                event.put("state", "error");
                String error = Json.string(reply, "errorMessage");
                event.put("errorMessage", error != null && !error.isBlank() ? error : ChatText.messageText(reply));
            }
            return event;
        }
        if (reply == null && !sent(runId, history)) {
            return null; // the gateway never had it (no user message of the run, no reply)
        }
        event.put("state", "error");
        event.put("errorMessage", "the run ended without a reply while Control Center was disconnected");
        return event;
    }

    /** Whether the gateway never received this run: no user message for it, no reply, not running (null: unknown). */
    public static boolean neverReceived(Map<String, Object> run, Map<String, Object> history) {
        String runId = Json.string(run, "runId");
        return history != null && !sent(runId, history) && reply(runId, history) == null && !running(runId, history);
    }

    /**
     * The run's reply in the history: its last assistant message (a run with tool calls has one per model turn), else
     * the last other message it left (a failed run's note); tool results are not replies. Null when there is none.
     */
    private static Map<String, Object> reply(String runId, Map<String, Object> history) {
        Map<String, Object> assistant = null;
        Map<String, Object> other = null;
        for (Map<String, Object> m : messages(history)) {
            Object role = m.get("role");
            if ("user".equals(role) || "toolResult".equals(role) || !runId.equals(runOf(m))) {
                continue;
            }
            if ("assistant".equals(role)) {
                assistant = m;
            } else {
                other = m;
            }
        }
        return assistant != null ? assistant : other;
    }

    /** Whether the history holds the user message that started the run. */
    private static boolean sent(String runId, Map<String, Object> history) {
        return messages(history).stream().anyMatch(m -> (runId + ":user").equals(Json.string(m, "idempotencyKey")));
    }

    /** Whether the session still lists the run among its active runs. */
    private static boolean running(String runId, Map<String, Object> history) {
        Map<String, Object> info = history == null ? null : Json.map(history.get("sessionInfo"));
        Object active = info == null ? null : info.get("activeRunIds");
        return active instanceof List<?> ids && ids.contains(runId);
    }

    /**
     * The run a history message belongs to: {@code __openclaw.runId}, or the user message's idempotency key; for a
     * chat.inject note, which the gateway writes with neither (model {@code gateway-injected}, no abort), the run its
     * chat event named: {@code inject-<its entry id>}.
     */
    static String runOf(Map<String, Object> message) {
        Map<String, Object> meta = Json.map(message.get("__openclaw"));
        String runId = Json.string(meta, "runId");
        if (runId != null) {
            return runId;
        }
        String key = Json.string(message, "idempotencyKey");
        if (key != null) {
            return key.endsWith(":user") ? key.substring(0, key.length() - 5) : key;
        }
        String id = Json.string(meta, "id");
        boolean note = "gateway-injected".equals(message.get("model")) && message.get("openclawAbort") == null;
        return note && id != null ? "inject-" + id : null;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> messages(Map<String, Object> history) {
        Object messages = history == null ? null : history.get("messages");
        return messages instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }
}
