package io.controlcenter.fleet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.controlcenter.gateway.Json;

/** Shapes of the dashboard API (routes/api-fleet.yaml): query parameters checked, cards out. */
public final class FleetApi {

    private FleetApi() {
    }

    /**
     * Named parameters of the sessions query over {@code gateways}; a bad {@code active} or {@code limit} is a 400 with
     * its name.
     */
    public static Map<String, Object> sessionQuery(List<String> gateways, String agentId, String active, String limit) {
        Map<String, Object> q = new HashMap<>();
        q.put("gateways", gateways);
        q.put("agentId", agentId == null || agentId.isBlank() ? null : agentId);
        q.put("active", flag("active", active));
        int n;
        try {
            n = limit == null || limit.isBlank() ? 1000 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a number");
        }
        if (n < 1 || n > 10_000) {
            throw new IllegalArgumentException("limit must be from 1 to 10000");
        }
        q.put("limit", n);
        return q;
    }

    /** A true/false query parameter {@code name}: its value, null when absent; anything else is a 400 naming it. */
    public static String flag(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(name + " must be true or false");
        }
        return value;
    }

    /** Rows of the sessions table as session cards; run state from chat events overrides the stored row's. */
    public static List<Map<String, Object>> sessionCards(List<Map<String, Object>> rows) throws IOException {
        List<Map<String, Object>> cards = new ArrayList<>(rows.size());
        for (Map<String, Object> r : rows) {
            Map<String, Object> card = FleetMessages.sessionCard((String) r.get("gateway"), Json.parseObject((String) r.get("data")));
            card.put("key", r.get("session_key"));
            card.put("agentId", r.get("agent_id"));
            card.put("hasActiveRun", Boolean.TRUE.equals(r.get("has_active_run")));
            card.put("activeRunId", r.get("active_run_id"));
            card.put("gone", Boolean.TRUE.equals(r.get("gone")));
            cards.add(card);
        }
        return cards;
    }

    /** Rows of the presence table as the gateways' presence entries, each with the gateway that reported it. */
    public static List<Map<String, Object>> presence(List<Map<String, Object>> rows) throws IOException {
        List<Map<String, Object>> entries = new ArrayList<>(rows.size());
        for (Map<String, Object> r : rows) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("gateway", r.get("gateway"));
            entry.putAll(Json.parseObject((String) r.get("data")));
            entries.add(entry);
        }
        return entries;
    }
}
