package io.controlcenter.chat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import io.controlcenter.gateway.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat tables outside the event path: a send recorded before it goes out (so its events are known to be ours and
 * a retry with the same idempotency key starts nothing new), a send that failed, runs read back for the API and the
 * runs still in flight after a reconnect. The event path writes runs and messages in the fleet batch
 * ({@link ChatRunWriter}).
 */
public class ChatStore {

    private static final Logger LOG = LoggerFactory.getLogger(ChatStore.class);
    private static final String RUN_COLUMNS = """
            gateway, run_id, session_key, agent_id, kind, state, phase, text, stop_reason, error_message, error_kind,
            CAST(usage AS text) AS usage, started_by, proactive, started_at, ended_at""";

    private final DataSource dataSource;

    public ChatStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A run as it stands; {@code created} tells whether this call recorded it (false: it existed already). */
    public record Recorded(Map<String, Object> run, boolean created) {
    }

    /**
     * Records a run about to be started from the API, with the user's message, unless it exists. A run whose send
     * failed before reaching the gateway is recorded again (the retry sends it).
     */
    public Recorded recordSend(String gateway, String runId, String sessionKey, String kind, String message)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO chat_runs AS r (gateway, run_id, session_key, agent_id, kind, state, started_by, proactive,
                                                started_at)
                    VALUES (?, ?, ?, ?, ?, 'sending', ?, false, now())
                    ON CONFLICT (gateway, run_id) DO UPDATE SET state = 'sending', error_message = NULL,
                        ended_at = NULL, started_at = now(), updated_at = now()
                    WHERE r.state = 'send_failed' AND r.session_key = EXCLUDED.session_key""")) {
                ps.setString(1, gateway);
                ps.setString(2, runId);
                ps.setString(3, sessionKey);
                ps.setString(4, agentOf(sessionKey));
                ps.setString(5, kind);
                ps.setString(6, ChatTracker.STARTED_BY_US);
                boolean created = ps.executeUpdate() == 1;
                if (created && message != null) {
                    try (PreparedStatement m = c.prepareStatement("""
                            INSERT INTO chat_messages (gateway, run_id, session_key, role, text, created_at)
                            VALUES (?, ?, ?, 'user', ?, now()) ON CONFLICT (gateway, run_id, role) DO NOTHING""")) {
                        m.setString(1, gateway);
                        m.setString(2, runId);
                        m.setString(3, sessionKey);
                        m.setString(4, message);
                        m.executeUpdate();
                    }
                }
                Map<String, Object> run = run(c, gateway, runId);
                c.commit();
                return new Recorded(run, created);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * A send that did not start a run. {@code ended}: the gateway certainly did not take it (not connected, or it
     * refused); otherwise (no answer in time) it may have, and the reconcile after the next connect finds out.
     */
    public void sendFailed(String gateway, String runId, String error, boolean ended) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE chat_runs SET state = 'send_failed', error_message = ?, updated_at = now(),
                         ended_at = CASE WHEN ? THEN now() END
                     WHERE gateway = ? AND run_id = ? AND state = 'sending'""")) {
            ps.setString(1, error);
            ps.setBoolean(2, ended);
            ps.setString(3, gateway);
            ps.setString(4, runId);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("Run {}: could not record that its send failed: {}", runId, e.getMessage());
        }
    }

    /** GET /api/runs/{runId}: the run with its messages, or null. */
    public Map<String, Object> run(String gateway, String runId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Map<String, Object> run = run(c, gateway, runId);
            if (run == null) {
                return null;
            }
            List<Map<String, Object>> messages = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT role, text, created_at FROM chat_messages WHERE gateway = ? AND run_id = ? ORDER BY id")) {
                ps.setString(1, gateway);
                ps.setString(2, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("role", rs.getString(1));
                        m.put("text", rs.getString(2));
                        m.put("createdAt", instant(rs.getTimestamp(3)));
                        messages.add(m);
                    }
                }
            }
            run.put("messages", messages);
            return run;
        }
    }

    /** Runs not known to have ended: after a reconnect each is looked up in its session's history. */
    public List<Map<String, Object>> inFlight(String gateway) throws SQLException {
        List<Map<String, Object>> runs = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS
                     + " FROM chat_runs WHERE gateway = ? AND ended_at IS NULL ORDER BY started_at")) {
            ps.setString(1, gateway);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.add(row(rs));
                }
            }
        }
        return runs;
    }

    /** Which of {@code runIds} are proactive runs of the gateway (cron, heartbeat, another client's). */
    public Set<String> proactive(String gateway, Collection<String> runIds) throws SQLException {
        Set<String> proactive = new HashSet<>();
        if (runIds.isEmpty()) {
            return proactive;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT run_id FROM chat_runs WHERE gateway = ? AND run_id = ANY(?) AND proactive")) {
            ps.setString(1, gateway);
            ps.setArray(2, c.createArrayOf("text", runIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    proactive.add(rs.getString(1));
                }
            }
        }
        return proactive;
    }

    private static Map<String, Object> run(Connection c, String gateway, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS
                + " FROM chat_runs WHERE gateway = ? AND run_id = ?")) {
            ps.setString(1, gateway);
            ps.setString(2, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        }
    }

    private static Map<String, Object> row(ResultSet rs) throws SQLException {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("gateway", rs.getString("gateway"));
        run.put("runId", rs.getString("run_id"));
        run.put("sessionKey", rs.getString("session_key"));
        run.put("agentId", rs.getString("agent_id"));
        run.put("kind", rs.getString("kind"));
        run.put("state", rs.getString("state"));
        run.put("phase", rs.getString("phase"));
        run.put("text", rs.getString("text"));
        run.put("stopReason", rs.getString("stop_reason"));
        run.put("errorMessage", rs.getString("error_message"));
        run.put("errorKind", rs.getString("error_kind"));
        String usage = rs.getString("usage");
        try {
            run.put("usage", usage == null ? null : Json.parseObject(usage));
        } catch (java.io.IOException e) {
            run.put("usage", null);
        }
        run.put("startedBy", rs.getString("started_by"));
        run.put("proactive", rs.getBoolean("proactive"));
        run.put("startedAt", instant(rs.getTimestamp("started_at")));
        run.put("endedAt", instant(rs.getTimestamp("ended_at")));
        return run;
    }

    private static String instant(Timestamp t) {
        return t == null ? null : Instant.ofEpochMilli(t.getTime()).toString();
    }

    /** The agent a session key names ({@code agent:<id>:...}), or null. */
    static String agentOf(String sessionKey) {
        if (sessionKey != null && sessionKey.startsWith("agent:")) {
            int end = sessionKey.indexOf(':', 6);
            return end > 6 ? sessionKey.substring(6, end) : null;
        }
        return null;
    }
}
