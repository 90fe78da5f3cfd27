package io.controlcenter.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The chat side of a {@link FakeGateway} as the real gateway behaves (docs/PROTOCOL-NOTES.md, "Chat"):
 * chat.send answers {runId = idempotencyKey, status started} and a repeated key {status ok} with no new run;
 * chat.history returns a page of the session's transcript, the newest page first (user messages keyed
 * {@code <runId>:user}, replies carrying {@code __openclaw.runId}) and its active runs; chat.abort sends
 * {@code aborted} with the partial text before its answer; chat.inject sends a {@code final} of run
 * {@code inject-<messageId>} with seq 0 before its answer. The run's stream itself is driven by the test through
 * {@link Run}.
 */
public final class FakeChat {

    private final FakeGateway gateway;
    /** Every chat.send request's params, in order (repeats included). */
    public final List<Map<String, Object>> sends = new CopyOnWriteArrayList<>();
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, List<Map<String, Object>>> transcripts = new ConcurrentHashMap<>();
    private final Set<String> active = ConcurrentHashMap.newKeySet();

    public FakeChat(FakeGateway gateway) {
        this.gateway = gateway;
        gateway.method("chat.send", (conn, req) -> {
            Map<String, Object> p = params(req);
            sends.add(p);
            String key = (String) p.get("idempotencyKey");
            if (key == null) {
                conn.respondError(req.get("id"), Map.of("code", "INVALID_REQUEST",
                        "message", "invalid chat.send params: must have required property 'idempotencyKey'"));
                return;
            }
            if (runs.containsKey(key)) {
                conn.respond(req.get("id"), Map.of("runId", key, "status", "ok"));
                return;
            }
            String session = (String) p.get("sessionKey");
            Run run = new Run(key, session);
            runs.put(key, run);
            active.add(key);
            transcript(session).add(user(key, p.get("message")));
            conn.respond(req.get("id"), Map.of("runId", key, "status", "started"));
        });
        gateway.method("chat.history", (conn, req) -> conn.respond(req.get("id"), history(params(req))));
        gateway.method("chat.abort", (conn, req) -> {
            Map<String, Object> p = params(req);
            List<String> aborted = new ArrayList<>();
            for (Run r : runs.values()) {
                if (r.session.equals(p.get("sessionKey")) && active.contains(r.id)
                        && (p.get("runId") == null || r.id.equals(p.get("runId")))) {
                    r.end("aborted", Map.of("stopReason", "rpc"));
                    aborted.add(r.id);
                }
            }
            conn.respond(req.get("id"), Map.of("ok", true, "aborted", !aborted.isEmpty(), "runIds", aborted));
        });
        gateway.method("chat.inject", (conn, req) -> {
            Map<String, Object> p = params(req);
            String messageId = UUID.randomUUID().toString();
            String text = p.get("label") == null ? (String) p.get("message") : "[" + p.get("label") + "]\n\n" + p.get("message");
            // as the real gateway writes a note (appendAssistantTranscriptMessage): no run, model gateway-injected
            Map<String, Object> reply = assistant(text, "inject-" + messageId);
            reply.put("provider", "openclaw");
            reply.put("model", "gateway-injected");
            reply.put("__openclaw", Map.of("id", messageId));
            transcript((String) p.get("sessionKey")).add(reply);
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("runId", "inject-" + messageId);
            event.put("sessionKey", p.get("sessionKey"));
            event.put("agentId", "main");
            event.put("seq", 0);
            event.put("state", "final");
            event.put("message", reply);
            conn.event("chat", event);
            conn.respond(req.get("id"), Map.of("ok", true, "messageId", messageId));
        });
    }

    /** A run the test drives: one started by chat.send, or a proactive one ({@link #proactive}). */
    public Run run(String runId) {
        Run r = runs.get(runId);
        if (r == null) {
            throw new IllegalStateException("no run " + runId + "; sends: " + sends);
        }
        return r;
    }

    /** A run nobody sent (a cron job, the heartbeat, another client). */
    public Run proactive(String runId, String sessionKey) {
        Run r = new Run(runId, sessionKey);
        runs.put(runId, r);
        active.add(runId);
        return r;
    }

    /** A run that ended before the test looked: its user message and its reply, in the session's transcript. */
    public void past(String sessionKey, String runId, String message, String reply) {
        transcript(sessionKey).add(user(runId, message));
        transcript(sessionKey).add(assistant(reply, runId));
    }

    /**
     * A page of chat.history as the real gateway pages it (chat-history-page-kernel): {@code offset} (default 0)
     * counts back from the newest message and the page is the {@code limit} (default 200) messages before it, oldest
     * first, each with its place in the transcript as {@code __openclaw.seq} (1-based) and an entry id;
     * {@code nextOffset} ({@code totalMessages - oldest seq + 1}) is the page before, while {@code hasMore}.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> history(Map<String, Object> p) {
        String session = (String) p.get("sessionKey");
        List<Map<String, Object>> all = new ArrayList<>(transcript(session));
        int offset = p.get("offset") instanceof Number n ? n.intValue() : 0;
        int limit = Math.min(1000, p.get("limit") instanceof Number n ? n.intValue() : 200);
        int end = Math.max(0, all.size() - offset);
        int start = Math.max(0, end - limit);
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = start; i < end; i++) {
            Map<String, Object> m = new LinkedHashMap<>(all.get(i));
            Map<String, Object> meta = new LinkedHashMap<>(m.get("__openclaw") instanceof Map<?, ?> e
                    ? (Map<String, Object>) e : Map.of());
            meta.put("seq", i + 1);
            meta.putIfAbsent("id", "entry-" + (i + 1));
            m.put("__openclaw", meta);
            page.add(m);
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("sessionKey", session);
        res.put("sessionId", "sid-" + session);
        res.put("messages", page);
        if (p.containsKey("offset")) {
            res.put("offset", offset);
        }
        if (start > 0) {
            res.put("nextOffset", all.size() - start);
        }
        res.put("hasMore", start > 0);
        res.put("totalMessages", all.size());
        List<String> ids = runs.values().stream().filter(r -> r.session.equals(session) && active.contains(r.id))
                .map(r -> r.id).toList();
        res.put("sessionInfo", Map.of("key", session, "hasActiveRun", !ids.isEmpty(), "activeRunIds", ids));
        return res;
    }

    private List<Map<String, Object>> transcript(String session) {
        return transcripts.computeIfAbsent(session, k -> new CopyOnWriteArrayList<>());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(Map<String, Object> req) {
        return (Map<String, Object>) req.getOrDefault("params", Map.of());
    }

    /** The user message of run {@code runId}, keyed {@code <runId>:user} as the real gateway keeps it. */
    private static Map<String, Object> user(String runId, Object message) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("role", "user");
        user.put("content", message);
        user.put("timestamp", System.currentTimeMillis());
        user.put("idempotencyKey", runId + ":user");
        return user;
    }

    private static Map<String, Object> assistant(String text, String runId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", "assistant");
        m.put("content", List.of(Map.of("type", "text", "text", text)));
        m.put("timestamp", System.currentTimeMillis());
        m.put("stopReason", "stop");
        m.put("__openclaw", Map.of("runId", runId, "id", UUID.randomUUID().toString()));
        return m;
    }

    /** One run's stream: chat events with the run's seq (increasing, not contiguous, as the real gateway's). */
    public final class Run {
        public final String id;
        final String session;
        private long seq;
        private String text = "";

        Run(String id, String session) {
            this.id = id;
            this.session = session;
        }

        public Run status(String phase) {
            return send("status", Map.of("phase", phase));
        }

        /** A delta with its increment and the cumulative message, as the real gateway sends them. */
        public Run delta(String increment) {
            text += increment;
            return send("delta", Map.of("deltaText", increment, "message", message(text)));
        }

        /** The final answer: {@code finalText} is the truth, whatever the deltas said. */
        public Run finish(String finalText) {
            text = finalText;
            return end("final", Map.of("stopReason", "stop", "message", message(finalText)));
        }

        /** The run ends with {@code state}; the transcript gets the reply (final, aborted). */
        public Run end(String state, Map<String, Object> fields) {
            Map<String, Object> f = new LinkedHashMap<>(fields);
            f.putIfAbsent("message", message(text));
            active.remove(id);
            if (!"error".equals(state)) {
                Map<String, Object> reply = assistant(text, id);
                if ("aborted".equals(state)) {
                    reply.put("stopReason", "aborted");
                }
                transcript(session).add(reply);
            }
            return send(state, f);
        }

        /** Ends the run in the transcript only, as if it finished while nobody was connected. */
        public void finishUnseen(String finalText) {
            text = finalText;
            active.remove(id);
            transcript(session).add(assistant(finalText, id));
        }

        /** A chat event of this run with the next seq (skipping one, as agent events share the counter). */
        public Run send(String state, Map<String, Object> fields) {
            seq += 2;
            return sendWithSeq(seq, state, fields);
        }

        /** A chat event with an explicit seq (duplicates, out of order). */
        public Run sendWithSeq(long s, String state, Map<String, Object> fields) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("runId", id);
            p.put("sessionKey", session);
            p.put("agentId", "main");
            p.put("seq", s);
            p.put("state", state);
            p.putAll(fields);
            gateway.last().event("chat", p);
            return this;
        }

        public long seq() {
            return seq;
        }
    }

    public static Map<String, Object> message(String text) {
        return Map.of("role", "assistant", "content", List.of(Map.of("type", "text", "text", text)),
                "timestamp", System.currentTimeMillis());
    }
}
