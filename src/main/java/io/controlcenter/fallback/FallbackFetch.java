package io.controlcenter.fallback;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.controlcenter.fleet.FleetSnapshot;
import io.controlcenter.gateway.Json;

/**
 * The steps of one poll (routes/fallback.yaml): the gateway's HTTP tools ({@code POST /tools/invoke}) read into the
 * same {@link FleetSnapshot} the WebSocket sync fills, so both go through one persist-then-push path. Tool shapes:
 * docs/HTTP-FALLBACK-NOTES.md.
 */
public class FallbackFetch {

    /** sessions_list caps a page at 200 rows (and 64 KiB). */
    static final int PAGE = 200;

    public FleetSnapshot begin(String gateway) {
        return new FleetSnapshot(gateway, false, "polling");
    }

    public String agentsRequest() {
        return Json.write(Map.of("tool", "agents_list", "args", Map.of()));
    }

    public String sessionsRequest(FleetSnapshot snapshot) {
        return Json.write(Map.of("tool", "sessions_list", "args", snapshot.nextSessionsPage(PAGE)));
    }

    /**
     * agents_list's {@code {requester, allowAny, agents:[{id, name, model}]}} as an agents.list result. It lists every
     * agent only when the gateway allows all ({@code allowAny}); otherwise agents missing from it are not gone.
     */
    @SuppressWarnings("unchecked")
    public void agents(FleetSnapshot snapshot, String response) throws IOException {
        Map<String, Object> details = details(response);
        List<Map<String, Object>> agents = new ArrayList<>();
        for (Map<String, Object> a : (List<Map<String, Object>>) details.getOrDefault("agents", List.of())) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("id", a.get("id"));
            if (a.get("name") != null) {
                summary.put("name", a.get("name"));
            }
            if (a.get("model") instanceof String model) {
                summary.put("model", Map.of("primary", model));
            }
            agents.add(summary);
        }
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("defaultId", details.get("requester"));
        list.put("agents", agents);
        snapshot.setAgents(list);
        snapshot.setAgentsComplete(Boolean.TRUE.equals(details.get("allowAny")));
    }

    /**
     * One sessions_list page; {@code hasActiveRun} is not in it: a session runs while its status is running or queued.
     * An agent that owns a session is an agent polling can see, also when agents_list leaves it out (it lists only the
     * agents the gateway's config lets the caller address, by default just the default agent): it is added.
     */
    @SuppressWarnings("unchecked")
    public void sessionsPage(FleetSnapshot snapshot, String response) throws IOException {
        Map<String, Object> details = details(response);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : (List<Map<String, Object>>) details.getOrDefault("sessions", List.of())) {
            Map<String, Object> r = new LinkedHashMap<>(row);
            Object status = row.get("status");
            r.put("hasActiveRun", "running".equals(status) || "queued".equals(status));
            rows.add(r);
            addAgent(snapshot, Json.string(row, "agentId"));
        }
        Map<String, Object> page = new LinkedHashMap<>(details);
        page.put("sessions", rows);
        snapshot.addSessionsPage(page);
    }

    /** Adds {@code agentId} to the snapshot's agents unless listed (only its id: the stored agent keeps what it has). */
    @SuppressWarnings("unchecked")
    private static void addAgent(FleetSnapshot snapshot, String agentId) {
        Map<String, Object> list = snapshot.getAgents();
        if (agentId == null || list == null) {
            return;
        }
        List<Map<String, Object>> agents = (List<Map<String, Object>>) list.get("agents");
        if (agents.stream().noneMatch(a -> agentId.equals(a.get("id")))) {
            Map<String, Object> agent = new LinkedHashMap<>();
            agent.put("id", agentId);
            agents.add(agent);
        }
    }

    /** {@code result.details} of a tools/invoke answer ({@code content[0].text} holds the same, as text). */
    static Map<String, Object> details(String response) throws IOException {
        Map<String, Object> body = Json.parseObject(response);
        if (!Boolean.TRUE.equals(body.get("ok"))) {
            throw new IOException("tools/invoke answered without ok: " + Json.string(Json.map(body.get("error")), "message"));
        }
        Map<String, Object> details = Json.map(Json.map(body.get("result")) == null ? null
                : Json.map(body.get("result")).get("details"));
        if (details == null) {
            throw new IOException("tools/invoke answered without result.details");
        }
        return details;
    }
}
