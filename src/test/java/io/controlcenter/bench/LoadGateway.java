package io.controlcenter.bench;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;

/**
 * The load gateway: a WebSocket server that speaks the OpenClaw protocol v4 as the real gateway does (challenge,
 * connect with token, hello-ok with policy, res with ok/payload, seq-numbered events, ticks), serves an {@link EventMix}
 * fleet to the sync (agents.list, paged sessions.list, system-presence, sessions.subscribe) and sends the mix's live
 * events at a set rate. Every event is sent from the connection's event loop, so seq numbers stay in order.
 * <p>
 * A socket opened on {@code /bare?frames=N} is the limit run: no handshake, N events of the same mix as fast as the
 * socket takes them.
 */
final class LoadGateway implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    final Vertx vertx;
    /** Whether {@link #vertx} is this gateway's own (closed with it) or shared by several load gateways. */
    private final boolean ownVertx;
    final String token = UUID.randomUUID().toString();
    private final EventMix mix;
    private final long tickIntervalMs;
    private HttpServer server;
    /** The fleet size sync answers use now: a small one at first, the full one when the benchmark says so. */
    volatile int agentsServed = 1;
    volatile int sessionsServed = 10;
    private volatile Conn current;
    /** nanoTime of the last hello-ok sent. */
    final AtomicLong helloSentNanos = new AtomicLong();
    final AtomicLong connections = new AtomicLong();
    /** Send time (nanoTime) of each sessions.changed, by label. */
    final long[] sendNanos;

    LoadGateway(EventMix mix, int maxLabels, long tickIntervalMs) {
        this(Vertx.vertx(), true, mix, maxLabels, tickIntervalMs);
    }

    /** A load gateway on {@code vertx}, shared with others (closing this one closes only its server). */
    LoadGateway(Vertx vertx, EventMix mix, int maxLabels, long tickIntervalMs) {
        this(vertx, false, mix, maxLabels, tickIntervalMs);
    }

    private LoadGateway(Vertx vertx, boolean ownVertx, EventMix mix, int maxLabels, long tickIntervalMs) {
        this.vertx = vertx;
        this.ownVertx = ownVertx;
        this.mix = mix;
        this.sendNanos = new long[maxLabels];
        this.tickIntervalMs = tickIntervalMs;
    }

    LoadGateway start() throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")
                        .setMaxWebSocketFrameSize(64 << 20).setMaxWebSocketMessageSize(64 << 20))
                .webSocketHandler(this::accept)
                .listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return this;
    }

    /** The label the next sessions.changed gets; call it between phases. */
    long nextLabel() {
        return mix.labels();
    }

    String url() {
        return "ws://127.0.0.1:" + server.actualPort() + "/";
    }

    @Override
    public void close() throws Exception {
        (ownVertx ? vertx.close() : server.close()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * Restarts as a gateway does: a {@code shutdown} event with {@code restartExpectedMs} 1, then a close with 1012
     * (service restart), so Control Center connects again at once (its next delay is the one the event named, no
     * backoff). The event has no seq, so the event log's seq ranges of later phases do not include it.
     */
    void restart() {
        Conn c = current;
        if (c != null) {
            c.context.runOnContext(v -> {
                c.send("{\"type\":\"event\",\"event\":\"shutdown\",\"payload\":{\"reason\":\"restart\","
                        + "\"restartExpectedMs\":1}}");
                c.ws.close((short) 1012, "restart");
            });
        }
    }

    private void accept(ServerWebSocket ws) {
        if (ws.path().startsWith("/bare")) {
            bare(ws, Long.parseLong(ws.query().replaceAll("\\D", "")));
            return;
        }
        Conn c = new Conn(ws, Vertx.currentContext());
        connections.incrementAndGet();
        ws.textMessageHandler(c::onText);
        c.send("{\"type\":\"event\",\"event\":\"connect.challenge\",\"payload\":{\"nonce\":\"" + UUID.randomUUID()
                + "\",\"ts\":" + System.currentTimeMillis() + ",\"capabilities\":[\"model-catalog-snapshot\"]}}");
    }

    /** Sends {@code frames} events of the mix to a bare client as fast as it reads them. */
    private void bare(ServerWebSocket ws, long frames) {
        EventMix own = new EventMix(mix.agents, mix.sessions, 7);
        long[] sent = {0};
        StringBuilder sb = new StringBuilder(8192);
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            while (sent[0] < frames && !ws.writeQueueFull()) {
                ws.writeTextMessage(eventFrame(sb, own, ++sent[0]));
            }
        };
        ws.drainHandler(v -> pump[0].run());
        pump[0].run();
    }

    /**
     * Sends live events at {@code rate} per second for {@code durationMs} on the current connection; the result says
     * how many were sent and when. Sending falls behind only when the socket is full (Control Center reads slower).
     */
    CompletableFuture<Phase> run(double rate, long durationMs) {
        Conn c = current;
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no connection"));
        }
        Phase phase = new Phase(rate, durationMs);
        c.context.runOnContext(v -> c.startPhase(phase));
        return phase.done;
    }

    /** One connection of Control Center; all of it runs on the socket's event loop. */
    private final class Conn {
        final ServerWebSocket ws;
        final Context context;
        long seq;
        boolean hello;
        final StringBuilder sb = new StringBuilder(8192);

        Conn(ServerWebSocket ws, Context context) {
            this.ws = ws;
            this.context = context;
        }

        void send(String text) {
            if (!ws.isClosed()) {
                ws.writeTextMessage(text);
            }
        }

        @SuppressWarnings("unchecked")
        void onText(String text) {
            Map<String, Object> frame;
            try {
                frame = MAPPER.readValue(text, Map.class);
            } catch (Exception e) {
                ws.close((short) 1008, "invalid frame");
                return;
            }
            if (!"req".equals(frame.get("type"))) {
                return;
            }
            Object id = frame.get("id");
            String method = String.valueOf(frame.get("method"));
            Map<String, Object> params = frame.get("params") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            if (!hello) {
                Map<String, Object> auth = (Map<String, Object>) params.get("auth");
                if (!"connect".equals(method) || auth == null || !token.equals(auth.get("token"))) {
                    respondError(id, "INVALID_REQUEST", "unauthorized: gateway token mismatch");
                    ws.close((short) 1008, "unauthorized");
                    return;
                }
                hello = true;
                respond(id, "{\"type\":\"hello-ok\",\"protocol\":4,\"server\":{\"version\":\"2026.9.6\",\"connId\":\""
                        + UUID.randomUUID() + "\"},\"features\":{\"methods\":[],\"events\":[]},\"snapshot\":{\"presence\":[],"
                        + "\"stateVersion\":{\"presence\":1,\"health\":1},\"uptimeMs\":1000},\"auth\":{\"method\":\"token\","
                        + "\"role\":\"operator\",\"scopes\":[\"operator.read\",\"operator.write\",\"operator.admin\"]},"
                        + "\"policy\":{\"maxPayload\":26214400,\"maxBufferedBytes\":52428800,\"tickIntervalMs\":"
                        + tickIntervalMs + "}}");
                helloSentNanos.set(System.nanoTime());
                Conn previous = current;
                current = this;
                if (previous != null && previous != this && !previous.ws.isClosed()) {
                    previous.ws.close((short) 1000, "replaced");
                }
                vertx.setPeriodic(tickIntervalMs, t -> {
                    if (ws.isClosed()) {
                        vertx.cancelTimer(t);
                    } else {
                        event("tick", "{\"ts\":" + System.currentTimeMillis() + "}");
                    }
                });
                return;
            }
            switch (method) {
                case "sessions.subscribe" -> respond(id, "{\"subscribed\":true}");
                case "agents.list" -> respond(id, served().agentsList());
                case "sessions.list" -> {
                    int offset = params.get("offset") instanceof Number n ? n.intValue() : 0;
                    int limit = params.get("limit") instanceof Number n ? n.intValue() : 100;
                    respond(id, served().sessionsPage(offset, limit, System.currentTimeMillis()));
                }
                case "system-presence" -> respond(id, EventMix.presence(System.currentTimeMillis()));
                case "health" -> respond(id, "{\"ok\":true,\"ts\":" + System.currentTimeMillis() + "}");
                default -> respondError(id, "INVALID_REQUEST", "unknown method: " + method);
            }
        }

        void respond(Object id, String payload) {
            send("{\"type\":\"res\",\"id\":" + json(id) + ",\"ok\":true,\"payload\":" + payload + "}");
        }

        void respondError(Object id, String code, String message) {
            send("{\"type\":\"res\",\"id\":" + json(id) + ",\"ok\":false,\"error\":{\"code\":\"" + code
                    + "\",\"message\":\"" + message + "\"}}");
        }

        void event(String name, String payload) {
            send("{\"type\":\"event\",\"event\":\"" + name + "\",\"payload\":" + payload + ",\"seq\":" + (++seq) + "}");
        }

        void startPhase(Phase p) {
            p.startNanos = System.nanoTime();
            p.firstSeq = seq + 1;
            p.endLabel = mix.labels();
            long[] timer = {0};
            timer[0] = vertx.setPeriodic(1, t -> {
                long now = System.nanoTime();
                long elapsed = Math.min(now - p.startNanos, p.durationMs * 1_000_000L);
                long due = (long) (p.rate * elapsed / 1e9);
                while (p.sent < due && !ws.writeQueueFull() && !ws.isClosed()) {
                    sendOne(p);
                }
                p.maxBehind = Math.max(p.maxBehind, due - p.sent);
                boolean over = now - p.startNanos >= p.durationMs * 1_000_000L;
                if ((over && p.sent >= p.scheduled()) || ws.isClosed() || now - p.startNanos > p.durationMs * 3_000_000L) {
                    vertx.cancelTimer(timer[0]);
                    p.endNanos = System.nanoTime();
                    p.lastSeq = seq;
                    p.done.complete(p);
                }
            });
        }

        private void sendOne(Phase p) {
            String frame = eventFrame(sb, mix, ++seq);
            if (mix.label >= 0) {
                if (p.firstLabel < 0) {
                    p.firstLabel = mix.label;
                }
                p.endLabel = mix.label + 1;
                sendNanos[(int) mix.label] = System.nanoTime();
            }
            ws.writeTextMessage(frame);
            p.sent++;
            p.sentByKind.merge(Phase.Kind.of(mix.name), 1L, Long::sum);
        }
    }

    /** The next event of {@code mix} as a frame with {@code seq}, sent now (its payload's ts). */
    private static String eventFrame(StringBuilder sb, EventMix mix, long seq) {
        sb.setLength(0);
        sb.append("{\"type\":\"event\",\"event\":\"");
        int nameAt = sb.length();
        sb.append("\",\"payload\":");
        mix.next(sb, System.currentTimeMillis());
        sb.insert(nameAt, mix.name);
        return sb.append(",\"seq\":").append(seq).append('}').toString();
    }

    private EventMix served;

    /** The fleet sync answers list now (built again only when its size changes). */
    private synchronized EventMix served() {
        if (served == null || served.agents != agentsServed || served.sessions != sessionsServed) {
            served = new EventMix(agentsServed, sessionsServed, 1);
        }
        return served;
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
