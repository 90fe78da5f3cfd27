package io.controlcenter.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * The database limit the stored-events target is measured against: the rows {@link RawJdbc} writes, one transaction
 * per 1,000 events, written with PostgreSQL's COPY (pgjdbc's CopyManager). The event-log rows go straight into
 * bench_raw.event_log. The session upserts and run upserts, which COPY cannot do, go into temporary staging tables
 * (emptied at every commit), and from there into bench_raw.sessions with one INSERT ... SELECT ... ON CONFLICT each
 * per transaction, with the conflict rules of RawJdbc's statements: of a session's rows in one transaction the one
 * with the highest version wins (the later one of equal versions), a run upsert's the latest. Only the database time
 * is measured: the COPY data is made first; the rows are checked and compared with RawJdbc's ({@link RawJdbc#finish}).
 */
final class CopyLimit {

    /** The staging tables: the upserts' values in the order they came ({@code ord}). */
    private static final String STAGE_SESSIONS = """
            CREATE TEMP TABLE stage_sessions (gateway text, session_key text, agent_id text, status text,
                has_active_run boolean, updated_at_ms bigint, version bigint, data json, seen_at timestamptz,
                ord bigint GENERATED ALWAYS AS IDENTITY) ON COMMIT DELETE ROWS""";
    private static final String STAGE_RUNS = """
            CREATE TEMP TABLE stage_runs (gateway text, session_key text, agent_id text, has_active_run boolean,
                seen_at timestamptz, ord bigint GENERATED ALWAYS AS IDENTITY) ON COMMIT DELETE ROWS""";
    private static final String COPY_SESSIONS = "COPY stage_sessions (gateway, session_key, agent_id, status, "
            + "has_active_run, updated_at_ms, version, data, seen_at) FROM STDIN";
    private static final String COPY_RUNS = "COPY stage_runs (gateway, session_key, agent_id, has_active_run, seen_at) "
            + "FROM STDIN";
    private static final String COPY_EVENTS = "COPY bench_raw.event_log (id, gateway, event, seq, received_at, payload) "
            + "FROM STDIN";
    /** RawJdbc's session upsert for all the staged rows; DISTINCT ON: one row may not be updated twice by one INSERT. */
    private static final String UPSERT_SESSIONS = """
            INSERT INTO bench_raw.sessions AS s (gateway, session_key, agent_id, status, has_active_run, updated_at_ms,
                                                 version, data, gone, seen_at)
            SELECT DISTINCT ON (gateway, session_key) gateway, session_key, agent_id, status, has_active_run,
                   updated_at_ms, version, data, false, seen_at
            FROM stage_sessions ORDER BY gateway, session_key, version DESC, ord DESC
            ON CONFLICT (gateway, session_key) DO UPDATE SET agent_id = EXCLUDED.agent_id, status = EXCLUDED.status,
                has_active_run = EXCLUDED.has_active_run, updated_at_ms = EXCLUDED.updated_at_ms,
                version = EXCLUDED.version, data = EXCLUDED.data, seen_at = EXCLUDED.seen_at
            WHERE s.version <= EXCLUDED.version""";
    /** RawJdbc's run upsert for all the staged rows: each session's latest. */
    private static final String UPSERT_RUNS = """
            INSERT INTO bench_raw.sessions AS s (gateway, session_key, agent_id, has_active_run, version, data, seen_at)
            SELECT DISTINCT ON (gateway, session_key) gateway, session_key, agent_id, has_active_run, 0,
                   CAST('{}' AS json), seen_at
            FROM stage_runs ORDER BY gateway, session_key, ord DESC
            ON CONFLICT (gateway, session_key) DO UPDATE SET has_active_run = EXCLUDED.has_active_run,
                seen_at = EXCLUDED.seen_at""";

    /** One transaction's COPY data (text format, UTF-8); sessions and runs empty when it has none. */
    private record Batch(byte[] events, byte[] sessions, byte[] runs) {
    }

    private CopyLimit() {
    }

    /** {@code rows} written with COPY: stored events per second. */
    static RawJdbc.Written write(String jdbcUrl, List<RawJdbc.Row> rows) throws Exception {
        List<Batch> batches = batches(rows);
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            RawJdbc.createSchema(c);
            try (Statement s = c.createStatement()) {
                s.execute(STAGE_SESSIONS);
                s.execute(STAGE_RUNS);
            }
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            c.setAutoCommit(false);
            long start = System.nanoTime();
            try (PreparedStatement sessions = c.prepareStatement(UPSERT_SESSIONS);
                 PreparedStatement runs = c.prepareStatement(UPSERT_RUNS)) {
                for (Batch b : batches) {
                    // in RawJdbc's order: the session upserts, the run upserts, the event log
                    if (b.sessions.length > 0) {
                        copy(copy, COPY_SESSIONS, b.sessions);
                        sessions.executeUpdate();
                    }
                    if (b.runs.length > 0) {
                        copy(copy, COPY_RUNS, b.runs);
                        runs.executeUpdate();
                    }
                    copy(copy, COPY_EVENTS, b.events);
                    c.commit();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new RawJdbc.Written(rows.size() / seconds, RawJdbc.finish(c, rows, "COPY"));
        }
    }

    /** The COPY data of every transaction: the values RawJdbc binds, row by row. */
    private static List<Batch> batches(List<RawJdbc.Row> rows) {
        List<Batch> out = new ArrayList<>();
        long id = 0;
        for (int from = 0; from < rows.size(); from += RawJdbc.BATCH) {
            StringBuilder events = new StringBuilder(1 << 20);
            StringBuilder sessions = new StringBuilder();
            StringBuilder runs = new StringBuilder();
            for (RawJdbc.Row r : rows.subList(from, Math.min(rows.size(), from + RawJdbc.BATCH))) {
                Instant ts = Instant.ofEpochMilli(r.ts());
                if (r.sessionChange()) {
                    line(sessions, "bench", r.key(), r.agent(), r.active() ? "running" : "done", r.active(), r.ts(),
                            r.ts(), r.payload(), ts);
                } else if (r.chat()) {
                    line(runs, "bench", r.key(), r.agent(), r.active(), ts);
                }
                id++;
                line(events, id, "bench", r.event(), id, ts, r.payload());
            }
            out.add(new Batch(bytes(events), bytes(sessions), bytes(runs)));
        }
        return out;
    }

    /**
     * Appends a row in COPY's text format: fields separated by tabs, a newline at the end; in text, backslash, tab,
     * newline and carriage return escaped (JSON payloads hold backslashes); booleans as t and f; instants in ISO 8601.
     */
    private static void line(StringBuilder sb, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append('\t');
            }
            Object v = values[i];
            if (v instanceof Boolean b) {
                sb.append(b ? 't' : 'f');
            } else if (v instanceof String s) {
                escape(sb, s);
            } else {
                sb.append(v); // numbers, instants
            }
        }
        sb.append('\n');
    }

    private static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(ch);
            }
        }
    }

    private static byte[] bytes(StringBuilder sb) {
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One COPY of {@code data}; cancelled if it fails midway, so the connection can be closed. */
    private static void copy(CopyManager copy, String sql, byte[] data) throws SQLException {
        CopyIn in = copy.copyIn(sql);
        try {
            in.writeToCopy(data, 0, data.length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }
}
