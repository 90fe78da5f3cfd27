package io.controlcenter.dashboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.controlcenter.api.GatewaysApi;
import io.controlcenter.sse.SseHub;

/**
 * GET /api/dashboard/attention: what needs a person, oldest first, each with when it started. Gateways down (failed,
 * waiting for pairing with the command to approve it, reconnecting, or polling over HTTP), agents whose last run
 * failed (with that run's error), runs working longer than {@code dashboard.attention.long-run}, and dashboards
 * dropped for being too slow in the last hour. Empty when all is well. Bound as {@code dashboardAttention}.
 */
public class Attention {

    /** Agents whose last run failed, with their latest failed run (index chat_runs_by_agent). */
    private static final String FAILED_AGENTS = """
            SELECT a.gateway, a.agent_id, a.name, a.last_run_at, r.run_id, r.session_key, r.error_message
            FROM agents a
            LEFT JOIN LATERAL (SELECT run_id, session_key, error_message FROM chat_runs c
                               WHERE c.gateway = a.gateway AND c.agent_id = a.agent_id AND c.state = 'error'
                               ORDER BY c.started_at DESC LIMIT 1) r ON true
            WHERE a.gateway = ANY(?) AND NOT a.gone AND a.last_run_state = 'error'""";
    /** Runs in flight for longer than the threshold (partial index chat_runs_in_flight). */
    private static final String LONG_RUNS = """
            SELECT gateway, run_id, session_key, agent_id, started_at, proactive FROM chat_runs
            WHERE gateway = ANY(?) AND ended_at IS NULL AND started_at < ? AND state NOT IN ('sending', 'send_failed')
            ORDER BY started_at LIMIT 100""";
    private static final long SLOW_DASHBOARD_WINDOW_MS = 3_600_000;

    private final DataSource dataSource;
    private final GatewaysApi gateways;
    private final SseHub hub;
    private final long longRunMs;

    public Attention(DataSource dataSource, GatewaysApi gateways, SseHub hub, long longRunMs) {
        this.dataSource = dataSource;
        this.gateways = gateways;
        this.hub = hub;
        this.longRunMs = longRunMs;
    }

    /** Every item of every configured gateway, or of {@code gateway} only (404 when not configured). */
    public List<Map<String, Object>> list(String gateway) throws SQLException {
        List<String> names = gateways.gateways(gateway);
        List<Map<String, Object>> items = new ArrayList<>();
        for (String name : names) {
            Map<String, Object> item = gatewayItem(gateways.status(name));
            if (item != null) {
                items.add(item);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            failedAgents(c, names, items);
            longRuns(c, names, items);
        }
        if (gateway == null || gateway.isBlank()) {
            Instant since = Instant.now().minusMillis(SLOW_DASHBOARD_WINDOW_MS);
            for (SseHub.SlowClient drop : hub.recentDrops()) {
                if (drop.at().isAfter(since)) {
                    items.add(item("slow-dashboard", null, drop.at(), "a dashboard (" + drop.remote()
                            + ") did not keep up with the event stream and was disconnected; it reconnects and catches up"));
                }
            }
        }
        // by time, not by text: Instant.toString() drops trailing zeros, so "…20.5Z" sorts after "…20.512Z"
        items.sort(Comparator.comparing(i -> i.get("since") == null ? Instant.MIN : Instant.parse((String) i.get("since"))));
        return items;
    }

    /** A gateway that is not connected over its WebSocket; null when it is. */
    static Map<String, Object> gatewayItem(Map<String, Object> status) {
        String state = String.valueOf(status.get("state"));
        String name = (String) status.get("name");
        Instant since = status.get("downSince") == null ? null : Instant.parse((String) status.get("downSince"));
        if ("connected".equals(state)) {
            return null;
        }
        if ("pairing".equals(state) && status.get("pairing") instanceof Map<?, ?> pairing) {
            Map<String, Object> item = item("gateway-pairing", name, since, "gateway " + name
                    + " waits for Control Center's device to be approved on the gateway host");
            item.put("command", pairing.get("command"));
            return item;
        }
        if ("failed".equals(state)) {
            return item("gateway-failed", name, since, String.valueOf(status.get("reason")));
        }
        if ("polling".equals(status.get("path"))) {
            return item("gateway-polling", name, since, "gateway " + name + ": the WebSocket is down, the fleet is polled over HTTP");
        }
        Object lastError = status.get("lastError");
        return item("gateway-down", name, since, "gateway " + name + " is " + state
                + (lastError == null ? "" : ": " + lastError));
    }

    private static void failedAgents(Connection c, List<String> gateways, List<Map<String, Object>> items) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FAILED_AGENTS)) {
            ps.setArray(1, c.createArrayOf("text", gateways.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String agent = rs.getString("agent_id");
                    String error = rs.getString("error_message");
                    Map<String, Object> item = item("agent-error", rs.getString("gateway"), instant(rs, "last_run_at"),
                            "the last run of agent " + agent + " failed" + (error == null ? "" : ": " + error));
                    item.put("agentId", agent);
                    item.put("runId", rs.getString("run_id"));
                    item.put("sessionKey", rs.getString("session_key"));
                    items.add(item);
                }
            }
        }
    }

    private void longRuns(Connection c, List<String> gateways, List<Map<String, Object>> items) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LONG_RUNS)) {
            ps.setArray(1, c.createArrayOf("text", gateways.toArray()));
            ps.setTimestamp(2, Timestamp.from(Instant.now().minusMillis(longRunMs)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> item = item("long-run", rs.getString("gateway"), instant(rs, "started_at"),
                            "a " + (rs.getBoolean("proactive") ? "proactive " : "") + "run of agent "
                                    + rs.getString("agent_id") + " has been working for more than " + duration(longRunMs));
                    item.put("agentId", rs.getString("agent_id"));
                    item.put("runId", rs.getString("run_id"));
                    item.put("sessionKey", rs.getString("session_key"));
                    items.add(item);
                }
            }
        }
    }

    private static String duration(long ms) {
        return ms >= 60_000 ? ms / 60_000 + " min" : ms / 1000 + " s";
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Map<String, Object> item(String kind, String gateway, Instant since, String message) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("kind", kind);
        item.put("gateway", gateway);
        item.put("since", since == null ? null : since.toString());
        item.put("message", message);
        return item;
    }
}
