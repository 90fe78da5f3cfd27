package io.controlcenter.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import javax.sql.DataSource;

/**
 * The agent cards dashboards see, and the whole fleet as fleet.update carries them: each agent's row with what
 * {@link AgentActivity} counts of its sessions and the status derived from both. Owns those counts: a batch commits
 * through it ({@link #commit}), and a read that must match them holds commits back ({@link #withoutCommits}).
 */
final class AgentCards {

    /** An agent card's own columns; what it counts of the agent's sessions comes from {@link AgentActivity}. */
    private static final String CARDS = """
            SELECT a.gateway, a.agent_id, a.name, a.emoji, a.avatar, a.is_default, a.model, a.gone, a.last_run_state,
                   a.last_run_at, COALESCE(g.state, 'disconnected') AS gateway_state
            FROM agents a
            LEFT JOIN gateways g ON g.name = a.gateway
            WHERE a.gateway = ? %s
            ORDER BY a.is_default DESC, a.agent_id""";
    /**
     * Two statements rather than one with "ids IS NULL OR agent_id = ANY(ids)": once pgjdbc prepares it on the server,
     * PostgreSQL may pick one generic plan for both cases, and the OR keeps the ids out of the index condition.
     */
    private static final String CARDS_ALL = CARDS.formatted("");
    private static final String CARDS_OF = CARDS.formatted("AND a.agent_id = ANY(?)");

    /** A read that may throw what JDBC throws. */
    interface SqlRead<T> {
        T read() throws SQLException;
    }

    private final DataSource dataSource;
    /** What cards count of each agent's sessions; a batch commits under its lock. */
    private final AgentActivity activity = new AgentActivity();

    AgentCards(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The status a card shows: {@code gone} whatever else; {@code offline} while the gateway is neither connected nor
     * polled; {@code working} with a run in progress; {@code error} when the agent's last run failed; else
     * {@code idle}.
     */
    static String status(String gatewayState, boolean gone, long activeRuns, String lastRunState) {
        if (gone) {
            return "gone";
        }
        if (!"connected".equals(gatewayState) && !"polling".equals(gatewayState)) {
            return "offline";
        }
        if (activeRuns > 0) {
            return "working";
        }
        return "error".equals(lastRunState) ? "error" : "idle";
    }

    /** A connection for what reads or writes agent cards: the counts are read from the table the first time. */
    Connection connection() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            activity.load(c);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Commits a batch's transaction and makes its session rows count for everyone, with no consistent read between. */
    void commit(Connection c, AgentActivity.Pending rows) throws SQLException {
        synchronized (activity) {
            c.commit();
            activity.commit(rows);
        }
    }

    /** Which of {@code gateways} this instance writes, and since when: see {@link AgentActivity#setTerms}. */
    void setTerms(List<String> gateways, ToLongFunction<String> terms) {
        activity.setTerms(gateways, terms);
    }

    /** Makes the session rows of a batch whose commit was found to have happened count for everyone. */
    void committed(AgentActivity.Pending rows) {
        activity.commit(rows);
    }

    /**
     * Runs {@code read} while no batch commits: in a transaction that reads its first row inside it, the counts in
     * memory are those of the rows the transaction sees.
     */
    <T> T withoutCommits(SqlRead<T> read) throws SQLException {
        synchronized (activity) {
            return read.read();
        }
    }

    /**
     * Agent cards for GET /api/agents: the live agents of {@code gateways}, gateway by gateway in that order (each one's
     * default agent first), and gone ones too when asked.
     */
    List<Map<String, Object>> agents(List<String> gateways, String includeGone) throws SQLException {
        List<Map<String, Object>> cards = new ArrayList<>();
        try (Connection c = connection()) {
            for (String gateway : gateways) {
                cards.addAll(cards(c, gateway, null, AgentActivity.Pending.NONE));
            }
        }
        if (!"true".equals(includeGone)) {
            cards.removeIf(card -> Boolean.TRUE.equals(card.get("gone")));
        }
        return cards;
    }

    /** One agent's card, gone or not; null when the gateway never listed it. */
    Map<String, Object> agent(String gateway, String agentId) throws SQLException {
        List<Map<String, Object>> cards = cards(gateway, List.of(agentId));
        return cards.isEmpty() ? null : cards.get(0);
    }

    /** Agent cards of a gateway ({@code agentIds} null: all), gone ones included. */
    List<Map<String, Object>> cards(String gateway, Collection<String> agentIds) throws SQLException {
        try (Connection c = connection()) {
            return cards(c, gateway, agentIds, AgentActivity.Pending.NONE);
        }
    }

    /** Agent cards as {@code c} sees them, counting the session rows of {@code pending} (a batch's own) as written. */
    List<Map<String, Object>> cards(Connection c, String gateway, Collection<String> agentIds,
                                    AgentActivity.Pending pending) throws SQLException {
        return cards(c, gateway, agentIds, activity.tally(c, gateway, pending));
    }

    private List<Map<String, Object>> cards(Connection c, String gateway, Collection<String> agentIds,
                                            AgentActivity.Tally tally) throws SQLException {
        List<Map<String, Object>> cards = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(agentIds == null ? CARDS_ALL : CARDS_OF)) {
            ps.setString(1, gateway);
            if (agentIds != null) {
                ps.setArray(2, c.createArrayOf("text", agentIds.toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cards.add(card(rs, tally.counts(rs.getString("agent_id"))));
                }
            }
        }
        return cards;
    }

    private static Map<String, Object> card(ResultSet rs, AgentActivity.Counts counts) throws SQLException {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("gateway", rs.getString("gateway"));
        card.put("id", rs.getString("agent_id"));
        card.put("name", rs.getString("name"));
        card.put("emoji", rs.getString("emoji"));
        card.put("avatar", rs.getString("avatar"));
        card.put("default", rs.getBoolean("is_default"));
        card.put("model", rs.getString("model"));
        long activeRuns = counts.activeRuns();
        boolean gone = rs.getBoolean("gone");
        card.put("status", status(rs.getString("gateway_state"), gone, activeRuns, rs.getString("last_run_state")));
        card.put("sessionCount", counts.sessions());
        card.put("activeRuns", activeRuns);
        long lastSession = counts.lastActivityMs();
        Timestamp lastRun = rs.getTimestamp("last_run_at");
        long last = Math.max(lastSession, lastRun == null ? 0 : lastRun.getTime());
        card.put("lastActivity", last == 0 ? null : Instant.ofEpochMilli(last).toString());
        card.put("gone", gone);
        return card;
    }

    /** The whole fleet of a gateway as fleet.update carries it, as {@code c} sees it, {@code pending} as written. */
    Map<String, Object> fleet(Connection c, String gateway, AgentActivity.Pending pending) throws SQLException {
        Map<String, Object> fleet = new LinkedHashMap<>();
        fleet.put("gateway", gateway);
        try (PreparedStatement ps = c.prepareStatement("SELECT state, server_version FROM gateways WHERE name = ?")) {
            ps.setString(1, gateway);
            try (ResultSet rs = ps.executeQuery()) {
                boolean known = rs.next();
                fleet.put("state", known ? rs.getString(1) : "disconnected");
                fleet.put("serverVersion", known ? rs.getString(2) : null);
            }
        }
        AgentActivity.Tally tally = activity.tally(c, gateway, pending);
        List<Map<String, Object>> cards = cards(c, gateway, null, tally);
        cards.removeIf(card -> Boolean.TRUE.equals(card.get("gone")));
        fleet.put("agents", cards);
        long[] totals = tally.totals();
        fleet.put("sessions", Map.of("total", totals[0], "active", totals[1]));
        List<Object> presence = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT data::text FROM presence WHERE gateway = ? ORDER BY instance_key")) {
            ps.setString(1, gateway);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    presence.add(FleetMessages.stored(rs.getString(1)));
                }
            }
        }
        fleet.put("presence", presence);
        return fleet;
    }
}
