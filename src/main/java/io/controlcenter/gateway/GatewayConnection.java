package io.controlcenter.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.controlcenter.config.Messages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket to the gateway, replaced on every attempt (docs/PROTOCOL-NOTES.md, "Connection as implemented"):
 * opened without an Origin header; frames read in arrival order, size-checked and parsed; the challenge answered with
 * the signed connect, and hello-ok or the refusal read; events' seq watched for gaps; silence caught by the tick
 * watchdog. Frames after hello-ok go to the owner's listener; how the connection ends goes to {@link Owner#lost}, which
 * decides what follows. Event-loop confined.
 */
final class GatewayConnection {

    static final int CLOSE_TICK_TIMEOUT = 4000;
    static final int CLOSE_TOO_BIG = 1009;
    static final int CLOSE_ABNORMAL = 1006;
    private static final Logger LOG = LoggerFactory.getLogger(GatewayConnection.class);

    /** The client that owns the connections: which one is current, and what follows hello-ok and the end. */
    interface Owner {
        boolean isCurrent(GatewayConnection c);

        GatewayListener listener();

        /** hello-ok with the scopes Control Center needs. */
        void connected(GatewayConnection c, Handshake.Hello hello);

        /** The connection is gone (closed by either side, or never opened). */
        void lost(GatewayConnection c, int code, String reason);

        /** A {@code shutdown} event asked the next attempt to wait {@code ms}. */
        void restartExpected(long ms);
    }

    final long number;
    private final Owner owner;
    private final GatewaySettings config;
    private final Vertx vertx;
    private final GatewayStats stats;
    private final GatewayMetrics metrics;
    private final DeviceAuth device;
    final TickWatchdog watchdog;
    WebSocket ws;
    String connectId;
    Handshake.Credentials credentials;
    /** The gateway's answer to connect when it was not hello-ok, else null. */
    DeviceAuth.Refusal refusal;
    /** Why this connection may not be used although the gateway accepted it (missing scopes): no retry. */
    String fatal;
    boolean helloReceived;
    boolean closed;
    boolean closedByUs;
    boolean paused;
    /** The delay before the next attempt, instead of the backoff (0: at once). */
    Long delayOverride;
    private Long lastSeq;
    private long maxPayload;
    private long handshakeTimer = -1;
    /** Completed once the socket is closed at the TCP level (or was never opened). */
    private final Promise<Void> socketClosed = Promise.promise();
    private final UnusableFrames unusable;

    GatewayConnection(long number, Owner owner, GatewaySettings config, Vertx vertx, GatewayStats stats,
                      GatewayMetrics metrics, DeviceAuth device) {
        this.number = number;
        this.owner = owner;
        this.config = config;
        this.vertx = vertx;
        this.stats = stats;
        this.unusable = new UnusableFrames(config.name(), stats);
        this.metrics = metrics;
        this.device = device;
        this.maxPayload = config.maxPayload();
        this.watchdog = new TickWatchdog(vertx, this::silent);
    }

    void open(WebSocketClient client) {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setAbsoluteURI(config.url().toString())
                .setAllowOriginHeader(false) // any Origin costs the backend client its scopes
                .setConnectTimeout(config.handshakeTimeoutMs());
        client.connect(options).onComplete(ar -> {
            if (ar.failed()) {
                socketClosed.tryComplete();
            } else if (!owner.isCurrent(this)) {
                ar.result().closeHandler(v -> socketClosed.tryComplete());
                ar.result().close();
                return;
            }
            if (ar.failed()) {
                if (owner.isCurrent(this)) {
                    stats.lastError = "cannot connect to " + config.displayUrl() + ": " + Messages.causes(ar.cause());
                    owner.lost(this, CLOSE_ABNORMAL, ar.cause().getMessage());
                }
                return;
            }
            ws = ar.result();
            watchdog.frame();
            ws.textMessageHandler(this::onText);
            ws.binaryMessageHandler(b -> unusable.binary(b.length()));
            ws.exceptionHandler(this::onSocketError);
            ws.closeHandler(v -> {
                socketClosed.tryComplete();
                Short code = ws.closeStatusCode();
                owner.lost(this, code == null ? CLOSE_ABNORMAL : code, ws.closeReason());
            });
            handshakeTimer = vertx.setTimer(config.handshakeTimeoutMs(), t -> {
                if (owner.isCurrent(this) && !helloReceived) {
                    stats.lastError = "no hello-ok within " + config.handshakeTimeoutMs() + " ms";
                    closeOurselves(CLOSE_TICK_TIMEOUT, "handshake timeout", null);
                }
            });
        });
    }

    private void onText(String text) {
        if (!owner.isCurrent(this) || closed) {
            return;
        }
        long receivedAt = System.currentTimeMillis();
        watchdog.frame();
        stats.lastFrameAt = Instant.ofEpochMilli(receivedAt);
        stats.framesReceived.incrementAndGet();
        if (text.length() > maxPayload / 3 && Frame.utf8Length(text) > maxPayload) {
            oversized("a frame of " + Frame.utf8Length(text) + " bytes exceeds maxPayload " + maxPayload);
            return;
        }
        Frame frame;
        try {
            frame = Frame.parse(StorableJson.of(text));
        } catch (Exception e) {
            unusable.malformed(text.length(), e);
            return;
        }
        metrics.frame(frame.type());
        if (OpenClawConstants.FRAME_EVENT.equals(frame.type())) {
            metrics.event(frame.event());
        }
        if (!helloReceived) {
            onHandshakeFrame(frame);
            return;
        }
        switch (frame.type()) {
            case OpenClawConstants.FRAME_RES -> owner.listener().onFrame(number, stats.connId, frame, receivedAt);
            case OpenClawConstants.FRAME_EVENT -> onEvent(frame, receivedAt);
            default -> unusable.unknownType(frame.type());
        }
    }

    private void onEvent(Frame frame, long receivedAt) {
        Long seq = frame.seq();
        if (seq != null) {
            // lastSeq + 1 would overflow at Long.MAX_VALUE (a gateway may send anything): nothing is above it
            if (lastSeq != null && lastSeq != Long.MAX_VALUE && seq > lastSeq + 1) {
                unusable.gap(lastSeq, seq);
                owner.listener().onResync(number, stats.connId, lastSeq + 1, seq);
            }
            if (lastSeq == null || seq > lastSeq) {
                lastSeq = seq;
            }
        }
        if ("tick".equals(frame.event())) {
            stats.lastTickAt = Instant.ofEpochMilli(receivedAt);
        } else if ("shutdown".equals(frame.event())) {
            Long expected = Json.number(frame.payload(), "restartExpectedMs");
            owner.restartExpected(expected == null ? 0 : expected);
            LOG.info("Gateway {} is shutting down ({}){}", config.name(), Json.string(frame.payload(), "reason"),
                    expected == null ? "" : ", restart expected in " + expected + " ms");
        }
        owner.listener().onFrame(number, stats.connId, frame, receivedAt);
    }

    private void onHandshakeFrame(Frame frame) {
        if (OpenClawConstants.FRAME_EVENT.equals(frame.type()) && "connect.challenge".equals(frame.event())) {
            sendConnect(frame.payload());
        } else if (OpenClawConstants.FRAME_RES.equals(frame.type()) && Objects.equals(frame.id(), connectId)) {
            Map<String, Object> payload = frame.payload();
            if (frame.ok() && payload != null && "hello-ok".equals(payload.get("type"))) {
                onHello(payload);
            } else {
                onConnectRefused(frame.error());
            }
        } else {
            LOG.debug("Gateway {}: {} frame before hello-ok ignored", config.name(), frame.type());
        }
    }

    private void sendConnect(Map<String, Object> challenge) {
        if (connectId != null) {
            return;
        }
        connectId = "cc-connect-" + number;
        credentials = device.next();
        Map<String, Object> params = Handshake.connectParams(challenge, device.identity(), device.scopes(), credentials);
        ws.writeTextMessage(Json.write(Map.of("type", "req", "id", connectId, "method", "connect", "params", params)));
    }

    private void onHello(Map<String, Object> payload) {
        vertx.cancelTimer(handshakeTimer);
        Handshake.Hello hello = Handshake.hello(payload);
        device.connected(hello);
        List<String> missing = hello.scopes() == null ? List.of() : Scopes.missing(hello.scopes(), List.of(Scopes.READ));
        if (!missing.isEmpty()) {
            fatal = device.missingScopes(hello.scopes(), missing);
            closeOurselves(1000, "missing scopes", null);
            return;
        }
        helloReceived = true;
        maxPayload = hello.maxPayload() == null || hello.maxPayload() <= 0 ? config.maxPayload()
                : Math.min(hello.maxPayload(), config.maxPayload());
        watchdog.start(hello.tickIntervalMs());
        owner.connected(this, hello);
    }

    private void onConnectRefused(Map<String, Object> error) {
        GatewayRpcException e = GatewayRpcException.fromError("connect", error);
        stats.errorCode = e.getDetailCode() != null ? e.getDetailCode() : e.getCode();
        stats.lastError = stats.errorCode + ": " + Json.string(error, "message");
        refusal = device.refused(e, stats.errorCode, credentials);
        // the gateway closes right after refusing; close ourselves if it does not
        vertx.setTimer(1_000, t -> {
            if (owner.isCurrent(this) && !closed) {
                closeOurselves(1000, "connect refused", null);
            }
        });
    }

    private void silent() {
        if (!owner.isCurrent(this) || closed) {
            return;
        }
        stats.tickTimeouts.incrementAndGet();
        stats.lastError = "nothing received for " + watchdog.silentMs() + " ms (tick interval " + watchdog.intervalMs()
                + " ms)";
        LOG.warn("Gateway {}: {}; closing with {} and reconnecting", config.name(), stats.lastError, CLOSE_TICK_TIMEOUT);
        closeOurselves(CLOSE_TICK_TIMEOUT, "tick timeout", null);
    }

    private void onSocketError(Throwable e) {
        if (!owner.isCurrent(this) || closed) {
            return;
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("max message size") || message.contains("Max frame length")) {
            oversized(message);
        } else {
            LOG.warn("Gateway {}: socket error: {}", config.name(), message);
        }
    }

    private void oversized(String why) {
        stats.oversizedFrames.incrementAndGet();
        stats.lastError = why;
        LOG.warn("Gateway {}: {}; closing with {} and reconnecting", config.name(), why, CLOSE_TOO_BIG);
        closeOurselves(CLOSE_TOO_BIG, "message too big", null);
    }

    /**
     * Closes from our side and hands the connection to the owner as lost at once: a peer that no longer answers must
     * not delay the reconnect. {@code delayMs} overrides the backoff (0 = reconnect now).
     */
    void closeOurselves(int code, String reason, Long delayMs) {
        closedByUs = true;
        delayOverride = delayMs;
        if (ws != null && !ws.isClosed()) {
            ws.close((short) code, reason);
        }
        owner.lost(this, code, reason);
    }

    /** Writes the request of {@code call}; a failed write fails the call at once. */
    void send(PendingCalls.Call call, Object params, PendingCalls calls) {
        call.connection = number;
        String text = Json.write(Map.of("type", "req", "id", call.id, "method", call.method,
                "params", params == null ? Map.of() : params));
        ws.writeTextMessage(text).onFailure(e -> calls.fail(call.id, new GatewayRpcException(call.method,
                GatewayRpcException.CONNECTION_CLOSED, "send failed: " + e.getMessage(), null, true, null)));
    }

    /**
     * Completes once the socket is closed (the gateway has seen it go), or at once when it was never opened. A
     * connection that {@link #closeOurselves closed itself} is lost at once for the owner; its socket closes after the
     * close handshake (Vert.x ends it after its closing timeout when the peer does not answer).
     */
    Future<Void> socketClosed() {
        return socketClosed.future();
    }

    /** The largest frame accepted: {@code gateway.max-payload}, or hello-ok's {@code policy.maxPayload} when smaller. */
    long maxPayload() {
        return maxPayload;
    }

    /** Stops reading (backpressure); ticks are not expected meanwhile. */
    void pause(boolean now) {
        if (ws != null && paused != now) {
            paused = now;
            watchdog.paused(now);
            if (now) {
                ws.pause();
            } else {
                ws.resume();
            }
        }
    }

    /** Marks it gone and stops its timers; false when it already was. */
    boolean end() {
        if (closed) {
            return false;
        }
        closed = true;
        vertx.cancelTimer(handshakeTimer);
        watchdog.stop();
        return true;
    }
}
