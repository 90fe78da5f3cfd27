package io.controlcenter.support;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.controlcenter.gateway.Json;

/**
 * Fuzzed input from a gateway, frame by frame, with what the protocol says each one is, so that a test can tell what
 * Control Center must have counted: malformed JSON (not JSON, cut short, trailing text, not an object, no string
 * {@code type}), unknown frame types, binary frames, {@code res} for ids nobody asked, unknown events, known events
 * with wrong types in their fields, deep nesting, wrong and repeated {@code seq}, huge strings and frames over the
 * maximum payload; and among them valid {@code sessions.changed} events labelled {@code ok-<n>}, which must all be
 * stored and pushed. Seeded: the same seed makes the same frames. A gap is a {@code seq} above the connection's
 * highest one by more than one (each asks Control Center for a resync); a new connection starts after hello's seq 1.
 */
public final class HostileFrames {

    /** What a frame is, by what the protocol says of it. */
    public enum Kind {
        MALFORMED, UNKNOWN_TYPE, BINARY, LATE_RESPONSE, UNKNOWN_EVENT, WRONG_TYPES, DEEP, VALID, HUGE, OVERSIZED
    }

    /** One frame: its text (or binary bytes), whether its seq is a gap, and the label of a valid event. */
    public record Frame(Kind kind, String text, byte[] binary, boolean gap, String label) {
    }

    /** Nesting Jackson refuses (its default limit is 1000 levels): a frame nested deeper is malformed. */
    private static final int MAX_DEPTH = 1000;
    private static final String[] KNOWN_EVENTS = {"sessions.changed", "sessions.changed", "sessions.changed", "presence",
        "health", "tick", "chat", "chat", "shutdown", "agent", "connect.challenge"};
    private static final Object[] WRONG = {null, 0, -1, 1.5, Long.MAX_VALUE, new BigInteger("123456789012345678901234567890"),
        "", "x", "\u0000", "nul\u0000inside", "\ud800", "\uffff", "🤖".repeat(50), true, false, List.of(),
        List.of(1, "a", List.of()), Map.of(), Map.of("a", Map.of()), "z".repeat(4096)};

    private final Random random;
    private final long maxPayload;
    private final Map<Kind, Integer> sent = new EnumMap<>(Kind.class);
    private final long t0 = System.currentTimeMillis() + 60_000;
    private Long lastSeq = 1L;
    private int gaps;
    private int labels;

    public HostileFrames(long seed, long maxPayload) {
        this.random = new Random(seed);
        this.maxPayload = maxPayload;
    }

    /** Frames of each kind made so far. */
    public int sent(Kind kind) {
        return sent.getOrDefault(kind, 0);
    }

    /** Seq gaps made so far. */
    public int gaps() {
        return gaps;
    }

    /** Valid labelled events made so far ({@code ok-0} to {@code ok-<n-1>}). */
    public int labels() {
        return labels;
    }

    /** Control Center reconnected: the new connection's events follow hello's health event (seq 1). */
    public void newConnection() {
        lastSeq = 1L;
    }

    /** The next small frame, of a kind drawn by weight. */
    public Frame next() {
        int r = random.nextInt(100);
        return r < 18 ? malformed() : r < 23 ? unknownType() : r < 28 ? binary() : r < 38 ? lateResponse()
                : r < 50 ? event(Kind.UNKNOWN_EVENT, "x." + Integer.toString(random.nextInt(1 << 20), 36), anyValue(3))
                : r < 85 ? wrongTypes() : r < 88 ? deep() : valid(null);
    }

    /** A valid labelled event whose text is {@code bytes} long (up to the maximum payload): its label is huge. */
    public Frame huge(int bytes) {
        Frame small = valid("");
        int fill = Math.max(0, bytes - small.text().getBytes(StandardCharsets.UTF_8).length);
        return count(new Frame(Kind.HUGE, small.text().replace("\"label\":\"" + small.label() + "\"",
                "\"label\":\"" + small.label() + "x".repeat(fill) + "\""), null, false, small.label() + "x".repeat(fill)));
    }

    /** A frame of {@code bytes} above the maximum payload: Control Center closes with 1009 and connects again. */
    public Frame oversized(int bytes) {
        return count(new Frame(Kind.OVERSIZED, "{\"type\":\"event\",\"event\":\"x\",\"payload\":{\"s\":\""
                + "y".repeat((int) maxPayload + bytes) + "\"}}", null, false, null));
    }

    /** An event with the largest seq there is (as a number, or as 1e20, read as it): no seq after it is a gap. */
    public Frame lastSeq() {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "event");
        frame.put("event", "presence");
        frame.put("payload", Map.of("presence", List.of()));
        Object seq = random.nextBoolean() ? Long.MAX_VALUE : 1e20;
        frame.put("seq", seq);
        return count(new Frame(Kind.WRONG_TYPES, Json.write(frame), null, seq(seq), null));
    }

    /** A shutdown event announcing a restart in a wrong time (never, a negative one, a string, an hour). */
    public Frame shutdown() {
        Object[] whens = {Long.MAX_VALUE, 1e15, -5, "soon", 3_600_000, 9_000_000_000_000L};
        return event(Kind.WRONG_TYPES, "shutdown", new LinkedHashMap<>(Map.of("reason", "restart",
                "restartExpectedMs", whens[random.nextInt(whens.length)])));
    }

    private Frame valid(String extra) {
        int n = labels++;
        Map<String, Object> row = FakeFleet.session("agent:main:s0", "main", t0 + n);
        row.put("label", "ok-" + n + (extra == null ? "" : extra));
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "event");
        frame.put("event", "sessions.changed");
        frame.put("payload", FakeFleet.sessionsChanged(row, "patch", t0 + n));
        frame.put("seq", nextSeq());
        return count(new Frame(extra == null ? Kind.VALID : Kind.HUGE, Json.write(frame), null, false, "ok-" + n));
    }

    private Frame malformed() {
        String frame = Json.write(Map.of("type", "event", "event", "presence", "payload", Map.of("presence", List.of()),
                "seq", 3));
        String text = switch (random.nextInt(10)) {
            case 0 -> frame.substring(0, 1 + random.nextInt(frame.length() - 1)); // cut short
            case 1 -> frame + " " + frame; // trailing text
            case 2 -> "[" + frame + "]";
            case 3 -> new String[] {"", " ", "null", "true", "42", "\"event\"", "{", "}", "{]"}[random.nextInt(9)];
            case 4 -> Json.write(Map.of("event", "presence", "payload", Map.of())); // no type
            case 5 -> "{\"type\":" + Json.write(WRONG[random.nextInt(WRONG.length)]).replace("\"x\"", "1") + "}";
            case 6 -> "{\"type\":\"event\",\"event\":\"health\",\"payload\":{\"ok\":tru}}";
            case 7 -> "{\"type\":\"event\",\"seq\":1,,\"event\":\"tick\"}";
            case 8 -> "[".repeat(MAX_DEPTH + 1 + random.nextInt(4000)); // nested past the limit, never closed
            default -> randomText(1 + random.nextInt(200));
        };
        // a type that happens to be a string is not malformed: those are unknown types
        return count(new Frame(text.matches("\\{\"type\":\"[^\"]*\"}") ? Kind.UNKNOWN_TYPE : Kind.MALFORMED, text, null,
                false, null));
    }

    private Frame unknownType() {
        String[] types = {"req", "telemetry", "", "EVENT", "Res", "event ", "hello-ok", "ping"};
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", random.nextBoolean() ? types[random.nextInt(types.length)] : randomText(1 + random.nextInt(12)));
        frame.put("event", "sessions.changed");
        frame.put("id", "u-" + random.nextInt());
        frame.put("payload", anyValue(2));
        return count(new Frame(Kind.UNKNOWN_TYPE, Json.write(frame), null, false, null));
    }

    private Frame binary() {
        byte[] bytes = new byte[random.nextInt(4096)];
        random.nextBytes(bytes);
        return count(new Frame(Kind.BINARY, null, bytes, false, null));
    }

    private Frame lateResponse() {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "res");
        Object[] ids = {"x-" + random.nextInt(1_000_000), random.nextInt(), null, Map.of("id", 1), List.of("cc-1"), ""};
        int which = random.nextInt(ids.length + 1);
        if (which < ids.length) {
            frame.put("id", ids[which]); // else: no id at all
        }
        frame.put("ok", random.nextBoolean() ? random.nextBoolean() : anyValue(1));
        frame.put(random.nextBoolean() ? "payload" : "error", anyValue(2));
        return count(new Frame(Kind.LATE_RESPONSE, Json.write(frame), null, false, null));
    }

    /** A known event whose payload, or some of its fields, have the wrong type. */
    private Frame wrongTypes() {
        String event = KNOWN_EVENTS[random.nextInt(KNOWN_EVENTS.length)];
        Object payload;
        if (random.nextInt(5) == 0) {
            payload = WRONG[random.nextInt(WRONG.length)]; // the payload itself
        } else {
            Map<String, Object> p = template(event);
            List<String> fields = new ArrayList<>(p.keySet());
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                String field = fields.get(random.nextInt(fields.size()));
                if (p.get(field) instanceof Map<?, ?> nested && random.nextBoolean() && !nested.isEmpty()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> inner = new LinkedHashMap<>((Map<String, Object>) nested);
                    p.put(field, inner);
                    List<String> innerFields = new ArrayList<>(inner.keySet());
                    inner.put(innerFields.get(random.nextInt(innerFields.size())), WRONG[random.nextInt(WRONG.length)]);
                } else {
                    p.put(field, WRONG[random.nextInt(WRONG.length)]);
                }
            }
            payload = p;
        }
        return event(Kind.WRONG_TYPES, random.nextInt(20) == 0 ? WRONG[random.nextInt(WRONG.length)] : event, payload);
    }

    /** A payload as the gateway sends it for {@code event}. */
    private Map<String, Object> template(String event) {
        Map<String, Object> p = new LinkedHashMap<>();
        String key = "agent:main:h" + random.nextInt(10);
        switch (event) {
            case "sessions.changed" -> p.putAll(FakeFleet.sessionsChanged(FakeFleet.session(key, "main", t0),
                    random.nextBoolean() ? "patch" : "delete", t0));
            case "presence" -> p.put("presence", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("instanceId", "i-1",
                    "host", "h", "mode", "ui", "reason", "connect", "ts", t0)))));
            case "health" -> p.putAll(Map.of("ok", true, "ts", t0, "defaultAgentId", "main", "agents", List.of()));
            case "chat" -> p.putAll(Map.of("runId", "r-" + random.nextInt(100), "sessionKey", key, "agentId", "main",
                    "seq", random.nextInt(50), "state", new String[] {"delta", "final", "error", "aborted", "status"}
                            [random.nextInt(5)], "message", new LinkedHashMap<>(Map.of("role", "assistant",
                            "content", List.of(Map.of("type", "text", "text", "hi")))), "deltaText", "h"));
            case "shutdown" -> p.putAll(Map.of("reason", "restart", "restartExpectedMs", 1));
            default -> p.putAll(Map.of("ts", t0, "nonce", "n", "runId", "r", "data", new LinkedHashMap<>(Map.of("a", 1))));
        }
        return p;
    }

    private Frame deep() {
        int depth = 100 + random.nextInt(800); // within the limit: parsed, and stored or ignored like any payload
        Object value = "deep";
        for (int i = 0; i < depth; i++) {
            value = random.nextBoolean() ? List.of(value) : Map.of("d", value);
        }
        String event = random.nextBoolean() ? "sessions.changed" : "x.deep";
        Map<String, Object> payload = event.equals("x.deep") ? Map.of("v", value) : FakeFleet.sessionsChanged(
                withLabel(FakeFleet.session("agent:main:d0", "main", t0), value), "patch", t0);
        return event(Kind.DEEP, event, payload);
    }

    private static Map<String, Object> withLabel(Map<String, Object> row, Object label) {
        row.put("label", label);
        return row;
    }

    private Frame event(Kind kind, Object event, Object payload) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "event");
        frame.put("event", event);
        frame.put("payload", payload);
        boolean gap = false;
        int r = random.nextInt(100);
        if (r < 60) {
            frame.put("seq", nextSeq());
        } else if (r < 94) {
            // the largest seqs (1e20 is Long.MAX_VALUE once read) end all later gaps: those come from lastSeq()
            Object[] seqs = {lastSeq, lastSeq - 1 - random.nextInt(5), "7", 3.7, null, -9, lastSeq + 2 + random.nextInt(1000),
                lastSeq + 2, new BigInteger("98765432109876543210"), 0};
            Object seq = seqs[random.nextInt(seqs.length)];
            frame.put("seq", seq);
            gap = seq(seq);
        } // else: no seq at all
        return count(new Frame(kind, Json.write(frame), null, gap, null));
    }

    private Object nextSeq() {
        long next = lastSeq == Long.MAX_VALUE ? lastSeq : lastSeq + 1;
        seq(next);
        return next;
    }

    /** Follows the connection's highest seq as the protocol does; true when {@code value} is a gap. */
    private boolean seq(Object value) {
        if (!(value instanceof Number n)) {
            return false;
        }
        long s = n.longValue();
        boolean gap = s > lastSeq && s != lastSeq + 1;
        if (gap) {
            gaps++;
        }
        lastSeq = Math.max(lastSeq, s);
        return gap;
    }

    private Object anyValue(int depth) {
        return switch (depth <= 0 ? random.nextInt(3) : random.nextInt(5)) {
            case 0 -> WRONG[random.nextInt(WRONG.length)];
            case 1 -> random.nextLong();
            case 2 -> randomText(random.nextInt(40));
            case 3 -> java.util.Arrays.asList(anyValue(depth - 1), anyValue(depth - 1)); // may hold null
            default -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put(randomText(1 + random.nextInt(8)), anyValue(depth - 1));
                m.put("k", anyValue(depth - 1));
                yield m;
            }
        };
    }

    private String randomText(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x3000)));
        }
        return sb.toString();
    }

    private Frame count(Frame f) {
        sent.merge(f.kind(), 1, Integer::sum);
        return f;
    }
}
