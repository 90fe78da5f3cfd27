package io.controlcenter.chat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.controlcenter.db.Unnest;
import io.controlcenter.gateway.Json;

/**
 * Writes what one fleet batch's chat events say of their runs, in the batch's transaction: each run's row as the
 * batch's latest event of it leaves it (one upsert for all runs) and the text a finished run ended with as its
 * assistant message. The rest of the chat tables is {@link ChatStore}'s.
 */
public final class ChatRunWriter {

    private static final String TERMINAL = "('final', 'aborted', 'error')";
    /**
     * A run's state from its chat events: the first terminal state wins, whatever arrives after it. All of a batch's
     * runs in one statement (one array per column): a statement per run and per message were 27 % of PostgreSQL's
     * statement time at 10,000 events/s (BENCHMARKS.md, Ninth look). Each run occurs once per batch ({@link #add}
     * keeps its latest row).
     */
    private static final String CHAT_RUN = """
            INSERT INTO chat_runs AS r (gateway, run_id, session_key, agent_id, kind, state, phase, text, stop_reason,
                                        error_message, error_kind, usage, started_by, proactive, started_at, ended_at,
                                        last_seq)
            SELECT u.gateway, u.run_id, u.session_key, u.agent_id, u.kind, u.state, u.phase, u.text, u.stop_reason,
                   u.error_message, u.error_kind, CAST(u.usage AS jsonb), u.started_by, u.proactive,
                   TIMESTAMPTZ 'epoch' + u.started_ms * INTERVAL '1 millisecond',
                   TIMESTAMPTZ 'epoch' + u.ended_ms * INTERVAL '1 millisecond', u.last_seq
            FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS boolean[]),
                        CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS bigint[]))
                 AS u(gateway, run_id, session_key, agent_id, kind, state, phase, text, stop_reason, error_message,
                      error_kind, usage, started_by, proactive, started_ms, ended_ms, last_seq)
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
    /** A finished run's text, once per run and role: the first one of a batch wins, as one stored before would. */
    private static final String CHAT_MESSAGE = """
            INSERT INTO chat_messages (gateway, run_id, session_key, role, text, created_at)
            SELECT u.gateway, u.run_id, u.session_key, u.role, u.text,
                   TIMESTAMPTZ 'epoch' + u.created_ms * INTERVAL '1 millisecond'
            FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS bigint[])) AS u(gateway, run_id, session_key, role, text, created_ms)
            ON CONFLICT (gateway, run_id, role) DO NOTHING""";

    private record RunKey(String gateway, String runId) {
    }

    /** A chat_runs row ({@code usage} as JSON text, times in ms). */
    private record RunRow(String gateway, String runId, String sessionKey, String agentId, String kind, String state,
                          String phase, String text, String stopReason, String errorMessage, String errorKind,
                          String usage, String startedBy, boolean proactive, long startedAt, Long endedAt,
                          Long lastSeq) {
    }

    /** A chat_messages row. */
    private record MessageRow(String gateway, String runId, String sessionKey, String role, String text,
                              long createdAt) {
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
        Object usage = event.get("usage");
        String text = Json.string(event, "text");
        runs.put(key, new RunRow(gw, runId, sessionKey, agentId, (String) event.getOrDefault("kind", "send"), state,
                Json.string(event, "phase"), text, Json.string(event, "stopReason"), Json.string(event, "errorMessage"),
                Json.string(event, "errorKind"), usage == null ? null : Json.write(usage),
                Json.string(event, "startedBy"), !Boolean.FALSE.equals(event.get("proactive")),
                previous != null ? previous.startedAt() : receivedAt, terminal ? receivedAt : null,
                Json.number(event, "seq")));
        if (("final".equals(state) || "aborted".equals(state)) && text != null && !text.isEmpty()) {
            messages.add(new MessageRow(gw, runId, sessionKey, "assistant", text, receivedAt));
        }
    }

    /** Writes the runs, then the messages, each as one statement, and empties them. */
    public void flush(Connection c) throws SQLException {
        if (!runs.isEmpty()) {
            Unnest columns = new Unnest(runs.size(), "text", "text", "text", "text", "text", "text", "text", "text",
                    "text", "text", "text", "text", "text", "bool", "int8", "int8", "int8");
            for (RunRow r : runs.values()) {
                columns.add(r.gateway(), r.runId(), r.sessionKey(), r.agentId(), r.kind(), r.state(), r.phase(),
                        r.text(), r.stopReason(), r.errorMessage(), r.errorKind(), r.usage(), r.startedBy(),
                        r.proactive(), r.startedAt(), r.endedAt(), r.lastSeq());
            }
            columns.update(c, CHAT_RUN);
            runs.clear();
        }
        if (!messages.isEmpty()) {
            Unnest columns = new Unnest(messages.size(), "text", "text", "text", "text", "text", "int8");
            for (MessageRow m : messages) {
                columns.add(m.gateway(), m.runId(), m.sessionKey(), m.role(), m.text(), m.createdAt());
            }
            columns.update(c, CHAT_MESSAGE);
            messages.clear();
        }
    }
}
