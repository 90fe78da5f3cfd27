package io.controlcenter.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the load gateway serves: a fleet of {@code agents} agents and {@code sessions} sessions whose rows are the real
 * gateway's captured rows (frames/04, frames/65) with ids changed, and a live event stream shaped like the captured
 * chat runs (frames/60): per run a sessions.changed when it starts, chat status, five chat deltas and a final, the
 * parallel agent events (run_status, lifecycle, assistant, usage), and a sessions.changed when it ends; 64 runs at
 * a time on random sessions, plus a presence snapshot every 2,000 events and a health event every 5,000.
 * <p>
 * Every sessions.changed carries a label {@code b<n>} (n counts sessions.changed from 0) and its send time as
 * {@code ts}: the dashboard's session.update carries the label back, so clients can tell each event from the others.
 * Not thread-safe: one generator per sending thread.
 */
final class EventMix {

    static final String SESSIONS_CHANGED = "sessions.changed";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int CONCURRENT_RUNS = 64;
    private static final String[] WORDS = {" Hello", " from", " the", " mock", " model."};

    final int agents;
    final int sessions;
    private final Template row;
    private final Template changed;
    private final String agentSummary;
    private final SplittableRandom random;
    private final Run[] runs = new Run[CONCURRENT_RUNS];
    private int nextRun;
    private long events;
    private long labels;
    private long runIds;

    /** The event last made by {@link #next}: its name, and its label number (sessions.changed) or -1. */
    String name;
    long label;
    /** Whether Control Center stores this event (everything but agent events; ticks are not made here). */
    boolean stored;
    /** Session key and agent of the last chat or sessions.changed event (JSON-quoted), whether it has a run. */
    String key;
    String agent;
    boolean active;

    EventMix(int agents, int sessions, long seed) {
        this.agents = agents;
        this.sessions = sessions;
        this.random = new SplittableRandom(seed);
        try {
            Map<String, Object> r = capturedRow();
            r.put("key", "@KEY@");
            r.put("agentId", "@AGENT@");
            r.put("sessionId", "@SID@");
            r.put("label", "@LABEL@");
            r.put("updatedAt", "@TS@");
            r.put("lastInteractionAt", "@TS@");
            r.put("snapshotAt", "@TS@");
            r.put("status", "@STATUS@");
            r.put("hasActiveRun", "@ACTIVE@");
            r.put("activeRunIds", "@RUNIDS@");
            String[] holes = {"KEY", "AGENT", "SID", "LABEL", "TS", "STATUS", "ACTIVE", "RUNIDS"};
            row = new Template(MAPPER.writeValueAsString(r), holes);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("sessionKey", "@KEY@");
            p.put("agentId", "@AGENT@");
            p.put("reason", "@REASON@");
            p.put("ts", "@TS@");
            p.put("label", "@LABEL@");
            p.put("updatedAt", "@TS@");
            p.put("status", "@STATUS@");
            p.put("hasActiveRun", "@ACTIVE@");
            p.put("session", "@ROW@");
            changed = new Template(MAPPER.writeValueAsString(p), "KEY", "AGENT", "REASON", "TS", "LABEL", "STATUS",
                    "ACTIVE", "ROW");
            Map<String, Object> a = capturedAgent();
            a.put("id", "@ID@");
            a.put("name", "@NAME@");
            agentSummary = MAPPER.writeValueAsString(a);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the captured frames", e);
        }
    }

    /** Labels handed out so far: the next sessions.changed gets this one. */
    long labels() {
        return labels;
    }

    static String agentId(int i) {
        return "a" + i;
    }

    String sessionKey(int i) {
        return "agent:" + agentId(i % agents) + ":s" + i;
    }

    /** A session row as sessions.list lists it. */
    void listedRow(StringBuilder out, int i, long ts) {
        row.render(out, q(sessionKey(i)), q(agentId(i % agents)), sid(i), q("s" + i), Long.toString(ts), "\"done\"",
                "false", "[]");
    }

    /** The agents.list payload. */
    String agentsList() {
        StringBuilder sb = new StringBuilder(agents * (agentSummary.length() + 16));
        sb.append("{\"defaultId\":\"a0\",\"ownership\":\"explicit\",\"selectionRequired\":false,\"mainKey\":\"main\",")
                .append("\"scope\":\"per-sender\",\"agents\":[");
        for (int i = 0; i < agents; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(agentSummary.replace("\"@ID@\"", q(agentId(i))).replace("\"@NAME@\"", q("Agent " + i)));
        }
        return sb.append("]}").toString();
    }

    /** A sessions.list page payload. */
    String sessionsPage(int offset, int limit, long ts) {
        int end = Math.min(sessions, offset + Math.max(1, limit));
        StringBuilder sb = new StringBuilder((end - offset) * 2700 + 200);
        sb.append("{\"ts\":").append(ts).append(",\"path\":\"/state/sessions\",\"count\":").append(end - offset)
                .append(",\"totalCount\":").append(sessions).append(",\"limitApplied\":").append(limit)
                .append(",\"nextOffset\":").append(end).append(",\"hasMore\":").append(end < sessions)
                .append(",\"sessions\":[");
        for (int i = offset; i < end; i++) {
            if (i > offset) {
                sb.append(',');
            }
            listedRow(sb, i, 1_000);
        }
        return sb.append("]}").toString();
    }

    static String presence(long ts) {
        return "{\"presence\":[{\"host\":\"gw-host\",\"ip\":\"127.0.0.1\",\"version\":\"2026.9.6\",\"platform\":\"linux\","
                + "\"mode\":\"gateway\",\"reason\":\"self\",\"instanceId\":\"gw-1\",\"text\":\"Gateway\",\"ts\":" + ts + "},"
                + "{\"clientId\":\"openclaw-control-ui\",\"mode\":\"ui\",\"instanceId\":\"ui-1\",\"roles\":[\"operator\"],"
                + "\"host\":\"laptop\",\"version\":\"2026.9.6\",\"platform\":\"macos\",\"reason\":\"connect\",\"ts\":" + ts + "}]}";
    }

    /**
     * Appends the next event's payload to {@code out}; sets {@link #name}, {@link #label} and {@link #stored}.
     * {@code now} is the send time (epoch ms), carried as the payload's ts.
     */
    void next(StringBuilder out, long now) {
        events++;
        label = -1;
        stored = true;
        if (events % 2000 == 0) {
            name = "presence";
            out.append(presence(now));
            return;
        }
        if (events % 5000 == 1) {
            name = "health";
            out.append("{\"ok\":true,\"ts\":").append(now).append(",\"durationMs\":3,\"defaultAgentId\":\"a0\",")
                    .append("\"heartbeatSeconds\":1800,\"sessions\":{\"count\":").append(sessions).append("}}");
            return;
        }
        int r = nextRun;
        nextRun = (nextRun + 1) % CONCURRENT_RUNS;
        Run run = runs[r];
        if (run == null || run.step > 19) {
            run = runs[r] = new Run(random.nextInt(sessions), "r-" + (++runIds));
        }
        int step = run.step++;
        key = q(sessionKey(run.session));
        agent = q(agentId(run.session % agents));
        String runId = q(run.id);
        active = step < 17;
        if (step == 0 || step == 19) {
            name = SESSIONS_CHANGED;
            label = labels++;
            String ts = Long.toString(now);
            String lbl = q("b" + label);
            String status = active ? "\"running\"" : "\"done\"";
            StringBuilder rowText = row.render(new StringBuilder(2800), key, agent, sid(run.session), lbl, ts, status,
                    Boolean.toString(active), active ? "[" + runId + "]" : "[]");
            changed.render(out, key, agent, active ? "\"agent.run.started\"" : "\"activity-summary\"", ts, lbl, status,
                    Boolean.toString(active), rowText.toString());
            return;
        }
        String common = "{\"runId\":" + runId + ",\"sessionKey\":" + key + ",\"agentId\":" + agent + ",\"seq\":" + step;
        switch (step) {
            case 1, 3 -> chat(out.append(common).append(",\"state\":\"status\",\"phase\":\"")
                    .append(step == 1 ? "preparing_workspace" : "starting_model").append("\"}"));
            case 2 -> agent(out.append(common).append(",\"stream\":\"run_status\",\"data\":{\"phase\":\"preparing_context\"}"), now);
            case 4, 5, 18 -> agent(out.append(common).append(",\"stream\":\"lifecycle\",\"data\":{\"phase\":\"")
                    .append(step == 4 ? "start" : step == 5 ? "model" : "end").append("\",\"startedAt\":").append(now)
                    .append('}'), now);
            case 16 -> agent(out.append(common).append(",\"stream\":\"usage\",\"data\":{\"outputTokens\":5}"), now);
            case 17 -> chat(out.append(common).append(",\"state\":\"final\",\"stopReason\":\"stop\",\"message\":")
                    .append(message(5, now)).append('}'));
            default -> {
                int w = (step - 6) / 2; // 6..15: assistant, delta for each of the five words
                if (step % 2 == 0) {
                    agent(out.append(common).append(",\"stream\":\"assistant\",\"data\":{\"text\":\"")
                            .append(text(w + 1)).append("\",\"delta\":\"").append(WORDS[w]).append("\",\"itemId\":")
                            .append(runId).append('}'), now);
                } else {
                    chat(out.append(common).append(",\"state\":\"delta\",\"deltaText\":\"").append(WORDS[w])
                            .append("\",\"message\":").append(message(w + 1, now)).append('}'));
                }
            }
        }
    }

    private void chat(StringBuilder out) {
        name = "chat";
    }

    private void agent(StringBuilder out, long now) {
        name = "agent";
        stored = false;
        out.append(",\"ts\":").append(now).append(",\"isHeartbeat\":false}");
    }

    private static String message(int words, long now) {
        return "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"" + text(words) + "\"}],\"timestamp\":"
                + now + "}";
    }

    private static String text(int words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            sb.append(WORDS[i]);
        }
        return sb.toString().trim();
    }

    private static String sid(int i) {
        return String.format("\"00000000-0000-4000-8000-%012d\"", i);
    }

    private static String q(String s) {
        return Template.quote(s);
    }

    private static final class Run {
        final int session;
        final String id;
        int step;

        Run(int session, String id) {
            this.session = session;
            this.id = id;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> capturedRow() throws IOException {
        return (Map<String, Object>) ((List<Object>) capturedPayload("65-sessions.list-after-runs").get("sessions")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> capturedAgent() throws IOException {
        return (Map<String, Object>) ((List<Object>) capturedPayload("04-agents.list").get("agents")).get(0);
    }

    /** The payload of the first response in a captured frame file (test resources, also in the bench jar). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> capturedPayload(String capture) throws IOException {
        try (InputStream in = EventMix.class.getResourceAsStream("/frames/" + capture + ".json")) {
            if (in == null) {
                throw new IOException("frames/" + capture + ".json not on the classpath");
            }
            for (Map<String, Object> entry : (List<Map<String, Object>>) MAPPER.readValue(in, List.class)) {
                Map<String, Object> frame = (Map<String, Object>) entry.get("frame");
                if ("in".equals(entry.get("dir")) && frame != null && "res".equals(frame.get("type"))) {
                    return new LinkedHashMap<>((Map<String, Object>) frame.get("payload"));
                }
            }
        }
        throw new IOException("no response in frames/" + capture + ".json");
    }
}
