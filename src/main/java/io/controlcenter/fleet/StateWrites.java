package io.controlcenter.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.controlcenter.db.Unnest;
import io.controlcenter.gateway.Json;

/**
 * A batch's writes to the agents, presence and gateways tables (the sessions table is {@link SessionWrites}'s): the
 * agents a sync lists, each agent's last run state from chat events, presence entries, and the gateway's state.
 */
final class StateWrites {

    /** Each agent's last run state: all of a batch's agents in one statement, each once ({@link #agentRun}). */
    private static final String AGENT_RUN = """
            UPDATE agents AS a SET last_run_state = u.state,
                                   last_run_at = TIMESTAMPTZ 'epoch' + u.at_ms * INTERVAL '1 millisecond'
            FROM unnest(CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS text[]))
                 AS u(state, at_ms, gateway, agent_id)
            WHERE a.gateway = u.gateway AND a.agent_id = u.agent_id""";
    private static final String UPSERT_AGENT = """
            INSERT INTO agents AS a (gateway, agent_id, name, emoji, avatar, is_default, model, data, gone, seen_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), false, ?)
            ON CONFLICT (gateway, agent_id) DO UPDATE SET
                -- a polled agent known only by its id (it owns a session) keeps the name it has
                name = CASE WHEN CAST(? AS boolean) AND EXCLUDED.name = EXCLUDED.agent_id THEN COALESCE(a.name, EXCLUDED.name)
                            ELSE COALESCE(EXCLUDED.name, a.name) END,
                emoji = CASE WHEN CAST(? AS boolean) THEN COALESCE(EXCLUDED.emoji, a.emoji) ELSE EXCLUDED.emoji END,
                avatar = CASE WHEN CAST(? AS boolean) THEN COALESCE(EXCLUDED.avatar, a.avatar) ELSE EXCLUDED.avatar END,
                is_default = EXCLUDED.is_default, model = COALESCE(EXCLUDED.model, a.model),
                data = CASE WHEN CAST(? AS boolean) THEN a.data || EXCLUDED.data ELSE EXCLUDED.data END,
                gone = false, seen_at = EXCLUDED.seen_at""";
    private static final String UPSERT_PRESENCE = """
            INSERT INTO presence (gateway, instance_key, mode, reason, host, ts, data, seen_at)
            VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?)
            ON CONFLICT (gateway, instance_key) DO UPDATE SET mode = EXCLUDED.mode, reason = EXCLUDED.reason,
                host = EXCLUDED.host, ts = EXCLUDED.ts, data = EXCLUDED.data, seen_at = EXCLUDED.seen_at""";
    private static final String UPSERT_GATEWAY = """
            INSERT INTO gateways (name, url, state, server_version, conn_id, updated_at) VALUES (?, ?, ?, ?, ?, now())
            ON CONFLICT (name) DO UPDATE SET url = COALESCE(EXCLUDED.url, gateways.url), state = EXCLUDED.state,
                server_version = COALESCE(EXCLUDED.server_version, gateways.server_version),
                conn_id = EXCLUDED.conn_id, updated_at = now()""";
    private static final String SYNCED = """
            INSERT INTO gateways (name, state, last_sync_at) VALUES (?, ?, now())
            ON CONFLICT (name) DO UPDATE SET last_sync_at = now(),
                state = CASE WHEN ? = 'polling' AND gateways.state <> 'connected' THEN 'polling' ELSE gateways.state END""";

    /** A run's end as an agent's last run: its state and when (ms). */
    private record AgentRun(String state, long at, String gateway, String agentId) {
    }

    private final Connection c;
    /** The latest run state per agent: what the updates one after the other left. */
    private final Map<AgentKey, AgentRun> agentRuns = new LinkedHashMap<>();

    StateWrites(Connection c) {
        this.c = c;
    }

    /**
     * Upserts the agents of an agents.list result, seen at {@code now}, and returns their ids. {@code partial}: a
     * polled listing (agents_list) with fewer fields, which fills in and never blanks what the WebSocket gave.
     */
    List<String> agents(String gw, Map<String, Object> agentsList, boolean partial, long now) throws SQLException {
        List<String> ids = new ArrayList<>();
        Object defaultId = agentsList == null ? null : agentsList.get("defaultId");
        try (PreparedStatement ps = c.prepareStatement(UPSERT_AGENT)) {
            for (Map<String, Object> a : agentsOf(agentsList)) {
                Map<String, Object> identity = Json.map(a.get("identity"));
                String id = Json.string(a, "id");
                ps.setString(1, gw);
                ps.setString(2, id);
                ps.setString(3, firstNonNull(Json.string(a, "name"), Json.string(identity, "name"), id));
                ps.setString(4, Json.string(identity, "emoji"));
                ps.setString(5, firstNonNull(Json.string(identity, "avatarUrl"), Json.string(identity, "avatar")));
                ps.setBoolean(6, id != null && id.equals(defaultId));
                ps.setString(7, Json.string(Json.map(a.get("model")), "primary"));
                ps.setString(8, Json.write(a));
                ps.setTimestamp(9, new Timestamp(now));
                ps.setBoolean(10, partial);
                ps.setBoolean(11, partial);
                ps.setBoolean(12, partial);
                ps.setBoolean(13, partial);
                ps.addBatch();
                ids.add(id);
            }
            ps.executeBatch();
        }
        return ids;
    }

    /** A run of the agent ended in {@code state} at {@code at} (ms): written with the batch's next flush. */
    void agentRun(String state, long at, String gw, String agentId) {
        agentRuns.put(new AgentKey(gw, agentId), new AgentRun(state, at, gw, agentId));
    }

    /** Writes the batched agent run states, as one statement, and empties them. */
    void flushAgentRuns() throws SQLException {
        if (agentRuns.isEmpty()) {
            return;
        }
        Unnest columns = new Unnest(agentRuns.size(), "text", "int8", "text", "text");
        for (AgentRun r : agentRuns.values()) {
            columns.add(r.state(), r.at(), r.gateway(), r.agentId());
        }
        columns.update(c, AGENT_RUN);
        agentRuns.clear();
    }

    /** Replaces the gateway's presence with {@code entries}, seen at {@code at}. */
    @SuppressWarnings("unchecked")
    void presence(String gw, Object entries, long at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT_PRESENCE)) {
            for (Object o : entries instanceof List<?> l ? l : List.of()) {
                Map<String, Object> entry = Json.map(o);
                if (entry == null) {
                    continue; // not an object: nothing to store
                }
                ps.setString(1, gw);
                ps.setString(2, FleetMessages.presenceKey(entry));
                ps.setString(3, Json.string(entry, "mode"));
                ps.setString(4, Json.string(entry, "reason"));
                ps.setString(5, Json.string(entry, "host"));
                Long t = Json.number(entry, "ts");
                if (t == null) {
                    ps.setNull(6, Types.BIGINT);
                } else {
                    ps.setLong(6, t);
                }
                ps.setString(7, Json.write(entry));
                ps.setTimestamp(8, new Timestamp(at));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM presence WHERE gateway = ? AND seen_at < ?")) {
            ps.setString(1, gw);
            ps.setTimestamp(2, new Timestamp(at));
            ps.executeUpdate();
        }
    }

    /** The gateway's connection state; a null url or server version keeps the stored one. */
    void gateway(String gw, String url, String state, String serverVersion, String connId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT_GATEWAY)) {
            ps.setString(1, gw);
            ps.setString(2, url);
            ps.setString(3, state);
            ps.setString(4, serverVersion);
            ps.setString(5, connId);
            ps.executeUpdate();
        }
    }

    /**
     * A sync from {@code source} (websocket, polling) ended: a poll shows the gateway reachable over HTTP, so its
     * agents are not offline (unless the WebSocket is back).
     */
    void synced(String gw, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SYNCED)) {
            ps.setString(1, gw);
            ps.setString(2, "polling".equals(source) ? "polling" : "connected");
            ps.setString(3, source);
            ps.executeUpdate();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> agentsOf(Map<String, Object> agentsList) {
        Object agents = agentsList == null ? null : agentsList.get("agents");
        return agents instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
