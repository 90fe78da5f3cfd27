package io.controlcenter.chat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.controlcenter.gateway.Json;

/**
 * Writes what one fleet batch's chat events say of their runs, in the batch's transaction: each run's row as the
 * batch's latest event of it leaves it (one upsert per run) and the text a finished run ended with as its assistant
 * message. The rest of the chat tables is {@link ChatStore}'s.
 */
public final class ChatRunWriter {

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

    /** A row of one of the statements: its parameters, in order. */
    private interface Row {
        Object[] parameters();
    }

    private record RunKey(String gateway, String runId) {
    }

    /** A chat_runs row ({@code usage} as JSON text). */
    private record RunRow(String gateway, String runId, String sessionKey, String agentId, String kind, String state,
                          String phase, String text, String stopReason, String errorMessage, String errorKind,
                          String usage, String startedBy, boolean proactive, Timestamp startedAt, Timestamp endedAt,
                          Long lastSeq) implements Row {

        @Override
        public Object[] parameters() {
            return new Object[] {gateway, runId, sessionKey, agentId, kind, state, phase, text, stopReason,
                    errorMessage, errorKind, usage, startedBy, proactive, startedAt, endedAt, lastSeq};
        }
    }

    /** A chat_messages row. */
    private record MessageRow(String gateway, String runId, String sessionKey, String role, String text,
                              Timestamp createdAt) implements Row {

        @Override
        public Object[] parameters() {
            return new Object[] {gateway, runId, sessionKey, role, text, createdAt};
        }
    }

    private final Map<RunKey, RunRow> runs = new LinkedHashMap<>();
    private final List<MessageRow> messages = new ArrayList<>();

    /**
     * A chat event of a run (as ChatTracker normalized it), received at {@code receivedAt}: the run's row as the event
     * leaves it (started when the batch first saw it, ended now when {@code terminal}); a final or aborted run's text
     * becomes its assistant message.
     */
    public void add(String gw, String runId, String sessionKey, String agentId, String state, boolean terminal,
                    Map<String, Object> event, long receivedAt) {
        RunKey key = new RunKey(gw, runId);
        RunRow previous = runs.get(key);
        Timestamp at = new Timestamp(receivedAt);
        Object usage = event.get("usage");
        String text = Json.string(event, "text");
        runs.put(key, new RunRow(gw, runId, sessionKey, agentId, (String) event.getOrDefault("kind", "send"), state,
                Json.string(event, "phase"), text, Json.string(event, "stopReason"), Json.string(event, "errorMessage"),
                Json.string(event, "errorKind"), usage == null ? null : Json.write(usage),
                Json.string(event, "startedBy"), !Boolean.FALSE.equals(event.get("proactive")),
                previous != null ? previous.startedAt() : at, terminal ? at : null, Json.number(event, "seq")));
        if (("final".equals(state) || "aborted".equals(state)) && text != null && !text.isEmpty()) {
            messages.add(new MessageRow(gw, runId, sessionKey, "assistant", text, at));
        }
    }

    /** Writes the runs, then the messages, each as one JDBC batch, and empties them. */
    public void flush(Connection c) throws SQLException {
        batch(c, CHAT_RUN, runs.values());
        batch(c, CHAT_MESSAGE, messages);
    }

    /** Runs {@code sql} once per row, as one JDBC batch, and empties the rows. */
    private static void batch(Connection c, String sql, Collection<? extends Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Row r : rows) {
                Object[] parameters = r.parameters();
                for (int i = 0; i < parameters.length; i++) {
                    ps.setObject(i + 1, parameters[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
        rows.clear();
    }
}
