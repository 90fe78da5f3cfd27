package io.controlcenter.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The database limit: the rows Control Center writes for the same events (an event-log row each, a session upsert
 * per sessions.changed, a run upsert per chat event), written with plain batched JDBC, one transaction per 1,000
 * events like Control Center's batches, into copies of its tables (schema bench_raw) on the same server. Only the
 * JDBC time is measured: the events are made first.
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

    private record Row(String event, String payload, String key, String agent, boolean active, long ts) {
    }

    private RawJdbc() {
    }

    /** Stored events per second for {@code events} events of the mix. */
    static double rowsPerSecond(String jdbcUrl, int agents, int sessions, int events) throws Exception {
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
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            try (Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS bench_raw CASCADE");
                s.execute("CREATE SCHEMA bench_raw");
                s.execute("CREATE TABLE bench_raw.sessions (LIKE public.sessions INCLUDING ALL)");
                s.execute("CREATE TABLE bench_raw.event_log (LIKE public.event_log INCLUDING ALL)");
            }
            c.setAutoCommit(false);
            long start = System.nanoTime();
            long id = 0;
            try (PreparedStatement log = c.prepareStatement(INSERT_EVENT);
                 PreparedStatement upsert = c.prepareStatement(UPSERT_SESSION);
                 PreparedStatement run = c.prepareStatement(UPSERT_RUN)) {
                for (int from = 0; from < rows.size(); from += 1000) {
                    boolean sessionsBatched = false;
                    boolean runsBatched = false;
                    for (Row r : rows.subList(from, Math.min(rows.size(), from + 1000))) {
                        Timestamp ts = new Timestamp(r.ts);
                        if (EventMix.SESSIONS_CHANGED.equals(r.event)) {
                            add(upsert, "bench", r.key, r.agent, r.active ? "running" : "done", r.active, r.ts, r.ts,
                                    r.payload, ts);
                            sessionsBatched = true;
                        } else if ("chat".equals(r.event)) {
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
            try (Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                s.execute("DROP SCHEMA bench_raw CASCADE");
            }
            return rows.size() / seconds;
        }
    }

    /** Binds {@code values} in order and adds the row to the statement's batch. */
    private static void add(PreparedStatement ps, Object... values) throws java.sql.SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setObject(i + 1, values[i]);
        }
        ps.addBatch();
    }

    private static String unquote(String s) {
        return s.substring(1, s.length() - 1);
    }
}
