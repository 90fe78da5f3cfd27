package io.controlcenter.support;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.controlcenter.gateway.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.PfxOptions;

/**
 * An in-process OpenClaw gateway for tests: a real WebSocket server on a free port that speaks the protocol as the
 * real one does (docs/PROTOCOL-NOTES.md): challenge on open, connect validated (first request, client id and mode enums,
 * protocol range, token), hello-ok with policy, ticks, seq-numbered events, errors and close codes, with payloads and
 * refusals replayed from frames captured from the real gateway. Tests script the rest through hooks.
 */
public final class FakeGateway implements AutoCloseable {

    public static final String TOKEN = "fake-gateway-token-123";
    private static final Set<String> CLIENT_IDS = Set.of("webchat-ui", "openclaw-control-ui", "openclaw-browser-copilot",
            "openclaw-tui", "webchat", "cli", "gateway-client", "openclaw-macos", "openclaw-linux", "openclaw-ios",
            "openclaw-watchos", "openclaw-android", "node-host", "openclaw-worker", "test", "fingerprint",
            "openclaw-probe");
    private static final Set<String> CLIENT_MODES = Set.of("webchat", "cli", "ui", "backend", "node", "worker", "probe",
            "test");
    private static final Map<String, String> METHOD_FIXTURES = Map.of(
            "health", "02-health",
            "agents.list", "04-agents.list",
            "sessions.list", "05-sessions.list",
            "system-presence", "06-system-presence",
            "sessions.subscribe", "07-sessions.subscribe");
    /** The scope each method needs on the real gateway (2026.9.6); others need none here. */
    private static final Map<String, String> METHOD_SCOPES = Map.of(
            "agents.list", "operator.read", "sessions.list", "operator.read", "sessions.subscribe", "operator.read",
            "system-presence", "operator.read", "chat.history", "operator.read",
            "chat.send", "operator.write", "chat.abort", "operator.write", "chat.inject", "operator.admin");

    private final Vertx vertx = Vertx.vertx();
    private HttpServer server;
    private int port;
    private PfxOptions tls;

    /** Device identity and pairing: loopback by default, {@code devices.remote = true} for a gateway elsewhere. */
    public final FakeDevices devices = new FakeDevices();
    /** Every accepted socket, in order. */
    public final List<Conn> connections = new CopyOnWriteArrayList<>();
    /** Sockets open now (accepted, not yet closed), and the most that were ever open at once. */
    public final AtomicInteger open = new AtomicInteger();
    public final AtomicInteger mostOpen = new AtomicInteger();
    private final Map<String, BiConsumer<Conn, Map<String, Object>>> methods = new ConcurrentHashMap<>();
    private final Map<String, java.util.function.Function<Map<String, Object>, Map<String, Object>>> tools =
            new ConcurrentHashMap<>();
    /** Every POST /tools/invoke body received (tool and args), in order. */
    public final List<Map<String, Object>> toolCalls = new CopyOnWriteArrayList<>();
    /** When set, POST /tools/invoke answers with this HTTP status (e.g. 500) instead of the tool's result. */
    public volatile int httpFailure;
    /** When false, WebSocket upgrades are refused (HTTP keeps working). */
    public volatile boolean acceptWebSockets = true;

    public volatile String token = TOKEN;
    /** Protocol versions the server accepts (the real one: 4 for operators). */
    public volatile int protocol = 4;
    public volatile String version = "2026.9.6";
    public volatile long tickIntervalMs = 30_000;
    public volatile boolean sendTicks = true;
    public volatile long maxPayload = 26_214_400;
    /** Runs when a socket opens, before the challenge; may close it. */
    public volatile Consumer<Conn> onOpen = c -> { };
    /** Replaces the answer to connect when set (e.g. a retryable UNAVAILABLE). Runs after validation. */
    public volatile BiConsumer<Conn, Map<String, Object>> onConnect;

    public FakeGateway start() {
        return start(0);
    }

    /** Starts serving {@code wss://} with the key and certificate in a PKCS12 {@code keyStore}. */
    public FakeGateway startTls(java.nio.file.Path keyStore, String password) {
        tls = new PfxOptions().setPath(keyStore.toString()).setPassword(password);
        return start(0);
    }

    public FakeGateway start(int wantedPort) {
        server = vertx.createHttpServer(new HttpServerOptions()
                        .setSsl(tls != null)
                        .setKeyCertOptions(tls)
                        .setHost("127.0.0.1")
                        .setMaxWebSocketFrameSize(64 * 1024 * 1024) // one frame per message, like the real gateway
                        .setMaxWebSocketMessageSize(64 * 1024 * 1024))
                .webSocketHandler(this::accept)
                .requestHandler(this::http);
        try {
            server = server.listen(wantedPort).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake gateway cannot listen on " + wantedPort, e);
        }
        port = server.actualPort();
        return this;
    }

    /**
     * The gateway process dies ({@code kill -9}): every socket's TCP connection is closed without a WebSocket close
     * frame (Control Center sees 1006; what was written before is still delivered, as the kernel does for a killed
     * process), then the server stops listening. {@link #start(int)} on {@link #port()} is the restart.
     */
    public void kill() {
        connections.forEach(c -> {
            vertx.cancelTimer(c.tickTimer);
            ((io.vertx.core.http.impl.WebSocketImplBase<?>) c.ws).channelHandlerContext().channel().close();
        });
        if (server != null) {
            await(server.close());
            server = null;
        }
    }

    /** Stops listening and drops every socket abruptly (the gateway process is gone). */
    public void stop() {
        connections.forEach(c -> {
            if (!c.ws.isClosed()) {
                c.ws.close((short) 1012, "service restart");
            }
        });
        if (server != null) {
            await(server.close());
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
        await(vertx.close());
    }

    public int port() {
        return port;
    }

    public String url() {
        return (tls == null ? "ws" : "wss") + "://127.0.0.1:" + port + "/";
    }

    /** Answers {@code method} with a handler instead of the captured payload. */
    public FakeGateway method(String method, BiConsumer<Conn, Map<String, Object>> handler) {
        methods.put(method, handler);
        return this;
    }

    /** Answers {@code POST /tools/invoke} for {@code tool}: the function gets the args and returns result.details. */
    public FakeGateway tool(String tool, java.util.function.Function<Map<String, Object>, Map<String, Object>> handler) {
        tools.put(tool, handler);
        return this;
    }

    /** The gateway's HTTP side as the real one answers it (docs/HTTP-FALLBACK-NOTES.md). */
    private void http(io.vertx.core.http.HttpServerRequest req) {
        if (!"/tools/invoke".equals(req.path())) {
            req.response().setStatusCode(404).end();
            return;
        }
        if (!("Bearer " + token).equals(req.getHeader("Authorization"))) {
            req.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                    .end("{\"error\":{\"message\":\"Unauthorized\",\"type\":\"unauthorized\"}}");
            return;
        }
        req.body().onSuccess(buf -> {
            Map<String, Object> body;
            try {
                body = Json.parseObject(buf.toString());
            } catch (Exception e) {
                req.response().setStatusCode(400).end();
                return;
            }
            toolCalls.add(body);
            if (httpFailure != 0) {
                req.response().setStatusCode(httpFailure).end("{\"error\":{\"message\":\"tool execution failed\"}}");
                return;
            }
            var handler = tools.get(String.valueOf(body.get("tool")));
            if (handler == null) {
                req.response().setStatusCode(404).end("{\"error\":{\"message\":\"Tool not available\"}}");
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> details = handler.apply((Map<String, Object>) body.getOrDefault("args", Map.of()));
            req.response().putHeader("Content-Type", "application/json").end(Json.write(Map.of("ok", true, "result",
                    Map.of("content", List.of(Map.of("type", "text", "text", Json.write(details))), "details", details))));
        });
    }

    /**
     * {@code openclaw devices remove <deviceId>}: unpaired, and its open connections closed with 4001 "device removed"
     * as the real gateway does (frame 77).
     */
    public void removeDevice(String deviceId) {
        devices.remove(deviceId);
        connections.stream().filter(c -> deviceId.equals(c.deviceId)).forEach(c -> c.close(4001, "device removed"));
    }

    public Conn last() {
        return connections.isEmpty() ? null : connections.get(connections.size() - 1);
    }

    private void accept(ServerWebSocket ws) {
        if (!acceptWebSockets) {
            ws.reject(503);
            return;
        }
        Conn c = new Conn(ws);
        connections.add(c);
        mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        ws.textMessageHandler(text -> c.onText(text));
        ws.closeHandler(v -> {
            open.decrementAndGet();
            c.clientCloseCode = ws.closeStatusCode();
        });
        onOpen.accept(c);
        if (!ws.isClosed()) {
            c.send(Map.of("type", "event", "event", "connect.challenge", "payload",
                    Map.of("nonce", c.nonce, "ts", c.challengeTs, "capabilities", List.of("model-catalog-snapshot"))));
        }
    }

    private static <T> T await(io.vertx.core.Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One client socket as the gateway sees it. */
    public final class Conn {
        public final ServerWebSocket ws;
        public final long openedAtNanos = System.nanoTime();
        public final String connId = UUID.randomUUID().toString();
        /** Every frame the client sent, parsed. */
        public final List<Map<String, Object>> received = new CopyOnWriteArrayList<>();
        public volatile Map<String, Object> connectParams;
        public volatile boolean helloSent;
        public volatile Short clientCloseCode;
        /** The challenge this socket got, which its device signature must cover. */
        final String nonce = UUID.randomUUID().toString();
        final long challengeTs = System.currentTimeMillis();
        /** hello-ok's auth for this connection (scopes granted, device token), and the device it was for. */
        public volatile Map<String, Object> auth;
        public volatile String deviceId;
        private final AtomicLong seq = new AtomicLong();
        private long tickTimer = -1;

        Conn(ServerWebSocket ws) {
            this.ws = ws;
        }

        public String header(String name) {
            return ws.headers().get(name);
        }

        /**
         * Writes go straight to the socket's channel, so frames sent from one thread keep their order. The future
         * completes when the frame has been handed to the kernel's socket (fails when the socket is closed).
         */
        public io.vertx.core.Future<Void> sendText(String text) {
            if (ws.isClosed()) {
                return io.vertx.core.Future.failedFuture("closed");
            }
            return ws.writeTextMessage(text);
        }

        /** A binary frame (the protocol has none). */
        public io.vertx.core.Future<Void> sendBinary(byte[] bytes) {
            if (ws.isClosed()) {
                return io.vertx.core.Future.failedFuture("closed");
            }
            return ws.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(bytes));
        }

        public void send(Map<String, Object> frame) {
            sendText(Json.write(frame));
        }

        /** A broadcast event with the connection's next seq. */
        public long event(String name, Object payload) {
            long n = seq.incrementAndGet();
            event(name, payload, n);
            return n;
        }

        /** The text of the next event frame, its seq taken now; send it later with {@link #sendText} (in order). */
        public String eventText(String name, Object payload) {
            return Json.write(Map.of("type", "event", "event", name, "payload", payload, "seq", seq.incrementAndGet()));
        }

        /** An event with an explicit seq (to make gaps); later events continue from it. */
        public void event(String name, Object payload, long explicitSeq) {
            seq.set(explicitSeq);
            send(Map.of("type", "event", "event", name, "payload", payload, "seq", explicitSeq));
        }

        public void respond(Object id, Object payload) {
            Map<String, Object> frame = new java.util.LinkedHashMap<>();
            frame.put("type", "res");
            frame.put("id", id);
            frame.put("ok", true);
            frame.put("payload", payload);
            send(frame);
        }

        public void respondError(Object id, Map<String, Object> error) {
            send(Map.of("type", "res", "id", id, "ok", false, "error", error));
        }

        public void close(int code, String reason) {
            vertx.cancelTimer(tickTimer);
            if (!ws.isClosed()) {
                ws.close((short) code, reason);
            }
        }

        /** Answers the connect request like the capture did, then closes as it did. */
        public void refuse(Map<String, Object> request, String capture) {
            Map<String, Object> res = Fixtures.copy(Fixtures.received(capture, "res"));
            res.put("id", request.get("id"));
            send(res);
            Map<String, Object> close = Fixtures.close(capture);
            close(((Number) close.get("code")).intValue(), (String) close.get("reason"));
        }

        @SuppressWarnings("unchecked")
        private boolean granted(String scope) {
            List<String> scopes = auth == null ? List.of("operator.read", "operator.write", "operator.admin")
                    : (List<String>) auth.get("scopes");
            return scopes.contains(scope) || scopes.contains("operator.admin")
                    || "operator.read".equals(scope) && scopes.contains("operator.write");
        }

        public List<String> methodsReceived() {
            return received.stream().map(f -> String.valueOf(f.get("method"))).toList();
        }

        @SuppressWarnings("unchecked")
        private void onText(String text) {
            Map<String, Object> frame;
            try {
                frame = Json.parseObject(text);
            } catch (Exception e) {
                close(1008, "invalid frame");
                return;
            }
            received.add(frame);
            if (!"req".equals(frame.get("type"))) {
                return;
            }
            String method = String.valueOf(frame.get("method"));
            if (!helloSent) {
                if (!"connect".equals(method)) {
                    refuse(frame, "47-first-frame-not-connect");
                    return;
                }
                connect(frame, (Map<String, Object>) frame.get("params"));
                return;
            }
            String scope = METHOD_SCOPES.get(method);
            if (scope != null && !granted(scope)) {
                respondError(frame.get("id"), Map.of("code", "FORBIDDEN", "message", "missing scope: " + scope,
                        "details", Map.of("code", "MISSING_SCOPE", "missingScope", scope, "requiredScopes", List.of(scope))));
                return;
            }
            BiConsumer<Conn, Map<String, Object>> handler = methods.get(method);
            if (handler != null) {
                handler.accept(this, frame);
            } else if (METHOD_FIXTURES.containsKey(method)) {
                respond(frame.get("id"), Fixtures.responsePayload(METHOD_FIXTURES.get(method)));
            } else {
                respondError(frame.get("id"), Map.of("code", "INVALID_REQUEST", "message", "unknown method: " + method));
            }
        }

        @SuppressWarnings("unchecked")
        private void connect(Map<String, Object> request, Map<String, Object> params) {
            connectParams = params;
            Map<String, Object> client = params == null ? null : (Map<String, Object>) params.get("client");
            if (client == null || !CLIENT_IDS.contains(client.get("id")) || !CLIENT_MODES.contains(client.get("mode"))) {
                refuse(request, "44-connect-custom-client-id");
                return;
            }
            int min = ((Number) params.get("minProtocol")).intValue();
            int max = ((Number) params.get("maxProtocol")).intValue();
            if (protocol < min || protocol > max) {
                refuse(request, "40-connect-protocol3-rejected");
                return;
            }
            Map<String, Object> auth = (Map<String, Object>) params.get("auth");
            if (auth == null) {
                refuse(request, "43-connect-no-auth");
                return;
            }
            Object sent = auth.get("token");
            if (sent == null ? auth.get("deviceToken") == null : !token.equals(sent)) {
                refuse(request, "42-connect-wrong-token");
                return;
            }
            FakeDevices.Outcome outcome = devices.connect(params, token, nonce, challengeTs);
            if (outcome.refused()) {
                send(Map.of("type", "res", "id", request.get("id"), "ok", false, "error", outcome.error()));
                close(outcome.closeCode(), outcome.closeReason());
                return;
            }
            this.auth = outcome.auth();
            this.deviceId = outcome.deviceId();
            if (onConnect != null) {
                onConnect.accept(this, request);
                return;
            }
            hello(request);
        }

        /** Sends hello-ok (the captured one, with this server's connId, version and policy), then health seq 1. */
        @SuppressWarnings("unchecked")
        public void hello(Map<String, Object> request) {
            Map<String, Object> hello = Fixtures.copy(Fixtures.responsePayload("01-handshake-backend-token"));
            hello.put("protocol", protocol);
            Map<String, Object> server = (Map<String, Object>) hello.get("server");
            server.put("connId", connId);
            server.put("version", version);
            Map<String, Object> policy = (Map<String, Object>) hello.get("policy");
            policy.put("tickIntervalMs", tickIntervalMs);
            policy.put("maxPayload", maxPayload);
            if (auth != null) {
                hello.put("auth", auth);
            }
            respond(request.get("id"), hello);
            event("health", Fixtures.responsePayload("02-health"));
            // only now: a test that sends once it sees helloSent must not write before hello-ok or health (seq 1)
            helloSent = true;
            if (sendTicks) {
                tickTimer = vertx.setPeriodic(tickIntervalMs, t -> {
                    if (ws.isClosed() || !sendTicks) {
                        vertx.cancelTimer(t);
                    } else {
                        event("tick", Map.of("ts", System.currentTimeMillis()));
                    }
                });
            }
        }
    }
}
