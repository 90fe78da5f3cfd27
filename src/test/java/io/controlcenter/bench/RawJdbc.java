package io.controlcenter.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import static io.controlcenter.bench.Results.count;

/**
 * The database limits: the rows Control Center writes for the same events (an event-log row each, a session upsert
 * per sessions.changed, a run upsert per chat event), one transaction per 1,000 events like Control Center's batches,
 * into copies of its tables (schema bench_raw) on the same server. Here written with plain batched JDBC; the same rows
 * with COPY are {@link CopyLimit}. Only the database time is measured: the events are made first ({@link #rows}).
 * Each run's rows are checked before the schema is dropped: every event-log row there, every session, and a digest of
 * both tables that the two ways of writing must agree on.
 */
final class RawJdbc {

    private static final String UPSERT_SESSION = """
            INSERT INTO bench_raw.sessions AS s (gateway, session_key, agent_id, status, has_active_run, updated_at_ms,
                                                 version, data, gone, seen_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS json), false, ?)
            ON CONFLICT (gateway, session_key) DO UPDATE SET agent_id = EXCLUDED.agent_id, status = EXCLUDED.status,
                has_active_run = EXCLUDED.has_active_run, updated_at_ms = EXCLUDED.updated_at_ms,
                version = EXCLUDED.version, data = EXCLUDED.data, seen_at = EXCLUDED.seen_at
            WHERE s.version <= EXCLUDED.version""";
    private static final String UPSERT_RUN = """
            INSERT INTO bench_raw.sessions AS s (gateway, session_key, agent_id, has_active_run, version, data, seen_at)
            VALUES (?, ?, ?, ?, 0, '{}', ?)
            ON CONFLICT (gateway, session_key) DO UPDATE SET has_active_run = EXCLUDED.has_active_run,
                seen_at = EXCLUDED.seen_at""";
    private static final String INSERT_EVENT = """
            INSERT INTO bench_raw.event_log (id, gateway, event, seq, received_at, payload)
            VALUES (?, ?, ?, ?, ?, CAST(? AS json))""";
    /** Row count and an order-independent hash sum of the rows' text, per table. */
    private static final String DIGEST = """
            SELECT (SELECT count(*) || ':' || COALESCE(sum(hashtextextended(CAST(e AS text), 0)), 0)
                    FROM bench_raw.event_log e)
                || ' ' || (SELECT count(*) || ':' || COALESCE(sum(hashtextextended(CAST(s AS text), 0)), 0)
                           FROM bench_raw.sessions s)""";

    /** Events per transaction, as Control Center batches them. */
    static final int BATCH = 1_000;

    /** A stored event: its name and payload; session key and agent of a sessions.changed or chat event, else null. */
    record Row(String event, String payload, String key, String agent, boolean active, long ts) {

        boolean sessionChange() {
            return EventMix.SESSIONS_CHANGED.equals(event);
        }

        boolean chat() {
            return "chat".equals(event);
        }
    }

    /** A run's figure, and the digest of the rows it left ({@link #finish}). */
    record Written(double rowsPerSecond, String digest) {
    }

    private RawJdbc() {
    }

    /** The stored events among {@code events} events of the mix (the same seed every time). */
    static List<Row> rows(int agents, int sessions, int events) {
        EventMix mix = new EventMix(agents, sessions, 7);
        List<Row> rows = new ArrayList<>();
        StringBuilder sb = new StringBuilder(8192);
        long now = System.currentTimeMillis();
        for (int i = 0; i < events; i++) {
            sb.setLength(0);
            mix.next(sb, now + i);
            if (mix.stored) {
                boolean session = EventMix.SESSIONS_CHANGED.equals(mix.name) || "chat".equals(mix.name);
                rows.add(new Row(mix.name, sb.toString(), session ? unquote(mix.key) : null,
                        session ? unquote(mix.agent) : null, mix.active, now + i));
            }
        }
        return rows;
    }

    /** {@code rows} written with batched JDBC statements: stored events per second. */
    static Written write(String jdbcUrl, List<Row> rows) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            createSchema(c);
            c.setAutoCommit(false);
            long start = System.nanoTime();
            long id = 0;
            try (PreparedStatement log = c.prepareStatement(INSERT_EVENT);
                 PreparedStatement upsert = c.prepareStatement(UPSERT_SESSION);
                 PreparedStatement run = c.prepareStatement(UPSERT_RUN)) {
                for (int from = 0; from < rows.size(); from += BATCH) {
                    boolean sessionsBatched = false;
                    boolean runsBatched = false;
                    for (Row r : rows.subList(from, Math.min(rows.size(), from + BATCH))) {
                        Timestamp ts = new Timestamp(r.ts);
                        if (r.sessionChange()) {
                            add(upsert, "bench", r.key, r.agent, r.active ? "running" : "done", r.active, r.ts, r.ts,
                                    r.payload, ts);
                            sessionsBatched = true;
                        } else if (r.chat()) {
                            add(run, "bench", r.key, r.agent, r.active, ts);
                            runsBatched = true;
                        }
                        add(log, ++id, "bench", r.event, id, ts, r.payload);
                    }
                    if (sessionsBatched) {
                        upsert.executeBatch();
                    }
                    if (runsBatched) {
                        run.executeBatch();
                    }
                    log.executeBatch();
                    c.commit();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Written(rows.size() / seconds, finish(c, rows, "raw JDBC"));
        }
    }

    /** Schema bench_raw with empty copies of Control Center's sessions and event_log (indexes included). */
    static void createSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS bench_raw CASCADE");
            s.execute("CREATE SCHEMA bench_raw");
            s.execute("CREATE TABLE bench_raw.sessions (LIKE public.sessions INCLUDING ALL)");
            s.execute("CREATE TABLE bench_raw.event_log (LIKE public.event_log INCLUDING ALL)");
            // LIKE copies columns and indexes, not the tables' storage parameters (V10: rows stored uncompressed)
            s.execute("ALTER TABLE bench_raw.sessions SET (toast_tuple_target = 8160)");
            s.execute("ALTER TABLE bench_raw.event_log SET (toast_tuple_target = 8160)");
        }
    }

    /**
     * After a run: throws unless bench_raw holds an event-log row per row and a session per session key (the figure
     * would be of a broken run); returns the digest of both tables; drops the schema.
     */
    static String finish(Connection c, List<Row> rows, String run) throws Exception {
        c.setAutoCommit(true);
        long sessions = rows.stream().filter(r -> r.key != null).map(Row::key).distinct().count();
        long logged = count(c, "SELECT count(*) FROM bench_raw.event_log");
        long stored = count(c, "SELECT count(*) FROM bench_raw.sessions");
        if (logged != rows.size() || stored != sessions) {
            throw new IllegalStateException(run + " stored " + logged + " event-log rows and " + stored
                    + " sessions, not " + rows.size() + " and " + sessions);
        }
        try (Statement s = c.createStatement()) {
            String digest;
            try (ResultSet rs = s.executeQuery(DIGEST)) {
                rs.next();
                digest = rs.getString(1);
            }
            s.execute("DROP SCHEMA bench_raw CASCADE");
            return digest;
        }
    }

    /** Binds {@code values} in order and adds the row to the statement's batch. */
    private static void add(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setObject(i + 1, values[i]);
        }
        ps.addBatch();
    }

    private static String unquote(String s) {
        return s.substring(1, s.length() - 1);
    }
}
