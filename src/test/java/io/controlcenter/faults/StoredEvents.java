package io.controlcenter.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What Control Center's embedded PostgreSQL (data directory {@code data}) holds, read with SQL by the fault tests. */
final class StoredEvents {

    private StoredEvents() {
    }

    /** The label of each live session, by key. */
    static Map<String, Object> storedLabels(Path data) {
        Map<String, Object> labels = new TreeMap<>();
        query(data, "SELECT session_key, data->>'label' FROM sessions WHERE NOT gone",
                rs -> labels.put(rs.getString(1), rs.getString(2)));
        return labels;
    }

    /** The ids of the live agents, in order. */
    static List<Object> storedAgents(Path data) {
        List<Object> ids = new ArrayList<>();
        query(data, "SELECT agent_id FROM agents WHERE NOT gone ORDER BY agent_id", rs -> ids.add(rs.getString(1)));
        return ids;
    }

    /** The event log's sessions.changed rows: how many, how many distinct labels. */
    static long[] sessionEvents(Path data) {
        long[] n = new long[2];
        query(data, "SELECT count(*), count(DISTINCT payload->'session'->>'label') FROM event_log"
                + " WHERE event = 'sessions.changed'", rs -> {
                    n[0] = rs.getLong(1);
                    n[1] = rs.getLong(2);
                });
        return n;
    }

    /** The labels of the stored sessions.changed events. */
    static java.util.Set<String> sessionEventLabels(Path data) {
        java.util.Set<String> labels = new java.util.HashSet<>();
        query(data, "SELECT payload->'session'->>'label' FROM event_log WHERE event = 'sessions.changed'",
                rs -> labels.add(rs.getString(1)));
        return labels;
    }

    /** The ids of the stored sessions.changed events, in order. */
    static List<Long> sessionEventIds(Path data) {
        List<Long> ids = new ArrayList<>();
        query(data, "SELECT id FROM event_log WHERE event = 'sessions.changed' ORDER BY id", rs -> ids.add(rs.getLong(1)));
        return ids;
    }

    private interface Row {
        void read(ResultSet rs) throws Exception;
    }

    private static void query(Path data, String sql, Row row) {
        try {
            int pgPort = Integer.parseInt(Files.readAllLines(data.resolve("postmaster.pid")).get(3).trim());
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/postgres",
                    "postgres", ""); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        } catch (Exception e) {
            throw new AssertionError(sql, e);
        }
    }
}
