package io.controlcenter.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.controlcenter.db.Unnest;

/**
 * A batch's writes to the sessions table: its session rows (the newest per session) and, from chat events, whether a
 * run is in progress in each session, written with unnest statements. The rows those statements return are the batch's
 * {@link AgentActivity.Pending}.
 */
final class SessionWrites {

    /**
     * All session rows of a batch in one statement (arrays, one per column, unnested in order): a row per statement
     * took most of a 50,000-session sync. Each key occurs once per batch ({@link #put} keeps the newest).
     */
    private static final String UPSERT_SESSIONS = """
            INSERT INTO sessions AS s (gateway, session_key, agent_id, session_id, status, has_active_run, active_run_id,
                                       updated_at_ms, version, data, gone, seen_at, input_tokens, output_tokens,
                                       total_tokens)
            SELECT u.gateway, u.session_key, u.agent_id, u.session_id, u.status, u.has_active_run, NULL, u.updated_at_ms,
                   u.version, CAST(u.data AS json), u.gone, TIMESTAMPTZ 'epoch' + u.seen_ms * INTERVAL '1 millisecond',
                   CAST(u.input_tokens AS numeric), CAST(u.output_tokens AS numeric), CAST(u.total_tokens AS numeric)
            FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS boolean[]), CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS text[]),
                        CAST(? AS boolean[]), CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS text[]))
                 AS u(gateway, session_key, agent_id, session_id, status, has_active_run, updated_at_ms, version, data,
                      gone, seen_ms, input_tokens, output_tokens, total_tokens)
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
                -- the counts go with the data (a merged row without them keeps those it had)
                input_tokens   = CASE WHEN EXCLUDED.version < s.version THEN s.input_tokens
                                      WHEN CAST(? AS boolean) THEN COALESCE(EXCLUDED.input_tokens, s.input_tokens)
                                      ELSE EXCLUDED.input_tokens END,
                output_tokens  = CASE WHEN EXCLUDED.version < s.version THEN s.output_tokens
                                      WHEN CAST(? AS boolean) THEN COALESCE(EXCLUDED.output_tokens, s.output_tokens)
                                      ELSE EXCLUDED.output_tokens END,
                total_tokens   = CASE WHEN EXCLUDED.version < s.version THEN s.total_tokens
                                      WHEN CAST(? AS boolean) THEN COALESCE(EXCLUDED.total_tokens, s.total_tokens)
                                      ELSE EXCLUDED.total_tokens END,
                gone           = CASE WHEN EXCLUDED.version >= s.version THEN EXCLUDED.gone ELSE s.gone END,
                version        = GREATEST(s.version, EXCLUDED.version),
                seen_at        = GREATEST(s.seen_at, EXCLUDED.seen_at)
            -- a row that would stay as it is (every resync lists every session again, most unchanged) is not written
            -- at all: no new row version, no WAL, not returned. Its version and seen_at stay those of the data's
            -- first arrival; a sync tells what it listed by key (FleetBatch.markGone), not by seen_at
            WHERE CAST(? AS boolean)
               OR EXCLUDED.version < s.version
               OR s.gone <> EXCLUDED.gone
               OR s.has_active_run <> EXCLUDED.has_active_run
               OR s.status IS DISTINCT FROM EXCLUDED.status
               OR s.agent_id IS DISTINCT FROM COALESCE(EXCLUDED.agent_id, s.agent_id)
               OR s.session_id IS DISTINCT FROM COALESCE(EXCLUDED.session_id, s.session_id)
               OR s.updated_at_ms IS DISTINCT FROM GREATEST(s.updated_at_ms, EXCLUDED.updated_at_ms)
               OR CAST(s.data AS text) <> CAST(EXCLUDED.data AS text)""" + AgentActivity.RETURNING;
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

    /** Session rows per statement ({@link #UPSERT_SESSIONS}). */
    static final int SESSION_CHUNK = 2_000;

    /** A session's run state as a chat event leaves it: in progress ({@code activeRunId}) or not. */
    private record RunRow(String gateway, String key, String agentId, boolean active, String activeRunId, long seenAt) {
    }

    private final Connection c;
    private final Map<SessionKey, SessionRow> sessions = new LinkedHashMap<>();
    /** Per session, whether a run is in progress: the batch's latest chat event of it. */
    private final Map<SessionKey, RunRow> runs = new LinkedHashMap<>();
    /** The session rows this batch wrote, as its statements returned them. */
    private final AgentActivity.Pending written = new AgentActivity.Pending();

    SessionWrites(Connection c) {
        this.c = c;
    }

    /** Takes {@code row} unless it has no key or the batch holds newer data for its session; says whether it did. */
    boolean put(SessionRow row) {
        if (row.key() == null) {
            return false;
        }
        SessionKey key = new SessionKey(row.gateway(), row.key());
        SessionRow prev = sessions.get(key);
        if (prev != null && prev.version() > row.version()) {
            return false; // the batch already holds newer data for this session
        }
        sessions.put(key, row);
        return true;
    }

    /** A chat event's run state for its session; without an agentId, the one an earlier event of the batch gave. */
    void run(String gw, String key, String agentId, boolean active, String runId, long seenAt) {
        SessionKey k = new SessionKey(gw, key);
        RunRow before = runs.get(k);
        runs.put(k, new RunRow(gw, key, agentId != null || before == null ? agentId : before.agentId(), active,
                active ? runId : null, seenAt));
    }

    /** A session row another statement of the batch returned (those a sync marked gone). */
    void wrote(AgentActivity.Row row) {
        written.put(row);
    }

    AgentActivity.Pending written() {
        return written;
    }

    /** Writes the batched session rows, those merged ({@code partial}) apart, then the run states, and empties both. */
    void flush() throws SQLException {
        for (boolean partial : new boolean[] {false, true}) {
            List<SessionRow> all = sessions.values().stream().filter(r -> r.partial() == partial).toList();
            // a sync's rows in chunks: one array parameter of 50,000 rows would be a 150 MB string
            for (int from = 0; from < all.size(); from += SESSION_CHUNK) {
                upsertSessions(all.subList(from, Math.min(all.size(), from + SESSION_CHUNK)), partial);
            }
        }
        sessions.clear();
        if (!runs.isEmpty()) {
            upsertRuns();
            runs.clear();
        }
    }

    private void upsertSessions(List<SessionRow> rows, boolean partial) throws SQLException {
        Unnest columns = new Unnest(rows.size(), "text", "text", "text", "text", "text", "bool", "int8", "int8", "text",
                "bool", "int8", "text", "text", "text");
        for (SessionRow r : rows) {
            SessionTokens t = r.tokens();
            columns.add(r.gateway(), r.key(), r.agentId(), r.sessionId(), r.status(), r.hasActiveRun(), r.updatedAt(),
                    r.version(), r.json(), r.gone(), r.seenAt(), t.input(), t.output(), t.total());
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT_SESSIONS)) {
            columns.bind(ps);
            // whether the rows are merged, in each of the five places the statement asks
            for (int i = 15; i <= 19; i++) {
                ps.setBoolean(i, partial);
            }
            readReturned(ps);
        }
    }

    private void upsertRuns() throws SQLException {
        Unnest columns = new Unnest(runs.size(), "text", "text", "text", "bool", "text", "int8");
        for (RunRow r : runs.values()) {
            columns.add(r.gateway(), r.key(), r.agentId(), r.active(), r.activeRunId(), r.seenAt());
        }
        try (PreparedStatement ps = c.prepareStatement(SESSION_RUNS)) {
            columns.bind(ps);
            readReturned(ps);
        }
    }

    /** Runs a statement that writes session rows: the rows it returns are the batch's. */
    private void readReturned(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                written.put(AgentActivity.Row.of(rs));
            }
        }
    }
}
