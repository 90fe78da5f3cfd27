package io.controlcenter.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What an agent card counts from the sessions table: the agent's live sessions, those with a run in progress and its
 * latest session activity. Kept in memory from the rows each batch's statements return ({@link #RETURNING}), so a card
 * costs no aggregate over the sessions table: under load that aggregate took most of the writer's time
 * (BENCHMARKS.md). Read from the table once; the fleet batch ({@link FleetBatch}) is the table's only writer.
 * <p>
 * A batch collects its rows in a {@link Pending} that its own cards already see; they become visible to everyone when
 * the batch commits ({@link #commit}), and are dropped when it rolls back.
 */
final class AgentActivity {

    /** Appended to every statement that writes session rows: the columns a {@link Row} is read from. */
    static final String RETURNING = " RETURNING gateway, session_key, agent_id, gone, has_active_run, updated_at_ms";

    /** A session row as far as cards are concerned. */
    record Row(String gateway, String key, String agentId, boolean gone, boolean active, long updatedAtMs) {

        static Row of(ResultSet rs) throws SQLException {
            return new Row(rs.getString("gateway"), rs.getString("session_key"), rs.getString("agent_id"),
                    rs.getBoolean("gone"), rs.getBoolean("has_active_run"), rs.getLong("updated_at_ms"));
        }
    }

    /** An agent's counts: live sessions, live sessions with a run in progress, the newest updatedAt among them (ms). */
    record Counts(long sessions, long activeRuns, long lastActivityMs) {
    }

    /** Session rows by gateway and key, and by gateway and agent: the committed ones, or one batch's. */
    static class Rows {
        private final Map<String, Map<String, Row>> byKey = new HashMap<>();
        private final Map<String, Map<String, Map<String, Row>>> byAgent = new HashMap<>();

        void put(Row row) {
            Row before = byKey.computeIfAbsent(row.gateway(), k -> new HashMap<>()).put(row.key(), row);
            if (before != null && before.agentId() != null) {
                agent(before.gateway(), before.agentId()).remove(before.key());
            }
            if (row.agentId() != null) {
                agent(row.gateway(), row.agentId()).put(row.key(), row);
            }
        }

        void putAll(Rows other) {
            other.byKey.values().forEach(rows -> rows.values().forEach(this::put));
        }

        private Map<String, Row> agent(String gateway, String agentId) {
            return byAgent.computeIfAbsent(gateway, k -> new HashMap<>()).computeIfAbsent(agentId, k -> new HashMap<>());
        }

        boolean has(String gateway, String key) {
            return byKey.getOrDefault(gateway, Map.of()).containsKey(key);
        }

        Collection<Row> ofAgent(String gateway, String agentId) {
            return byAgent.getOrDefault(gateway, Map.of()).getOrDefault(agentId, Map.of()).values();
        }

        Collection<Row> of(String gateway) {
            return byKey.getOrDefault(gateway, Map.of()).values();
        }
    }

    /** The rows one batch wrote, newest per session. */
    static final class Pending extends Rows {
        static final Pending NONE = new Pending();
    }

    private final Rows committed = new Rows();
    private boolean loaded;

    /** Reads the sessions table the first time it is needed. */
    synchronized void load(Connection c) throws SQLException {
        if (loaded) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT gateway, session_key, agent_id, gone, has_active_run, updated_at_ms FROM sessions")) {
            ps.setFetchSize(5_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    committed.put(Row.of(rs));
                }
            }
        }
        loaded = true;
    }

    /** The batch's rows, committed: now everyone's. */
    synchronized void commit(Pending pending) {
        committed.putAll(pending);
    }

    /** An agent's counts, with the rows of {@code pending} (a batch's own, not committed yet) over the committed ones. */
    synchronized Counts counts(String gateway, String agentId, Pending pending) {
        long[] c = count(gateway, committed.ofAgent(gateway, agentId), pending.ofAgent(gateway, agentId), pending);
        return new Counts(c[0], c[1], c[2]);
    }

    /** A gateway's live sessions and those with a run in progress. */
    synchronized long[] totals(String gateway, Pending pending) {
        long[] c = count(gateway, committed.of(gateway), pending.of(gateway), pending);
        return new long[] {c[0], c[1]};
    }

    /** Live rows, those with a run in progress, the newest updatedAt: of {@code rows} not in the batch, then the batch's. */
    private static long[] count(String gateway, Collection<Row> rows, Collection<Row> pendingRows, Pending pending) {
        long[] c = new long[3];
        for (Row r : rows) {
            if (!pending.has(gateway, r.key())) {
                add(c, r);
            }
        }
        pendingRows.forEach(r -> add(c, r));
        return c;
    }

    private static void add(long[] c, Row r) {
        if (!r.gone()) {
            c[0]++;
            c[1] += r.active() ? 1 : 0;
            c[2] = Math.max(c[2], r.updatedAtMs());
        }
    }
}
