package io.controlcenter.fleet;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import io.controlcenter.gateway.Json;
import io.controlcenter.ops.Meters;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.controlcenter.sse.SseMessage;

/**
 * Writes the fleet to PostgreSQL: a batch of fleet events and sync snapshots in one transaction (state tables and the
 * event log), then returns the SSE messages to push, each with the id of its event-log row. Ordering is explicit:
 * every session row carries the gateway's clock of its data ({@code version}) and older data never overwrites newer,
 * whichever arrives last; a sync marks what it did not see as gone.
 */
public class FleetStore {

    /**
     * All session rows of a batch in one statement (arrays, one per column, unnested in order): a row per statement
     * took most of a 50,000-session sync. Each key occurs once per batch ({@code Batch.sessions} keeps the newest).
     */
    private static final String UPSERT_SESSIONS = """
            INSERT INTO sessions AS s (gateway, session_key, agent_id, session_id, status, has_active_run, active_run_id,
                                       updated_at_ms, version, data, gone, seen_at)
            SELECT u.gateway, u.session_key, u.agent_id, u.session_id, u.status, u.has_active_run, NULL, u.updated_at_ms,
                   u.version, CAST(u.data AS json), u.gone, TIMESTAMPTZ 'epoch' + u.seen_ms * INTERVAL '1 millisecond'
            FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS boolean[]), CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS text[]),
                        CAST(? AS boolean[]), CAST(? AS bigint[]))
                 AS u(gateway, session_key, agent_id, session_id, status, has_active_run, updated_at_ms, version, data,
                      gone, seen_ms)
            ON CONFLICT (gateway, session_key) DO UPDATE SET
                agent_id       = CASE WHEN EXCLUDED.version >= s.version THEN COALESCE(EXCLUDED.agent_id, s.agent_id) ELSE s.agent_id END,
                session_id     = CASE WHEN EXCLUDED.version >= s.version THEN COALESCE(EXCLUDED.session_id, s.session_id) ELSE s.session_id END,
                status         = CASE WHEN EXCLUDED.version >= s.version THEN EXCLUDED.status ELSE s.status END,
                has_active_run = CASE WHEN EXCLUDED.version >= s.version THEN EXCLUDED.has_active_run ELSE s.has_active_run END,
                updated_at_ms  = GREATEST(s.updated_at_ms, EXCLUDED.updated_at_ms),
                data           = CASE WHEN EXCLUDED.version < s.version THEN s.data
                                      WHEN CAST(? AS boolean) THEN CAST(CAST(s.data AS jsonb) || CAST(EXCLUDED.data AS jsonb) AS json)
                                      -- unchanged (every resync lists every row again): the stored value is kept, so
                                      -- it is not compressed and written to TOAST and the WAL again
                                      WHEN CAST(s.data AS text) = CAST(EXCLUDED.data AS text) THEN s.data
                                      ELSE EXCLUDED.data END,
                gone           = CASE WHEN EXCLUDED.version >= s.version THEN EXCLUDED.gone ELSE s.gone END,
                version        = GREATEST(s.version, EXCLUDED.version),
                seen_at        = GREATEST(s.seen_at, EXCLUDED.seen_at)""" + AgentActivity.RETURNING;
    /** Whether a run is in progress in each session, from chat events: one row per session, the batch's latest. */
    private static final String SESSION_RUNS = """
            INSERT INTO sessions AS s (gateway, session_key, agent_id, has_active_run, active_run_id, version, data, seen_at)
            SELECT u.gateway, u.session_key, u.agent_id, u.has_active_run, u.active_run_id, 0, '{}',
                   TIMESTAMPTZ 'epoch' + u.seen_ms * INTERVAL '1 millisecond'
            FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS boolean[]), CAST(? AS text[]),
                        CAST(? AS bigint[])) AS u(gateway, session_key, agent_id, has_active_run, active_run_id, seen_ms)
            ON CONFLICT (gateway, session_key) DO UPDATE SET
                has_active_run = EXCLUDED.has_active_run, active_run_id = EXCLUDED.active_run_id,
                agent_id = COALESCE(s.agent_id, EXCLUDED.agent_id), seen_at = GREATEST(s.seen_at, EXCLUDED.seen_at)"""
            + AgentActivity.RETURNING;
    private static final String TERMINAL = "('final', 'aborted', 'error')";
    /** A run's state from its chat events: the first terminal state wins, whatever arrives after it. */
    private static final String CHAT_RUN = """
            INSERT INTO chat_runs AS r (gateway, run_id, session_key, agent_id, kind, state, phase, text, stop_reason,
                                        error_message, error_kind, usage, started_by, proactive, started_at, ended_at,
                                        last_seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?, ?)
            ON CONFLICT (gateway, run_id) DO UPDATE SET
                agent_id      = COALESCE(r.agent_id, EXCLUDED.agent_id),
                state         = CASE WHEN r.state IN %1$s THEN r.state ELSE EXCLUDED.state END,
                phase         = CASE WHEN r.state IN %1$s THEN r.phase ELSE COALESCE(EXCLUDED.phase, r.phase) END,
                text          = CASE WHEN r.state IN %1$s THEN r.text ELSE EXCLUDED.text END,
                stop_reason   = CASE WHEN r.state IN %1$s THEN r.stop_reason ELSE EXCLUDED.stop_reason END,
                error_message = CASE WHEN r.state IN %1$s THEN r.error_message ELSE EXCLUDED.error_message END,
                error_kind    = CASE WHEN r.state IN %1$s THEN r.error_kind ELSE EXCLUDED.error_kind END,
                usage         = CASE WHEN r.state IN %1$s THEN r.usage ELSE COALESCE(EXCLUDED.usage, r.usage) END,
                started_at    = LEAST(r.started_at, EXCLUDED.started_at),
                ended_at      = CASE WHEN r.state IN %1$s THEN r.ended_at ELSE EXCLUDED.ended_at END,
                last_seq      = GREATEST(r.last_seq, EXCLUDED.last_seq),
                updated_at    = now()""".formatted(TERMINAL);
    private static final String CHAT_MESSAGE = """
            INSERT INTO chat_messages (gateway, run_id, session_key, role, text, created_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (gateway, run_id, role) DO NOTHING""";
    private static final String AGENT_RUN = "UPDATE agents SET last_run_state = ?, last_run_at = ? WHERE gateway = ? AND agent_id = ?";
    private static final String UPSERT_AGENT = """
            INSERT INTO agents AS a (gateway, agent_id, name, emoji, avatar, is_default, model, data, gone, seen_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), false, ?)
            ON CONFLICT (gateway, agent_id) DO UPDATE SET name = COALESCE(EXCLUDED.name, a.name),
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
    /** A batch's event-log rows in one statement, in id order (like {@link #UPSERT_SESSIONS}). */
    private static final String INSERT_EVENTS = """
            INSERT INTO event_log (id, gateway, event, seq, received_at, payload)
            SELECT u.id, u.gateway, u.event, u.seq, TIMESTAMPTZ 'epoch' + u.received_ms * INTERVAL '1 millisecond',
                   CAST(u.payload AS json)
            FROM unnest(CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]),
                        CAST(? AS bigint[]), CAST(? AS text[])) AS u(id, gateway, event, seq, received_ms, payload)""";
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

    /** Session rows per statement ({@link #UPSERT_SESSIONS}). */
    static final int SESSION_CHUNK = 2_000;

    private final DataSource dataSource;
    /** What cards count of each agent's sessions; a batch commits under its lock (see {@link #snapshot}). */
    private final AgentActivity activity = new AgentActivity();
    /** Only the single fleet-batch route thread calls {@link #persist}. */
    private Attempt attempt;
    /** The card last pushed per gateway and agent: an agent.update goes out only when it changed. */
    private final Map<String, Map<String, Object>> pushedCards = new ConcurrentHashMap<>();
    /** Agents touched since their cards were last compared, and those the current attempt compares (batch thread). */
    private final Map<String, Set<String>> pendingAgents = new LinkedHashMap<>();
    private Map<String, Set<String>> comparing;
    private long cardsComparedAt = System.nanoTime();
    private long agentUpdateIntervalNanos;
    private BooleanSupplier moreQueued = () -> false;

    private final Timer committed;
    private final Timer failed;
    private final DistributionSummary batchSizes;

    public FleetStore(DataSource dataSource, MeterRegistry meters) {
        this.dataSource = dataSource;
        String name = Meters.PREFIX + "db.batch";
        this.committed = Timer.builder(name).tag("outcome", "committed")
                .description("Transactions that stored a batch of fleet events: time from connection to commit")
                .register(meters);
        this.failed = Timer.builder(name).tag("outcome", "failed")
                .description("Transactions that stored a batch of fleet events: time from connection to commit")
                .register(meters);
        this.batchSizes = DistributionSummary.builder(name + ".size")
                .description("Fleet events and snapshots stored per transaction").register(meters);
    }

    /**
     * Persists a batch in one transaction and returns what to push, in order; nothing is pushed unless committed.
     * Called again with the same batch after a failure (the route retries), it first asks whether the failed attempt
     * did commit (the connection can drop while the commit is acknowledged): then it returns that attempt's messages
     * instead of storing the batch twice.
     */
    public List<SseMessage> persist(List<Object> items) throws SQLException {
        Attempt previous = attempt;
        attempt = null;
        if (previous != null && previous.items == items && committed(previous.token)) {
            activity.commit(previous.activity);
            pushedCards.putAll(previous.cards);
            return previous.messages;
        }
        long started = System.nanoTime();
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                UUID token = UUID.randomUUID();
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO persisted_batches (token) VALUES (?)")) {
                    ps.setObject(1, token);
                    ps.executeUpdate();
                }
                Batch batch = new Batch(c);
                for (Object item : items) {
                    if (item instanceof FleetSnapshot snapshot) {
                        batch.snapshot(snapshot);
                    } else if (item instanceof FleetSnapshot.SessionsPage page) {
                        batch.listed(page.gateway(), page.rows(), "polling".equals(page.source()));
                    } else {
                        batch.event((FleetEvent) item);
                    }
                }
                List<SseMessage> messages = batch.finish();
                attempt = new Attempt(items, token, messages, batch.cards, batch.written);
                synchronized (activity) {
                    c.commit();
                    activity.commit(batch.written);
                }
                attempt = null;
                pushedCards.putAll(batch.cards);
                committed.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                batchSizes.record(items.size());
                return messages;
            } catch (SQLException | RuntimeException e) {
                uncompared();
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone; the transaction ended with it
                }
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            failed.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            throw e;
        }
    }

    /**
     * Agent cards are compared (and agent.update pushed) at most every {@code interval} ms while more events wait
     * ({@code moreQueued}); 0: after every batch.
     */
    public void setAgentUpdateInterval(long intervalMs, BooleanSupplier moreQueued) {
        this.agentUpdateIntervalNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(intervalMs);
        this.moreQueued = moreQueued;
    }

    /** A failed attempt's agents are compared again later. */
    private void uncompared() {
        if (comparing != null) {
            comparing.forEach((gw, ids) -> pendingAgents.computeIfAbsent(gw, k -> new LinkedHashSet<>()).addAll(ids));
            comparing = null;
        }
    }

    /** A connection for what reads or writes agent cards: the counts are read from the table the first time. */
    private Connection connection() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            activity.load(c);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private boolean committed(UUID token) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM persisted_batches WHERE token = ?")) {
            ps.setObject(1, token);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The batch whose commit is under way, with what it will push: kept until the commit is known to have failed. */
    private record Attempt(List<Object> items, UUID token, List<SseMessage> messages,
                           Map<String, Map<String, Object>> cards, AgentActivity.Pending activity) {
    }

    /** Agent cards of a gateway ({@code agentIds} null: all), gone ones included. */
    public List<Map<String, Object>> cards(String gateway, Collection<String> agentIds) throws SQLException {
        try (Connection c = connection()) {
            return cards(c, gateway, agentIds, AgentActivity.Pending.NONE);
        }
    }

    /** Agent cards for GET /api/agents: live agents, and gone ones too when asked. */
    public List<Map<String, Object>> agents(String gateway, String includeGone) throws SQLException {
        List<Map<String, Object>> cards = cards(gateway, null);
        if (!"true".equals(includeGone)) {
            cards.removeIf(card -> Boolean.TRUE.equals(card.get("gone")));
        }
        return cards;
    }

    /** One agent's card, gone or not; null when the gateway never listed it. */
    public Map<String, Object> agent(String gateway, String agentId) throws SQLException {
        List<Map<String, Object>> cards = cards(gateway, List.of(agentId));
        return cards.isEmpty() ? null : cards.get(0);
    }

    /** The whole fleet of a gateway as fleet.update carries it. */
    public Map<String, Object> fleet(String gateway) throws SQLException {
        try (Connection c = connection()) {
            return fleet(c, gateway, AgentActivity.Pending.NONE);
        }
    }

    /**
     * Up to {@code limit} messages after {@code lastId} (Last-Event-ID replay), rebuilt from the event log exactly as
     * they were pushed; rows dashboards don't get are skipped without ending the page early.
     */
    public List<SseMessage> since(long lastId, int limit) {
        List<SseMessage> out = new ArrayList<>();
        long cursor = lastId;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id, gateway, event, payload::text FROM event_log WHERE id > ? ORDER BY id LIMIT ?")) {
            while (out.size() < limit) {
                int wanted = limit - out.size();
                int rows = 0;
                ps.setLong(1, cursor);
                ps.setInt(2, wanted);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        cursor = rs.getLong(1);
                        FleetMessages.Message m = FleetMessages.of(rs.getString(2), rs.getString(3), parse(rs.getString(4)));
                        if (m != null) {
                            out.add(sse(cursor, m));
                        }
                    }
                }
                if (rows < wanted) {
                    break;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the event log: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * What a dashboard that connects without Last-Event-ID gets first: one fleet.update with the id of the newest
     * event-log row, read in one consistent snapshot, so live messages after it continue exactly where it ends.
     */
    public List<SseMessage> snapshot(String gateway) {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            // no batch commits meanwhile: the counts in memory are those of the rows this transaction sees
            synchronized (activity) {
                try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(max(id), 0) FROM event_log");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long lastId = rs.getLong(1);
                    SseMessage m = new SseMessage(lastId, FleetMessages.FLEET_UPDATE,
                            Json.write(fleet(c, gateway, AgentActivity.Pending.NONE)), null);
                    c.commit();
                    return List.of(m);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the fleet: " + e.getMessage(), e);
        }
    }

    /** Deletes event-log rows older than the retention ({@code fleet.event-log.retention}); returns how many. */
    public int pruneEventLog(String retention) throws SQLException {
        long ms = org.apache.camel.util.TimeUtils.toMilliSeconds(retention);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM event_log WHERE received_at < ?");
             PreparedStatement tokens = c.prepareStatement("DELETE FROM persisted_batches WHERE stored_at < ?")) {
            Timestamp cutoff = Timestamp.from(Instant.now().minusMillis(ms));
            tokens.setTimestamp(1, cutoff);
            tokens.executeUpdate();
            ps.setTimestamp(1, cutoff);
            return ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------------------------------------

    private List<Map<String, Object>> cards(Connection c, String gateway, Collection<String> agentIds,
                                            AgentActivity.Pending pending) throws SQLException {
        List<Map<String, Object>> cards = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(agentIds == null ? CARDS_ALL : CARDS_OF)) {
            ps.setString(1, gateway);
            if (agentIds != null) {
                ps.setArray(2, c.createArrayOf("text", agentIds.toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cards.add(card(rs, activity.counts(gateway, rs.getString("agent_id"), pending)));
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
        String status;
        String gatewayState = rs.getString("gateway_state");
        if (!"connected".equals(gatewayState) && !"polling".equals(gatewayState)) {
            status = "offline";
        } else if (activeRuns > 0) {
            status = "working";
        } else if ("error".equals(rs.getString("last_run_state"))) {
            status = "error";
        } else {
            status = "idle";
        }
        card.put("status", gone ? "gone" : status);
        card.put("sessionCount", counts.sessions());
        card.put("activeRuns", activeRuns);
        long lastSession = counts.lastActivityMs();
        Timestamp lastRun = rs.getTimestamp("last_run_at");
        long last = Math.max(lastSession, lastRun == null ? 0 : lastRun.getTime());
        card.put("lastActivity", last == 0 ? null : Instant.ofEpochMilli(last).toString());
        card.put("gone", gone);
        return card;
    }

    private Map<String, Object> fleet(Connection c, String gateway, AgentActivity.Pending pending) throws SQLException {
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
        List<Map<String, Object>> cards = cards(c, gateway, null, pending);
        cards.removeIf(card -> Boolean.TRUE.equals(card.get("gone")));
        fleet.put("agents", cards);
        long[] totals = activity.totals(gateway, pending);
        fleet.put("sessions", Map.of("total", totals[0], "active", totals[1]));
        List<Object> presence = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT data::text FROM presence WHERE gateway = ? ORDER BY instance_key")) {
            ps.setString(1, gateway);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    presence.add(parse(rs.getString(1)));
                }
            }
        }
        fleet.put("presence", presence);
        return fleet;
    }

    private static Map<String, Object> parse(String json) {
        try {
            return Json.parseObject(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable JSON from the database", e);
        }
    }

    private static SseMessage sse(long id, FleetMessages.Message m) {
        return new SseMessage(id, m.event(), Json.write(m.data()), m.sessionKey());
    }

    private static Timestamp ts(long epochMs) {
        return new Timestamp(epochMs);
    }

    /** One transaction's work: state writes batched per statement, the event log written last with ids in order. */
    private final class Batch {
        private final Connection c;
        private final List<LogRow> log = new ArrayList<>();
        private final Map<String, Object[]> sessions = new LinkedHashMap<>();
        /** Per session, whether a run is in progress: the batch's latest chat event of it. */
        private final Map<String, Object[]> runs = new LinkedHashMap<>();
        /** The session rows this batch wrote, as its statements returned them. */
        private final AgentActivity.Pending written = new AgentActivity.Pending();
        private final List<Object[]> agentRuns = new ArrayList<>();
        /** The latest state of each chat run in this batch (one upsert per run), and the messages runs ended with. */
        private final Map<String, Object[]> chatRuns = new LinkedHashMap<>();
        private final List<Object[]> chatMessages = new ArrayList<>();
        private final Set<String> touchedGateways = new LinkedHashSet<>();
        private final Map<String, Set<String>> touchedAgents = new LinkedHashMap<>();
        private final Map<String, Map<String, Object>> cards = new LinkedHashMap<>();

        Batch(Connection c) {
            this.c = c;
            comparing = null;
        }

        void event(FleetEvent e) throws SQLException {
            Map<String, Object> p = e.payload() == null ? Map.of() : e.payload();
            switch (e.event()) {
                case "sessions.changed" -> {
                    Map<String, Object> row = FleetMessages.sessionRow(p);
                    long version = Json.number(p, "ts") != null ? Json.number(p, "ts") : e.receivedAt();
                    session(e.gateway(), row, version, FleetMessages.isDelete(p), e.receivedAt(), false);
                }
                case "chat" -> chat(e.gateway(), p, e.receivedAt());
                case "presence" -> {
                    flush();
                    presence(e.gateway(), p.get("presence"), e.receivedAt());
                }
                case "gateway.connected", "gateway.disconnected" -> {
                    flush();
                    lifecycle(e);
                }
                default -> {
                    // health, shutdown, config.changed: logged; the message (if any) is derived from the payload
                }
            }
            if (!e.event().startsWith("gateway.")) {
                LogRow row = new LogRow(e.gateway(), e.event(), e.seq(), e.receivedAt(), p);
                row.json = e.payloadJson();
                log.add(row);
            }
        }

        void snapshot(FleetSnapshot s) throws SQLException {
            flush();
            String gw = s.getGateway();
            long now = System.currentTimeMillis();
            boolean partial = "polling".equals(s.getSource());
            List<Map<String, Object>> agents = agentsOf(s.getAgents());
            Object defaultId = s.getAgents() == null ? null : s.getAgents().get("defaultId");
            try (PreparedStatement ps = c.prepareStatement(UPSERT_AGENT)) {
                for (Map<String, Object> a : agents) {
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
                    ps.setTimestamp(9, ts(now));
                    // a polled agent (agents_list) has fewer fields: it fills in, never blanks what the WebSocket gave
                    ps.setBoolean(10, partial);
                    ps.setBoolean(11, partial);
                    ps.setBoolean(12, partial);
                    ps.addBatch();
                    touch(gw, id);
                }
                ps.executeBatch();
            }
            if (s.isAgentsComplete()) {
                markGone("agents", gw, s.getStartedAt());
            }
            if (!s.isAgentsOnly()) {
                listed(gw, s.getSessions(), partial);
                flush();
                markGone("sessions", gw, s.getStartedAt());
                if (s.getPresence() != null) {
                    presence(gw, s.getPresence(), now);
                }
                // a poll shows the gateway reachable over HTTP: its agents are not offline (unless the WebSocket is back)
                try (PreparedStatement ps = c.prepareStatement(SYNCED)) {
                    ps.setString(1, gw);
                    ps.setString(2, "polling".equals(s.getSource()) ? "polling" : "connected");
                    ps.setString(3, s.getSource());
                    ps.executeUpdate();
                }
                LogRow fleet = new LogRow(gw, FleetMessages.FLEET_UPDATE, null, now, null); // data read after all writes
                fleet.source = s.getSource();
                log.add(fleet);
            }
        }

        /** Session rows of a sync, seen now. */
        void listed(String gw, List<FleetSnapshot.Listed> rows, boolean partial) {
            long now = System.currentTimeMillis();
            for (FleetSnapshot.Listed l : rows) {
                long version = Math.max(l.listedAt(), l.updatedAt() == null ? 0 : l.updatedAt());
                session(gw, l.key(), l.agentId(), l.sessionId(), l.status(), l.hasActiveRun(), l.updatedAt(), l.json(),
                        version, false, now, partial);
            }
        }

        /** {@code partial}: a polled row with fewer fields, merged into the stored one instead of replacing it. */
        private void session(String gw, Map<String, Object> row, long version, boolean gone, long seenAt, boolean partial) {
            session(gw, Json.string(row, "key"), Json.string(row, "agentId"), Json.string(row, "sessionId"),
                    Json.string(row, "status"), Boolean.TRUE.equals(row.get("hasActiveRun")), Json.number(row, "updatedAt"),
                    Json.write(row), version, gone, seenAt, partial);
        }

        /** {@code json}: the session row's JSON text. */
        private void session(String gw, String key, String agentId, String sessionId, String status, boolean active,
                             Long updatedAt, String json, long version, boolean gone, long seenAt, boolean partial) {
            if (key == null) {
                return;
            }
            Object[] prev = sessions.get(gw + "\n" + key);
            if (prev != null && (long) prev[7] > version) {
                return; // the batch already holds newer data for this session
            }
            sessions.put(gw + "\n" + key, new Object[] {gw, key, agentId, sessionId, status, active, updatedAt, version,
                    json, gone, seenAt, partial});
            touch(gw, agentId);
        }

        private void chat(String gw, Map<String, Object> p, long receivedAt) {
            String state = Json.string(p, "state");
            String key = Json.string(p, "sessionKey");
            String agentId = Json.string(p, "agentId");
            if (state == null || key == null) {
                return;
            }
            boolean active = "status".equals(state) || "delta".equals(state);
            String runId = Json.string(p, "runId");
            Object[] before = runs.get(gw + "\n" + key);
            runs.put(gw + "\n" + key, new Object[] {gw, key, agentId != null || before == null ? agentId : before[2], active,
                    active ? runId : null, receivedAt});
            if (!active && agentId != null) {
                agentRuns.add(new Object[] {state, ts(receivedAt), gw, agentId});
            }
            touch(gw, agentId);
            if (runId != null) {
                chatRun(gw, runId, key, agentId, state, !active, p, receivedAt);
            }
        }

        /** The run's row as its chat event (normalized by ChatTracker) leaves it; a finished run's text as a message. */
        private void chatRun(String gw, String runId, String key, String agentId, String state, boolean terminal,
                             Map<String, Object> p, long receivedAt) {
            Object[] previous = chatRuns.get(gw + "\n" + runId);
            Object usage = p.get("usage");
            chatRuns.put(gw + "\n" + runId, new Object[] {gw, runId, key, agentId,
                    p.getOrDefault("kind", "send"), state, Json.string(p, "phase"), Json.string(p, "text"),
                    Json.string(p, "stopReason"), Json.string(p, "errorMessage"), Json.string(p, "errorKind"),
                    usage == null ? null : Json.write(usage), Json.string(p, "startedBy"),
                    !Boolean.FALSE.equals(p.get("proactive")), previous != null ? previous[14] : ts(receivedAt),
                    terminal ? ts(receivedAt) : null, Json.number(p, "seq")});
            String text = Json.string(p, "text");
            if (("final".equals(state) || "aborted".equals(state)) && text != null && !text.isEmpty()) {
                chatMessages.add(new Object[] {gw, runId, key, "assistant", text, ts(receivedAt)});
            }
        }

        @SuppressWarnings("unchecked")
        private void presence(String gw, Object entries, long at) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(UPSERT_PRESENCE)) {
                for (Object o : entries instanceof List<?> l ? l : List.of()) {
                    Map<String, Object> entry = (Map<String, Object>) o;
                    ps.setString(1, gw);
                    ps.setString(2, FleetMessages.presenceKey(entry));
                    ps.setString(3, Json.string(entry, "mode"));
                    ps.setString(4, Json.string(entry, "reason"));
                    ps.setString(5, Json.string(entry, "host"));
                    Long t = Json.number(entry, "ts");
                    if (t == null) {
                        ps.setNull(6, java.sql.Types.BIGINT);
                    } else {
                        ps.setLong(6, t);
                    }
                    ps.setString(7, Json.write(entry));
                    ps.setTimestamp(8, ts(at));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM presence WHERE gateway = ? AND seen_at < ?")) {
                ps.setString(1, gw);
                ps.setTimestamp(2, ts(at));
                ps.executeUpdate();
            }
        }

        private void lifecycle(FleetEvent e) throws SQLException {
            boolean connected = "gateway.connected".equals(e.event());
            Map<String, Object> p = e.payload() == null ? Map.of() : e.payload();
            Map<String, Object> server = Json.map(p.get("server"));
            String state = connected ? "connected" : String.valueOf(p.getOrDefault("state", "disconnected"));
            try (PreparedStatement ps = c.prepareStatement(UPSERT_GATEWAY)) {
                ps.setString(1, e.gateway());
                ps.setString(2, Json.string(p, "url"));
                ps.setString(3, state);
                ps.setString(4, Json.string(server, "version"));
                ps.setString(5, Json.string(server, "connId"));
                ps.executeUpdate();
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("gateway", e.gateway());
            data.put("state", state);
            if (connected) {
                data.put("serverVersion", Json.string(server, "version"));
                data.put("connId", Json.string(server, "connId"));
                data.put("protocol", p.get("protocol"));
            } else {
                data.put("code", p.get("code"));
                data.put("reason", p.get("reason"));
            }
            log.add(new LogRow(e.gateway(), FleetMessages.GATEWAY_STATUS, null, e.receivedAt(), data));
            if (!connected) {
                // every card of the gateway turns offline: one fleet.update instead of an agent.update each
                log.add(new LogRow(e.gateway(), FleetMessages.FLEET_UPDATE, null, e.receivedAt(), null));
            }
        }

        /** Marks what a sync did not see (not touched since it started) as gone, in {@code table} (agents, sessions). */
        private void markGone(String table, String gw, long startedAt) throws SQLException {
            boolean sessions = "sessions".equals(table);
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table
                    + " SET gone = true WHERE gateway = ? AND NOT gone AND seen_at < ?"
                    + (sessions ? AgentActivity.RETURNING : " RETURNING agent_id"))) {
                ps.setString(1, gw);
                ps.setTimestamp(2, ts(startedAt));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        touch(gw, rs.getString("agent_id"));
                        if (sessions) {
                            written.put(AgentActivity.Row.of(rs));
                        }
                    }
                }
            }
        }

        private void touch(String gw, String agentId) {
            touchedGateways.add(gw);
            if (agentId != null) {
                touchedAgents.computeIfAbsent(gw, k -> new LinkedHashSet<>()).add(agentId);
            }
        }

        /** Writes the batched session and run changes. */
        private void flush() throws SQLException {
            upsertSessions();
            if (!runs.isEmpty()) {
                upsert(SESSION_RUNS, new String[] {"text", "text", "text", "bool", "text", "int8"},
                        new ArrayList<>(runs.values()));
                runs.clear();
            }
            batch(AGENT_RUN, agentRuns);
            batch(CHAT_RUN, chatRuns.values());
            batch(CHAT_MESSAGE, chatMessages);
        }

        /** Writes the batched session rows ({@link #UPSERT_SESSIONS}), those merged ({@code partial}) apart, and empties them. */
        private void upsertSessions() throws SQLException {
            for (boolean partial : new boolean[] {false, true}) {
                List<Object[]> all = sessions.values().stream().filter(r -> (boolean) r[11] == partial).toList();
                // a sync's rows in chunks: one array parameter of 50,000 rows would be a 150 MB string
                for (int from = 0; from < all.size(); from += SESSION_CHUNK) {
                    upsertSessions(all.subList(from, Math.min(all.size(), from + SESSION_CHUNK)), partial);
                }
            }
            sessions.clear();
        }

        private void upsertSessions(List<Object[]> rows, boolean partial) throws SQLException {
            upsert(UPSERT_SESSIONS, new String[] {"text", "text", "text", "text", "text", "bool", "int8", "int8", "text",
                    "bool", "int8"}, rows, partial);
        }

        /**
         * Runs an unnest statement that writes session rows: one array parameter per column of {@code rows} ({@code
         * types} in order), then {@code more}; the rows it returns go to the batch's {@link AgentActivity.Pending}.
         */
        private void upsert(String sql, String[] types, List<Object[]> rows, Object... more) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int col = 0; col < types.length; col++) {
                    ps.setArray(col + 1, column(types[col], rows, col));
                }
                for (int i = 0; i < more.length; i++) {
                    ps.setObject(types.length + i + 1, more[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        written.put(AgentActivity.Row.of(rs));
                    }
                }
            }
        }

        private Array column(String type, List<Object[]> rows, int col) throws SQLException {
            Object[] values = type.equals("text") ? new String[rows.size()] : type.equals("bool") ? new Boolean[rows.size()]
                    : new Long[rows.size()];
            for (int i = 0; i < values.length; i++) {
                Object v = rows.get(i)[col];
                values[i] = v instanceof Number n && type.equals("int8") ? Long.valueOf(n.longValue()) : v;
            }
            return c.createArrayOf(type, values);
        }

        /** Runs {@code sql} once per row (parameters in order), as one JDBC batch, and empties the rows. */
        private void batch(String sql, Collection<Object[]> rows) throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (Object[] r : rows) {
                    for (int i = 0; i < r.length; i++) {
                        ps.setObject(i + 1, r[i]);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            rows.clear();
        }

        /** Flushes, derives fleet.update data and changed agent cards, writes the event log and returns the messages. */
        List<SseMessage> finish() throws SQLException {
            flush();
            boolean fleetUpdate = false;
            for (LogRow row : log) {
                if (FleetMessages.FLEET_UPDATE.equals(row.event)) {
                    row.payload = fleet(c, row.gateway, written);
                    row.payload.put("source", row.source);
                    fleetUpdate = true;
                }
            }
            // with a fleet.update every card is sent (and remembered below): no agent.update, no query per agent
            for (Map.Entry<String, Set<String>> e : fleetUpdate ? Set.<Map.Entry<String, Set<String>>>of()
                    : agentsToCompare(touchedAgents).entrySet()) {
                for (Map<String, Object> card : cards(c, e.getKey(), e.getValue(), written)) {
                    String cardKey = e.getKey() + "\n" + card.get("id");
                    if (!card.equals(pushedCards.get(cardKey))) {
                        cards.put(cardKey, card);
                        log.add(new LogRow(e.getKey(), FleetMessages.AGENT_UPDATE, null, System.currentTimeMillis(), card));
                    }
                }
            }
            if (fleetUpdate) {
                // the fleet.update carries every card: remember them all as pushed
                for (String gw : touchedGatewaysWithFleetUpdate()) {
                    for (Map<String, Object> card : cards(c, gw, null, written)) {
                        cards.put(gw + "\n" + card.get("id"), card);
                    }
                }
            }
            return writeLog();
        }

        /**
         * The agents whose cards to compare now: those touched since the last comparison, once
         * {@code fleet.agent-update.interval} has passed since it or when no more events are waiting; else none (they
         * wait for a later batch). Under load a batch touches hundreds of agents and their card query took most of the
         * batch's time (BENCHMARKS.md); this bounds it by time instead of by batch.
         */
        private Map<String, Set<String>> agentsToCompare(Map<String, Set<String>> touched) {
            touched.forEach((gw, ids) -> pendingAgents.computeIfAbsent(gw, k -> new LinkedHashSet<>()).addAll(ids));
            long now = System.nanoTime();
            if (pendingAgents.isEmpty() || (now - cardsComparedAt < agentUpdateIntervalNanos && moreQueued.getAsBoolean())) {
                return Map.of();
            }
            cardsComparedAt = now;
            Map<String, Set<String>> due = new LinkedHashMap<>(pendingAgents);
            pendingAgents.clear();
            comparing = due;
            return due;
        }

        private Set<String> touchedGatewaysWithFleetUpdate() {
            Set<String> out = new LinkedHashSet<>();
            log.stream().filter(r -> FleetMessages.FLEET_UPDATE.equals(r.event)).forEach(r -> out.add(r.gateway));
            return out;
        }

        private List<SseMessage> writeLog() throws SQLException {
            List<SseMessage> messages = new ArrayList<>();
            if (log.isEmpty()) {
                return messages;
            }
            long[] ids = new long[log.size()];
            try (PreparedStatement ps = c.prepareStatement("SELECT nextval('event_log_id_seq') FROM generate_series(1, ?)")) {
                ps.setInt(1, ids.length);
                try (ResultSet rs = ps.executeQuery()) {
                    for (int i = 0; rs.next(); i++) {
                        ids[i] = rs.getLong(1);
                    }
                }
            }
            int n = ids.length;
            Long[] idArray = new Long[n];
            String[] gateways = new String[n];
            String[] events = new String[n];
            Long[] seqs = new Long[n];
            Long[] received = new Long[n];
            String[] payloads = new String[n];
            for (int i = 0; i < n; i++) {
                LogRow row = log.get(i);
                idArray[i] = ids[i];
                gateways[i] = row.gateway;
                events[i] = row.event;
                seqs[i] = row.seq;
                received[i] = row.receivedAt;
                payloads[i] = row.json != null ? row.json : Json.write(row.payload);
                FleetMessages.Message m = FleetMessages.of(row.gateway, row.event, row.payload);
                if (m != null) {
                    // a message whose data is the stored payload (chat, Control Center's own) is not written twice
                    messages.add(m.data() == row.payload ? new SseMessage(ids[i], m.event(), payloads[i], m.sessionKey())
                            : sse(ids[i], m));
                }
            }
            try (PreparedStatement ps = c.prepareStatement(INSERT_EVENTS)) {
                ps.setArray(1, c.createArrayOf("int8", idArray));
                ps.setArray(2, c.createArrayOf("text", gateways));
                ps.setArray(3, c.createArrayOf("text", events));
                ps.setArray(4, c.createArrayOf("int8", seqs));
                ps.setArray(5, c.createArrayOf("int8", received));
                ps.setArray(6, c.createArrayOf("text", payloads));
                ps.executeUpdate();
            }
            return messages;
        }
    }

    private static final class LogRow {
        final String gateway;
        final String event;
        final Long seq;
        final long receivedAt;
        Map<String, Object> payload;
        /** The payload's JSON text when made already (gateway events: by the batcher's caller), else null. */
        String json;
        /** For fleet.update: websocket or polling (null when a disconnect caused it). */
        String source;

        LogRow(String gateway, String event, Long seq, long receivedAt, Map<String, Object> payload) {
            this.gateway = gateway;
            this.event = event;
            this.seq = seq;
            this.receivedAt = receivedAt;
            this.payload = payload;
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
