package io.controlcenter.fleet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.controlcenter.gateway.Json;

/**
 * What dashboards see: agent cards, session cards and the SSE message a logged event becomes. Pure functions of the
 * stored data, so a replay from the event log produces exactly what was pushed live.
 */
public final class FleetMessages {

    public static final String FLEET_UPDATE = "fleet.update";
    public static final String AGENT_UPDATE = "agent.update";
    public static final String SESSION_UPDATE = "session.update";
    public static final String PRESENCE_UPDATE = "presence.update";
    public static final String GATEWAY_STATUS = "gateway.status";
    /** A chat event of a run, as ChatTracker made it: sessionKey, runId, state, deltaText, text, replace, proactive. */
    public static final String CHAT = "chat";
    /** Event log rows Control Center writes itself carry the message name and its data as payload. */
    static final List<String> OWN_MESSAGES = List.of(FLEET_UPDATE, AGENT_UPDATE, SESSION_UPDATE, GATEWAY_STATUS);

    private FleetMessages() {
    }

    /** A message to push: SSE event name, JSON-ready data, and the session it is about (for filtering) or null. */
    public record Message(String event, Map<String, Object> data, String sessionKey) {
    }

    /** The message an event-log row becomes, or null for events dashboards do not get (config.changed, ticks). */
    public static Message of(String gateway, String event, Map<String, Object> payload) {
        if (OWN_MESSAGES.contains(event)) {
            return new Message(event, payload, Json.string(payload, "key"));
        }
        return switch (event) {
            case "sessions.changed" -> {
                Map<String, Object> card = sessionCard(gateway, sessionRow(payload));
                card.put("reason", payload.get("reason"));
                card.put("gone", isDelete(payload));
                yield new Message(SESSION_UPDATE, card, Json.string(card, "key"));
            }
            case CHAT -> new Message(CHAT, payload, Json.string(payload, "sessionKey"));
            case "presence" -> new Message(PRESENCE_UPDATE, presence(gateway, payload.get("presence")), null);
            case "health" -> new Message(GATEWAY_STATUS, health(gateway, payload), null);
            case "shutdown" -> {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("gateway", gateway);
                data.put("state", "stopping");
                data.put("reason", payload.get("reason"));
                data.put("restartExpectedMs", payload.get("restartExpectedMs"));
                yield new Message(GATEWAY_STATUS, data, null);
            }
            default -> null;
        };
    }

    /** The session row a sessions.changed event carries: its nested {@code session}, else its flattened fields. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> sessionRow(Map<String, Object> payload) {
        Map<String, Object> row = new LinkedHashMap<>(payload);
        if (payload.get("session") instanceof Map<?, ?> nested) {
            row.putAll((Map<String, Object>) nested);
        }
        row.remove("session");
        row.remove("ancestorSessions");
        row.putIfAbsent("key", payload.get("sessionKey"));
        return row;
    }

    static boolean isDelete(Map<String, Object> payload) {
        Object reason = payload.get("reason");
        return "delete".equals(reason) || "deleted".equals(reason);
    }

    /** The dashboard's view of a session row of the gateway (sessions.list row or sessions.changed payload). */
    public static Map<String, Object> sessionCard(String gateway, Map<String, Object> row) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("gateway", gateway);
        card.put("key", row.get("key"));
        card.put("agentId", row.get("agentId"));
        card.put("sessionId", row.get("sessionId"));
        card.put("label", row.get("label"));
        card.put("displayName", row.get("displayName"));
        card.put("kind", row.get("kind"));
        card.put("status", row.get("status"));
        card.put("hasActiveRun", Boolean.TRUE.equals(row.get("hasActiveRun")));
        card.put("activeRunIds", row.getOrDefault("activeRunIds", List.of()));
        card.put("lastRunId", row.get("lastRunId"));
        card.put("model", row.get("model"));
        card.put("modelProvider", row.get("modelProvider"));
        card.put("createdAt", row.get("createdAt"));
        card.put("updatedAt", row.get("updatedAt"));
        card.put("lastInteractionAt", row.get("lastInteractionAt"));
        // the session's token counts as the gateway keeps them (null when a change did not carry them)
        card.put("inputTokens", row.get("inputTokens"));
        card.put("outputTokens", row.get("outputTokens"));
        card.put("totalTokens", row.get("totalTokens"));
        card.put("archived", Boolean.TRUE.equals(row.get("archived")));
        card.put("gone", false);
        return card;
    }

    static Map<String, Object> presence(String gateway, Object entries) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("gateway", gateway);
        data.put("presence", entries instanceof List<?> ? entries : List.of());
        return data;
    }

    static Map<String, Object> health(String gateway, Map<String, Object> health) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("gateway", gateway);
        data.put("state", "connected");
        Map<String, Object> summary = new LinkedHashMap<>(); // a gateway may send null for any of them
        summary.put("ok", Boolean.TRUE.equals(health.get("ok")));
        summary.put("ts", health.get("ts") == null ? 0 : health.get("ts"));
        summary.put("defaultAgentId", String.valueOf(health.get("defaultAgentId")));
        data.put("health", summary);
        return data;
    }

    /** A JSON object as the database returns it (an event-log payload, a presence entry). */
    static Map<String, Object> stored(String json) {
        try {
            return Json.parseObject(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable JSON from the database", e);
        }
    }

    /** The key a presence entry is stored under: its instance, device or client. */
    static String presenceKey(Map<String, Object> entry) {
        for (String k : List.of("instanceId", "deviceId", "clientId", "host")) {
            if (entry.get(k) != null) {
                return k + ":" + entry.get(k);
            }
        }
        return "entry:" + entry.hashCode();
    }
}
