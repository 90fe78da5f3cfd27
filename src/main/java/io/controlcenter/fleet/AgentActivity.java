package io.controlcenter.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * What an agent card counts from the sessions table: the agent's live sessions, those with a run in progress and its
 * latest session activity. Kept in memory from the rows each batch's statements return ({@link #RETURNING}), so a card
 * costs no aggregate over the sessions table: under load that aggregate took most of the writer's time
 * (BENCHMARKS.md). Read from the table once per gateway; the fleet batch ({@link FleetBatch}) is the table's only
 * writer. With several instances, each gateway's rows are written by the instance that leads it: the others count that
 * gateway's sessions in the table, and a new leader reads its rows again ({@link #setTerms}).
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

        void clear(String gateway) {
            byKey.remove(gateway);
            byAgent.remove(gateway);
        }
    }

    /** The rows one batch wrote, newest per session. */
    static final class Pending extends Rows {
        static final Pending NONE = new Pending();
    }

    /** What cards count of one gateway's sessions, as one read or batch sees them. */
    interface Tally {
        /** An agent's counts. */
        Counts counts(String agentId);

        /** The gateway's live sessions and those with a run in progress. */
        long[] totals();
    }

    /** Per agent of a gateway: live sessions, those with a run in progress, the newest updatedAt among them. */
    private static final String AGGREGATE = """
            SELECT agent_id, count(*), count(*) FILTER (WHERE has_active_run), COALESCE(max(updated_at_ms), 0)
            FROM sessions WHERE gateway = ? AND NOT gone GROUP BY agent_id""";

    private final Rows committed = new Rows();
    /** The term of this instance's writing of each gateway whose rows are loaded. */
    private final Map<String, Long> loaded = new HashMap<>();
    private List<String> gateways = List.of();
    private ToLongFunction<String> terms = gateway -> 0;

    /**
     * Which of {@code gateways} this instance writes the sessions of: for each a term that changes whenever it begins
     * to (0 with one instance), or -1 while another instance writes them. A gateway's rows are kept in memory while its
     * term lasts (read from the table when it begins); a gateway another instance writes is counted in the table.
     */
    synchronized void setTerms(List<String> gateways, ToLongFunction<String> terms) {
        this.gateways = List.copyOf(gateways);
        this.terms = terms;
    }

    /**
     * Reads from the table the rows of each gateway whose writing by this instance began since they were last read (all
     * of them the first time), on a connection that has written nothing yet; forgets those another instance writes.
     */
    synchronized void load(Connection c) throws SQLException {
        for (String gateway : gateways) {
            long term = terms.applyAsLong(gateway);
            Long at = loaded.get(gateway);
            if (term >= 0 && (at == null || at != term)) {
                committed.clear(gateway);
                load(c, gateway);
                loaded.put(gateway, term);
            } else if (term < 0 && at != null) {
                loaded.remove(gateway);
                committed.clear(gateway);
            }
        }
    }

    /** What cards count of {@code gateway}'s sessions as {@code c} sees them, the rows of {@code pending} as written. */
    synchronized Tally tally(Connection c, String gateway, Pending pending) throws SQLException {
        Long at = loaded.get(gateway);
        if (at == null || at != terms.applyAsLong(gateway)) {
            return aggregate(c, gateway);
        }
        return new Tally() {
            @Override
            public Counts counts(String agentId) {
                return AgentActivity.this.counts(gateway, agentId, pending);
            }

            @Override
            public long[] totals() {
                return AgentActivity.this.totals(gateway, pending);
            }
        };
    }

    /** Reads {@code gateway}'s rows from the table. */
    private void load(Connection c, String gateway) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT gateway, session_key, agent_id, gone, has_active_run, "
                + "updated_at_ms FROM sessions WHERE gateway = ?")) {
            ps.setFetchSize(5_000);
            ps.setString(1, gateway);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    committed.put(Row.of(rs));
                }
            }
        }
    }

    /** The counts of a gateway another instance writes: from the table, as {@code c} sees it. */
    private static Tally aggregate(Connection c, String gateway) throws SQLException {
        Map<String, Counts> byAgent = new HashMap<>();
        long[] totals = new long[2];
        try (PreparedStatement ps = c.prepareStatement(AGGREGATE)) {
            ps.setString(1, gateway);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Counts counts = new Counts(rs.getLong(2), rs.getLong(3), rs.getLong(4));
                    totals[0] += counts.sessions();
                    totals[1] += counts.activeRuns();
                    if (rs.getString(1) != null) {
                        byAgent.put(rs.getString(1), counts);
                    }
                }
            }
        }
        return new Tally() {
            @Override
            public Counts counts(String agentId) {
                return byAgent.getOrDefault(agentId, new Counts(0, 0, 0));
            }

            @Override
            public long[] totals() {
                return totals.clone();
            }
        };
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
