package io.controlcenter.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The fleet the in-process gateway serves: agents.list, sessions.list (paged with hasMore/nextOffset like the real
 * one), system-presence and sessions.subscribe. Rows are the real gateway's captured rows with ids changed.
 */
public final class FakeFleet {

    public final List<Map<String, Object>> agents = new CopyOnWriteArrayList<>();
    public final Map<String, Map<String, Object>> sessions = new ConcurrentSkipListMap<>();
    public final List<Object> presence = new CopyOnWriteArrayList<>();
    /** params of every sessions.list call */
    public final List<Map<String, Object>> sessionListCalls = new CopyOnWriteArrayList<>();
    /** Delay before sessions.list answers (to have live events arrive during a sync); the listing is taken at once. */
    public volatile long listDelayMs;
    /** The gateway clock of the listing: the time the request arrived, unless set. */
    public volatile Long listTs;

    /** An agent summary like the real gateway's (captured row) with this id and name. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> agent(String id, String name) {
        Map<String, Object> a = Fixtures.copy(((List<Map<String, Object>>) Fixtures.responsePayload("04-agents.list")
                .get("agents")).get(0));
        a.put("id", id);
        if (name != null) {
            a.put("name", name);
            a.put("identity", Map.of("name", name, "emoji", "🤖"));
        }
        return a;
    }

    /** A session row like the real gateway's (captured row) with this key, agent and updatedAt. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> session(String key, String agentId, long updatedAt) {
        Map<String, Object> s = Fixtures.copy(((List<Map<String, Object>>) Fixtures
                .responsePayload("65-sessions.list-after-runs").get("sessions")).get(0));
        s.put("key", key);
        s.put("agentId", agentId);
        s.put("updatedAt", updatedAt);
        s.put("hasActiveRun", false);
        return s;
    }

    public FakeFleet agents(int n) {
        for (int i = 0; i < n; i++) {
            agents.add(agent(i == 0 ? "main" : "agent-" + i, i == 0 ? null : "Agent " + i));
        }
        return this;
    }

    /** {@code n} sessions spread over the agents, updated at {@code updatedAt}. */
    public FakeFleet sessions(int n, long updatedAt) {
        for (int i = 0; i < n; i++) {
            String agentId = (String) agents.get(i % agents.size()).get("id");
            String key = "agent:" + agentId + ":s" + i;
            sessions.put(key, session(key, agentId, updatedAt));
        }
        return this;
    }

    /** A sessions.changed event payload as the real gateway sends it (row fields, nested session, reason, ts). */
    public static Map<String, Object> sessionsChanged(Map<String, Object> row, String reason, long ts) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sessionKey", row.get("key"));
        p.put("agentId", row.get("agentId"));
        p.put("reason", reason);
        p.put("ts", ts);
        p.put("session", row);
        return p;
    }

    /** The HTTP tools of the real gateway over this fleet: agents_list (all agents allowed) and sessions_list. */
    private void installTools(FakeGateway gateway) {
        gateway.tool("agents_list", args -> {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Map<String, Object> a : agents) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", a.get("id"));
                entry.put("name", a.get("name"));
                entry.put("configured", true);
                entry.put("model", ((Map<?, ?>) a.getOrDefault("model", Map.of("primary", "mock/mock-1"))).get("primary"));
                list.add(entry);
            }
            return Map.of("requester", agents.isEmpty() ? "main" : agents.get(0).get("id"), "allowAny", true, "agents", list);
        });
        gateway.tool("sessions_list", args -> {
            int limit = Math.min(200, ((Number) args.getOrDefault("limit", 100)).intValue());
            int offset = ((Number) args.getOrDefault("offset", 0)).intValue();
            List<Map<String, Object>> all = new ArrayList<>(sessions.values());
            List<Map<String, Object>> page = new ArrayList<>();
            for (Map<String, Object> row : all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()))) {
                Map<String, Object> r = new LinkedHashMap<>(row);
                r.remove("hasActiveRun"); // not in the tool's rows: derived from status
                page.add(r);
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("count", page.size());
            details.put("sessions", page);
            details.put("hasMore", offset + limit < all.size());
            if (offset + limit < all.size()) {
                details.put("nextOffset", offset + limit);
            }
            details.put("limitApplied", limit);
            return details;
        });
    }

    public FakeFleet install(FakeGateway gateway) {
        installTools(gateway);
        gateway.method("agents.list", (conn, req) -> conn.respond(req.get("id"), Map.of(
                "defaultId", agents.isEmpty() ? "main" : agents.get(0).get("id"), "mainKey", "main",
                "scope", "per-sender", "agents", new ArrayList<>(agents))));
        gateway.method("system-presence", (conn, req) -> conn.respond(req.get("id"), new ArrayList<>(presence)));
        gateway.method("sessions.subscribe", (conn, req) -> conn.respond(req.get("id"), Map.of("subscribed", true)));
        gateway.method("sessions.list", (conn, req) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) req.getOrDefault("params", Map.of());
            sessionListCalls.add(params);
            int limit = ((Number) params.getOrDefault("limit", 50)).intValue();
            int offset = ((Number) params.getOrDefault("offset", 0)).intValue();
            List<Map<String, Object>> all = new ArrayList<>(sessions.values());
            List<Map<String, Object>> page = new ArrayList<>(all.subList(Math.min(offset, all.size()),
                    Math.min(offset + limit, all.size())));
            boolean more = offset + limit < all.size();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ts", listTs != null ? listTs : System.currentTimeMillis());
            result.put("count", page.size());
            result.put("totalCount", all.size());
            result.put("limitApplied", limit);
            result.put("nextOffset", more ? offset + limit : null);
            result.put("hasMore", more);
            result.put("sessions", page);
            if (listDelayMs > 0) {
                CompletableFuture.delayedExecutor(listDelayMs, TimeUnit.MILLISECONDS)
                        .execute(() -> conn.respond(req.get("id"), result));
            } else {
                conn.respond(req.get("id"), result);
            }
        });
        return this;
    }
}
