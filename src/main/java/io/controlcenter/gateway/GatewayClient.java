package io.controlcenter.gateway;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.controlcenter.config.Messages;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.TrustOptions;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to an OpenClaw gateway (PROTOCOL.md): the connect.challenge → connect → hello-ok handshake, RPC
 * correlation by id, the tick watchdog, the close-code policy and reconnects with backoff.
 * <p>
 * All connection state is touched only on one Vert.x event-loop context, so handlers are attached before the first
 * frame can arrive and frames are seen in arrival order. Frames after hello-ok go to the {@link GatewayListener}
 * (the route consumer), which also completes calls by handing {@code res} frames back to {@link #complete(Map)}.
 */
@ManagedResource(description = "OpenClaw gateway connection")
public class GatewayClient extends ServiceSupport {

    static final int CLOSE_TICK_TIMEOUT = 4000;
    static final int CLOSE_TOO_BIG = 1009;
    private static final int CLOSE_ABNORMAL = 1006;
    /** The gateway's close when a device is removed or its access revoked ("device removed", "client invalidated: …"). */
    private static final int CLOSE_INVALIDATED = 4001;
    /** Refusals of a device token that the shared token (with the signed device) may get past: it is tried once. */
    private static final Set<String> TOKEN_REFUSALS = Set.of("AUTH_DEVICE_TOKEN_MISMATCH",
            "AUTH_SCOPE_MISMATCH");
    private static final Logger LOG = LoggerFactory.getLogger(GatewayClient.class);

    private final GatewayConfiguration config;
    private final Vertx vertx;
    private final Backoff backoff;
    private final Map<String, PendingCall> pending = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();
    private final AtomicBoolean attached = new AtomicBoolean();
    private final GatewayMetrics metrics;
    private final DeviceAuth device;

    // event-loop confined
    private Context context;
    private WebSocketClient wsClient;
    private Connection current;
    private long connectionNumbers;
    private long reconnectTimer = -1;
    private long restartExpectedMs;
    private volatile boolean everConnected;
    private GatewayListener listener;

    // read from any thread
    private volatile GatewayState state = GatewayState.DISCONNECTED;
    private volatile String failureReason;
    private volatile String errorCode;
    private volatile String lastError;
    private volatile String connId;
    private volatile String serverVersion;
    private volatile Integer protocol;
    private volatile long tickIntervalMs;
    private volatile long maxPayload;
    private volatile Instant connectedSince;
    /** When the WebSocket was last not connected since (start, or the loss of the last connection); null while connected. */
    private volatile Instant downSince = Instant.now();
    private volatile Instant lastFrameAt;
    private volatile Instant lastTickAt;
    private volatile Instant nextAttemptAt;
    private volatile Integer lastCloseCode;
    private volatile String lastCloseReason;
    private final AtomicLong connectAttempts = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong framesReceived = new AtomicLong();
    private final AtomicLong malformedFrames = new AtomicLong();
    private final AtomicLong unknownFrames = new AtomicLong();
    private final AtomicLong oversizedFrames = new AtomicLong();
    private final AtomicLong seqGaps = new AtomicLong();
    private final AtomicLong tickTimeouts = new AtomicLong();
    private final AtomicLong lateResponses = new AtomicLong();

    public GatewayClient(GatewayConfiguration config, Vertx vertx, MeterRegistry meters, DeviceCredentials devices) {
        this.config = config;
        this.vertx = vertx;
        this.backoff = new Backoff(config.reconnectInitialMs(), config.reconnectMaxMs(), config.reconnectJitter(),
                () -> ThreadLocalRandom.current().nextDouble());
        // the identity and the kept device token are read now (JDBC, on the starting thread); later writes run off the
        // event loop, one after the other
        this.device = new DeviceAuth(config, devices, task -> vertx.executeBlocking(() -> {
            task.run();
            return null;
        }, true));
        this.metrics = new GatewayMetrics(meters, this);
    }

    public GatewayConfiguration getConfiguration() {
        return config;
    }

    @Override
    protected void doStart() {
        context = vertx.getOrCreateContext();
        WebSocketClientOptions options = new WebSocketClientOptions()
                .setMaxFrameSize(config.maxPayload())
                .setMaxMessageSize(config.maxPayload())
                .setConnectTimeout((int) config.handshakeTimeoutMs())
                .setClosingTimeout(2);
        if (config.trustStore() != null) { // wss:// checked against gateway.tls.trust-store, host name included
            options.setTrustOptions(TrustOptions.wrap(config.trustStore()));
        }
        wsClient = vertx.createWebSocketClient(options);
    }

    @Override
    protected void doStop() {
        detach();
        wsClient.close();
    }

    /** Starts connecting, delivering to {@code listener}; keeps connected until {@link #detach()}. */
    public void attach(GatewayListener listener) {
        if (!attached.compareAndSet(false, true)) {
            throw new IllegalStateException("gateway " + config.name() + " already has a consumer: only one route may "
                    + "consume openclaw:" + config.name());
        }
        context.runOnContext(v -> {
            this.listener = listener;
            LOG.info("Gateway {}: connecting to {}", config.name(), config.displayUrl());
            open();
        });
    }

    /** Closes the connection normally and stops reconnecting. */
    public void detach() {
        if (context == null) {
            return;
        }
        attached.set(false);
        context.runOnContext(v -> {
            cancelReconnect();
            Connection c = current;
            listener = null;
            if (c != null) {
                closeOurselves(c, 1000, "client stopping", null);
            }
            state = GatewayState.DISCONNECTED;
        });
    }

    /**
     * Operator's "reconnect now": leaves FAILED, resets the backoff and opens a new connection at once (closing the
     * current one normally first).
     */
    @ManagedOperation(description = "Reconnect now, also after a fatal failure")
    public void reconnect() {
        context.runOnContext(v -> {
            if (listener == null) {
                return;
            }
            LOG.info("Gateway {}: reconnect requested by an operator", config.name());
            backoff.reset();
            failureReason = null;
            errorCode = null;
            cancelReconnect();
            Connection c = current;
            if (c != null) {
                closeOurselves(c, 1000, "operator requested reconnect", 0L);
            } else {
                open();
            }
        });
    }

    // ---------------------------------------------------------------- RPC

    /** Calls {@code method}; the future fails with a {@link GatewayRpcException} on a gateway error or no answer. */
    public CompletableFuture<Object> call(String method, Object params, long timeoutMs) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        if (state != GatewayState.CONNECTED) {
            future.completeExceptionally(notConnected(method));
            return future;
        }
        String id = "cc-" + requestIds.incrementAndGet();
        PendingCall call = new PendingCall(method, future);
        pending.put(id, call);
        long timeout = timeoutMs > 0 ? timeoutMs : config.rpcTimeoutMs();
        long timer = vertx.setTimer(timeout, t -> fail(id, new GatewayRpcException(method, GatewayRpcException.TIMEOUT,
                "no response from gateway " + config.name() + " within " + timeout + " ms", null, true, null)));
        long started = System.nanoTime();
        future.whenComplete((r, e) -> {
            vertx.cancelTimer(timer);
            metrics.call(method, started, e);
        });
        String text = Json.write(Map.of("type", "req", "id", id, "method", method,
                "params", params == null ? Map.of() : params));
        context.runOnContext(v -> {
            Connection c = current;
            if (c == null || !c.helloReceived || c.closed) {
                fail(id, notConnected(method));
                return;
            }
            call.connection = c.number;
            c.ws.writeTextMessage(text).onFailure(e -> fail(id, new GatewayRpcException(method,
                    GatewayRpcException.CONNECTION_CLOSED, "send failed: " + e.getMessage(), null, true, null)));
        });
        return future;
    }

    /** Completes the call a {@code res} frame answers. Returns false for an unknown id (late or foreign). */
    public boolean complete(Map<String, Object> res) {
        String id = Json.string(res, "id");
        PendingCall call = id == null ? null : pending.remove(id);
        if (call == null) {
            lateResponses.incrementAndGet();
            LOG.debug("Gateway {}: response to unknown or timed-out request {}", config.name(), id);
            return false;
        }
        if (Boolean.TRUE.equals(res.get("ok"))) {
            call.future.complete(res.get("payload"));
        } else {
            call.future.completeExceptionally(GatewayRpcException.fromError(call.method, Json.map(res.get("error"))));
        }
        return true;
    }

    /**
     * Fails the calls sent on a connection that is gone. The consumer calls this after it has handed on every frame
     * that connection delivered, so a response that did arrive is never reported as lost.
     */
    public void failPendingCalls(long connection, int code, String reason) {
        List<String> ids = new ArrayList<>();
        pending.forEach((id, call) -> {
            if (call.connection == connection) {
                ids.add(id);
            }
        });
        for (String id : ids) {
            PendingCall call = pending.get(id);
            fail(id, new GatewayRpcException(call.method, GatewayRpcException.CONNECTION_CLOSED,
                    "connection to gateway " + config.name() + " closed (" + code + " " + reason + ") before the response",
                    null, true, null));
        }
    }

    private void fail(String id, GatewayRpcException e) {
        PendingCall call = pending.remove(id);
        if (call != null) {
            call.future.completeExceptionally(e);
        }
    }

    private GatewayRpcException notConnected(String method) {
        return new GatewayRpcException(method, GatewayRpcException.NOT_CONNECTED,
                "gateway " + config.name() + " is not connected (" + state.name().toLowerCase(Locale.ROOT) + ")",
                null, true, null);
    }

    // ---------------------------------------------------------------- flow control (consumer backpressure)

    /** Stops reading from the socket while the consumer is behind; ticks are not expected meanwhile. */
    public void pauseReading() {
        context.runOnContext(v -> {
            Connection c = current;
            if (c != null && c.ws != null && !c.paused) {
                c.paused = true;
                c.ws.pause();
            }
        });
    }

    public void resumeReading() {
        context.runOnContext(v -> {
            Connection c = current;
            if (c != null && c.ws != null && c.paused) {
                c.paused = false;
                c.lastFrameNanos = System.nanoTime();
                c.ws.resume();
            }
        });
    }

    // ---------------------------------------------------------------- connection, on the event loop

    private void open() {
        cancelReconnect();
        Connection c = new Connection(++connectionNumbers);
        current = c;
        connectAttempts.incrementAndGet();
        nextAttemptAt = null;
        if (state != GatewayState.RECONNECTING && state != GatewayState.PAIRING) {
            state = GatewayState.CONNECTING;
        }
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setAbsoluteURI(config.url().toString())
                .setAllowOriginHeader(false) // any Origin costs the backend client its scopes (PROTOCOL.md §0)
                .setConnectTimeout(config.handshakeTimeoutMs());
        wsClient.connect(options).onComplete(ar -> {
            if (c != current) {
                if (ar.succeeded()) {
                    ar.result().close();
                }
                return;
            }
            if (ar.failed()) {
                lastError = "cannot connect to " + config.displayUrl() + ": " + Messages.causes(ar.cause());
                lost(c, CLOSE_ABNORMAL, ar.cause().getMessage());
                return;
            }
            WebSocket ws = ar.result();
            c.ws = ws;
            c.lastFrameNanos = System.nanoTime();
            ws.textMessageHandler(text -> onText(c, text));
            ws.binaryMessageHandler(b -> {
                unknownFrames.incrementAndGet();
                LOG.warn("Gateway {}: binary frame of {} bytes ignored (the protocol is JSON text)", config.name(),
                        b.length());
            });
            ws.exceptionHandler(e -> onSocketError(c, e));
            ws.closeHandler(v -> {
                Short code = ws.closeStatusCode();
                lost(c, code == null ? CLOSE_ABNORMAL : code, ws.closeReason());
            });
            c.handshakeTimer = vertx.setTimer(config.handshakeTimeoutMs(), t -> {
                if (c == current && !c.helloReceived) {
                    lastError = "no hello-ok within " + config.handshakeTimeoutMs() + " ms";
                    closeOurselves(c, CLOSE_TICK_TIMEOUT, "handshake timeout", null);
                }
            });
        });
    }

    private void onText(Connection c, String text) {
        if (c != current || c.closed) {
            return;
        }
        long receivedAt = System.currentTimeMillis();
        c.lastFrameNanos = System.nanoTime();
        lastFrameAt = Instant.ofEpochMilli(receivedAt);
        framesReceived.incrementAndGet();
        long limit = c.maxPayload > 0 ? c.maxPayload : config.maxPayload();
        if (text.length() > limit / 3 && utf8Length(text) > limit) {
            oversized(c, "a frame of " + utf8Length(text) + " bytes exceeds maxPayload " + limit);
            return;
        }
        Frame frame;
        try {
            frame = Frame.parse(text);
        } catch (Exception e) {
            malformedFrames.incrementAndGet();
            LOG.warn("Gateway {}: malformed frame of {} bytes ignored: {}", config.name(), text.length(),
                    firstLine(e.getMessage()));
            return;
        }
        metrics.frame(frame.type());
        if (OpenClawConstants.FRAME_EVENT.equals(frame.type())) {
            metrics.event(frame.event());
        }
        if (!c.helloReceived) {
            onHandshakeFrame(c, frame);
            return;
        }
        switch (frame.type()) {
            case OpenClawConstants.FRAME_RES -> listener.onFrame(c.number, connId, frame, receivedAt);
            case OpenClawConstants.FRAME_EVENT -> onEvent(c, frame, receivedAt);
            default -> {
                unknownFrames.incrementAndGet();
                LOG.warn("Gateway {}: frame of unknown type '{}' ignored", config.name(), frame.type());
            }
        }
    }

    private void onEvent(Connection c, Frame frame, long receivedAt) {
        Long seq = frame.seq();
        if (seq != null) {
            if (c.lastSeq != null && seq > c.lastSeq + 1) {
                seqGaps.incrementAndGet();
                LOG.warn("Gateway {}: event seq jumped from {} to {}; {} events lost, requesting a resync",
                        config.name(), c.lastSeq, seq, seq - c.lastSeq - 1);
                listener.onResync(c.number, connId, c.lastSeq + 1, seq);
            }
            if (c.lastSeq == null || seq > c.lastSeq) {
                c.lastSeq = seq;
            }
        }
        if ("tick".equals(frame.event())) {
            lastTickAt = Instant.ofEpochMilli(receivedAt);
        } else if ("shutdown".equals(frame.event())) {
            Long expected = Json.number(frame.payload(), "restartExpectedMs");
            restartExpectedMs = expected == null ? 0 : expected;
            LOG.info("Gateway {} is shutting down ({}){}", config.name(), Json.string(frame.payload(), "reason"),
                    expected == null ? "" : ", restart expected in " + expected + " ms");
        }
        listener.onFrame(c.number, connId, frame, receivedAt);
    }

    private void onHandshakeFrame(Connection c, Frame frame) {
        if (OpenClawConstants.FRAME_EVENT.equals(frame.type()) && "connect.challenge".equals(frame.event())) {
            sendConnect(c, frame.payload());
        } else if (OpenClawConstants.FRAME_RES.equals(frame.type()) && Objects.equals(frame.id(), c.connectId)) {
            Map<String, Object> payload = frame.payload();
            if (frame.ok() && payload != null && "hello-ok".equals(payload.get("type"))) {
                onHello(c, payload);
            } else {
                onConnectRefused(c, frame.error());
            }
        } else {
            LOG.debug("Gateway {}: {} frame before hello-ok ignored", config.name(), frame.type());
        }
    }

    private void sendConnect(Connection c, Map<String, Object> challenge) {
        if (c.connectId != null) {
            return;
        }
        c.connectId = "cc-connect-" + c.number;
        c.credentials = device.next();
        Map<String, Object> params = Handshake.connectParams(challenge, device.identity(), device.scopes(), c.credentials);
        c.ws.writeTextMessage(Json.write(Map.of("type", "req", "id", c.connectId, "method", "connect",
                "params", params)));
    }

    private void onHello(Connection c, Map<String, Object> payload) {
        vertx.cancelTimer(c.handshakeTimer);
        Handshake.Hello hello = Handshake.hello(payload);
        boolean wasPairing = state == GatewayState.PAIRING;
        device.connected(hello);
        List<String> missing = hello.scopes() == null ? List.of() : Scopes.missing(hello.scopes(), List.of(Scopes.READ));
        if (!missing.isEmpty()) {
            c.fatal = "MISSING_SCOPES: gateway " + config.name() + " accepted Control Center's device " + device.identity().id()
                    + " with scopes " + hello.scopes() + ", without " + String.join(", ", missing)
                    + ", which Control Center needs to see the fleet; on the gateway host approve the device for "
                    + String.join(", ", device.scopes()) + " (openclaw devices list; openclaw devices remove "
                    + device.identity().id() + ", then openclaw devices approve <the new requestId>), then reconnect "
                    + "(POST /api/gateway/reconnect)";
            closeOurselves(c, 1000, "missing scopes", null);
            return;
        }
        c.helloReceived = true;
        c.tickIntervalMs = hello.tickIntervalMs();
        c.maxPayload = hello.maxPayload() == null || hello.maxPayload() <= 0 ? config.maxPayload()
                : Math.min(hello.maxPayload(), config.maxPayload());
        protocol = hello.protocol();
        serverVersion = hello.serverVersion();
        connId = hello.connId();
        tickIntervalMs = c.tickIntervalMs;
        maxPayload = c.maxPayload;
        if (everConnected) {
            reconnects.incrementAndGet();
        }
        everConnected = true;
        backoff.reset();
        failureReason = null;
        errorCode = null;
        lastError = null;
        restartExpectedMs = 0;
        connectedSince = Instant.now();
        downSince = null;
        state = GatewayState.CONNECTED;
        long check = Math.max(50, Math.min(1_000, c.tickIntervalMs / 4));
        c.watchdogTimer = vertx.setPeriodic(check, t -> watchTicks(c));
        LOG.info("Gateway {}: {}connected to OpenClaw {} at {} (protocol {}, connId {}, {} auth, scopes {})",
                config.name(), wasPairing ? "pairing approved; " : "", serverVersion, config.displayUrl(), protocol,
                connId, hello.authMethod(), hello.scopes());
        listener.onConnected(c.number, connId, hello.payload());
    }

    private void onConnectRefused(Connection c, Map<String, Object> error) {
        GatewayRpcException e = GatewayRpcException.fromError("connect", error);
        c.refusal = e;
        errorCode = e.getDetailCode() != null ? e.getDetailCode() : e.getCode();
        lastError = errorCode + ": " + Json.string(error, "message");
        if ("PAIRING_REQUIRED".equals(e.getDetailCode())) {
            c.newPairingRequest = device.pairingRequired(e);
            c.pairingRefused = true;
        } else if (c.credentials.usesDeviceToken() && TOKEN_REFUSALS.contains(errorCode)) {
            c.retryWithSharedToken = device.forgetDeviceToken("gateway " + config.name() + " refused the device token ("
                    + errorCode + ")");
        }
        // the gateway closes right after refusing; close ourselves if it does not
        vertx.setTimer(1_000, t -> {
            if (c == current && !c.closed) {
                closeOurselves(c, 1000, "connect refused", null);
            }
        });
    }

    private void watchTicks(Connection c) {
        if (c != current || c.closed) {
            vertx.cancelTimer(c.watchdogTimer);
            return;
        }
        long silentMs = (System.nanoTime() - c.lastFrameNanos) / 1_000_000;
        if (!c.paused && silentMs > 2 * c.tickIntervalMs) {
            tickTimeouts.incrementAndGet();
            lastError = "nothing received for " + silentMs + " ms (tick interval " + c.tickIntervalMs + " ms)";
            LOG.warn("Gateway {}: {}; closing with {} and reconnecting", config.name(), lastError, CLOSE_TICK_TIMEOUT);
            closeOurselves(c, CLOSE_TICK_TIMEOUT, "tick timeout", null);
        }
    }

    private void onSocketError(Connection c, Throwable e) {
        if (c != current || c.closed) {
            return;
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("max message size") || message.contains("Max frame length")) {
            oversized(c, message);
        } else {
            LOG.warn("Gateway {}: socket error: {}", config.name(), message);
        }
    }

    private void oversized(Connection c, String why) {
        oversizedFrames.incrementAndGet();
        lastError = why;
        LOG.warn("Gateway {}: {}; closing with {} and reconnecting", config.name(), why, CLOSE_TOO_BIG);
        closeOurselves(c, CLOSE_TOO_BIG, "message too big", null);
    }

    /**
     * Closes a connection from our side and handles it as lost at once: a peer that no longer answers must not delay
     * the reconnect. {@code delayMs} overrides the backoff (0 = reconnect now).
     */
    private void closeOurselves(Connection c, int code, String reason, Long delayMs) {
        c.closedByUs = true;
        c.delayOverride = delayMs;
        if (c.ws != null && !c.ws.isClosed()) {
            c.ws.close((short) code, reason);
        }
        lost(c, code, reason);
    }

    private void lost(Connection c, int code, String reason) {
        if (c.closed) {
            return;
        }
        c.closed = true;
        vertx.cancelTimer(c.handshakeTimer);
        vertx.cancelTimer(c.watchdogTimer);
        if (c == current) {
            current = null;
        }
        lastCloseCode = code;
        lastCloseReason = reason;
        connId = c.helloReceived ? connId : null;
        if (c.helloReceived) {
            downSince = Instant.now();
        }
        GatewayListener l = listener;
        if (l == null) {
            state = GatewayState.DISCONNECTED;
            failPendingCalls(c.number, code, reason);
            return;
        }
        if (code == CLOSE_INVALIDATED && c.helloReceived && deviceInvalidated(reason)) {
            // the device was removed or its token revoked on the gateway: the next connect shows what it allows now
            // (a new pairing request, or a new device token); a changed shared token ("gateway auth changed") is not this
            device.forgetDeviceToken("gateway " + config.name() + " closed the connection: " + reason);
            c.delayOverride = 0L;
        }
        ClosePolicy.Action action = c.fatal != null ? ClosePolicy.Action.FATAL
                : c.closedByUs || c.retryWithSharedToken || c.pairingRefused || c.delayOverride != null
                ? ClosePolicy.Action.RECONNECT : config.closePolicy().actionFor(code);
        if (action == ClosePolicy.Action.FATAL) {
            state = GatewayState.FAILED;
            if (c.fatal != null) {
                errorCode = "MISSING_SCOPES";
                failureReason = c.fatal;
            } else {
                failureReason = describeFailure(c, code, reason);
            }
            LOG.error("Gateway {}: {}. Not retrying until the configuration changes or an operator reconnects "
                    + "(POST /api/gateway/reconnect)", config.name(), failureReason);
        } else if (c.pairingRefused) {
            state = GatewayState.PAIRING;
            failureReason = device.pairingSentence(config.pairingRetryMs());
            nextAttemptAt = Instant.now().plusMillis(config.pairingRetryMs());
            if (c.newPairingRequest) {
                LOG.warn("Gateway {}: {}", config.name(), failureReason);
            } else {
                LOG.debug("Gateway {}: still waiting for approval of pairing request {}", config.name(),
                        device.pairing().requestId());
            }
            reconnectTimer = vertx.setTimer(config.pairingRetryMs(), t -> {
                reconnectTimer = -1;
                open();
            });
        } else {
            long delay = nextDelay(c);
            state = GatewayState.RECONNECTING;
            nextAttemptAt = Instant.now().plusMillis(delay);
            String what = c.helloReceived ? "connection closed" : "connection attempt failed";
            String detail = code == CLOSE_ABNORMAL && lastError != null ? lastError : code + " " + reason;
            if (action == ClosePolicy.Action.NORMAL || c.closedByUs) {
                LOG.info("Gateway {}: {} ({}); reconnecting in {} ms", config.name(), what, detail, delay);
            } else {
                LOG.warn("Gateway {}: {} ({}); reconnecting in {} ms", config.name(), what, detail, delay);
            }
            reconnectTimer = vertx.setTimer(Math.max(1, delay), t -> {
                reconnectTimer = -1;
                open();
            });
        }
        if (c.helloReceived) {
            l.onDisconnected(c.number, code, reason, state);
        } else {
            failPendingCalls(c.number, code, reason);
        }
    }

    private static boolean deviceInvalidated(String reason) {
        return reason != null && (reason.startsWith("device removed") || reason.startsWith("client invalidated"));
    }

    private long nextDelay(Connection c) {
        long delay = backoff.next();
        if (c.delayOverride != null) {
            return c.delayOverride;
        }
        if (c.retryWithSharedToken) {
            return 0;
        }
        if (c.refusal != null && c.refusal.getRetryAfterMs() != null) {
            delay = Math.max(delay, c.refusal.getRetryAfterMs());
        }
        if (restartExpectedMs > 0) {
            delay = restartExpectedMs;
            restartExpectedMs = 0;
        }
        return delay;
    }

    private String describeFailure(Connection c, int code, String reason) {
        String close = "closed with " + code + (reason == null || reason.isEmpty() ? "" : " \"" + reason + "\"");
        if (c.refusal == null) {
            errorCode = "CLOSE_" + code;
            return "gateway " + close;
        }
        Object next = c.refusal.getDetails() == null ? null : c.refusal.getDetails().get("recommendedNextStep");
        return errorCode + ": " + c.refusal.getMessage().substring("connect: ".length())
                + (next == null ? "" : " (next step: " + next + ")") + "; " + close;
    }

    private void cancelReconnect() {
        if (reconnectTimer >= 0) {
            vertx.cancelTimer(reconnectTimer);
            reconnectTimer = -1;
        }
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                n++;
            } else if (ch < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(ch)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    // ---------------------------------------------------------------- status (health, JMX, /api/gateway)

    /** Everything an operator needs to know about the connection, as JSON-ready values. Never the token. */
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", config.name());
        s.put("url", config.displayUrl());
        s.put("state", state.name().toLowerCase(Locale.ROOT));
        s.put("reason", failureReason);
        s.put("errorCode", errorCode);
        s.put("lastError", lastError);
        s.put("connId", connId);
        s.put("serverVersion", serverVersion);
        s.put("protocol", protocol);
        s.put("tickIntervalMs", tickIntervalMs == 0 ? null : tickIntervalMs);
        s.put("maxPayload", maxPayload == 0 ? null : maxPayload);
        s.put("connectedSince", text(connectedSince));
        s.put("lastFrameAt", text(lastFrameAt));
        s.put("lastTickAt", text(lastTickAt));
        s.put("nextAttemptAt", state == GatewayState.RECONNECTING || state == GatewayState.PAIRING
                ? text(nextAttemptAt) : null);
        s.put("lastCloseCode", lastCloseCode);
        s.put("lastCloseReason", lastCloseReason);
        s.put("connectAttempts", connectAttempts.get());
        s.put("reconnects", reconnects.get());
        s.put("pendingCalls", pending.size());
        s.put("framesReceived", framesReceived.get());
        s.put("malformedFrames", malformedFrames.get());
        s.put("unknownFrames", unknownFrames.get());
        s.put("oversizedFrames", oversizedFrames.get());
        s.put("seqGaps", seqGaps.get());
        s.put("tickTimeouts", tickTimeouts.get());
        s.put("lateResponses", lateResponses.get());
        device.status(s, state == GatewayState.PAIRING);
        s.put("pairingRefusals", device.pairingRefusals());
        return s;
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }

    public GatewayState getGatewayState() {
        return state;
    }

    /** Since when the WebSocket has not been connected (Control Center's start, or the last drop); null while connected. */
    public Instant getDownSince() {
        return downSince;
    }

    public boolean hasEverConnected() {
        return everConnected;
    }

    @ManagedAttribute(description = "Gateway name from configuration")
    public String getGatewayName() {
        return config.name();
    }

    @ManagedAttribute(description = "Gateway WebSocket URL")
    public String getUrl() {
        return config.displayUrl();
    }

    @ManagedAttribute(description = "disconnected, connecting, connected, reconnecting or failed")
    public String getConnectionState() {
        return state.name().toLowerCase(Locale.ROOT);
    }

    @ManagedAttribute(description = "Why the connection failed for good (with the gateway's error code)")
    public String getFailureReason() {
        return failureReason;
    }

    @ManagedAttribute(description = "The gateway's error code of the last refusal")
    public String getErrorCode() {
        return errorCode;
    }

    @ManagedAttribute(description = "The last connection error")
    public String getLastError() {
        return lastError;
    }

    @ManagedAttribute(description = "connId given by the gateway in hello-ok")
    public String getConnId() {
        return connId;
    }

    @ManagedAttribute(description = "Gateway server version")
    public String getServerVersion() {
        return serverVersion;
    }

    @ManagedAttribute(description = "Negotiated protocol version")
    public Integer getProtocol() {
        return protocol;
    }

    @ManagedAttribute(description = "When the last tick event arrived")
    public String getLastTickAt() {
        return text(lastTickAt);
    }

    @ManagedAttribute(description = "Connections re-established after the first")
    public long getReconnects() {
        return reconnects.get();
    }

    @ManagedAttribute(description = "Connection attempts made")
    public long getConnectAttempts() {
        return connectAttempts.get();
    }

    @ManagedAttribute(description = "Frames received")
    public long getFramesReceived() {
        return framesReceived.get();
    }

    @ManagedAttribute(description = "Malformed frames ignored")
    public long getMalformedFrames() {
        return malformedFrames.get();
    }

    @ManagedAttribute(description = "Frames of unknown type ignored")
    public long getUnknownFrames() {
        return unknownFrames.get();
    }

    @ManagedAttribute(description = "Event sequence gaps seen (each one requests a resync)")
    public long getSeqGaps() {
        return seqGaps.get();
    }

    @ManagedAttribute(description = "Connections closed by the tick watchdog")
    public long getTickTimeouts() {
        return tickTimeouts.get();
    }

    @ManagedAttribute(description = "Control Center's device id (SHA-256 of its public key), as the gateway lists it")
    public String getDeviceId() {
        return device.identity().id();
    }

    @ManagedAttribute(description = "How the connection authenticated: token (shared) or device-token")
    public String getAuthMethod() {
        return device.authMethod();
    }

    @ManagedAttribute(description = "Scopes the gateway granted in hello-ok")
    public String getGrantedScopes() {
        List<String> granted = device.grantedScopes();
        return granted == null ? null : String.join(",", granted);
    }

    @ManagedAttribute(description = "The pairing request waiting for approval on the gateway (openclaw devices approve <id>)")
    public String getPairingRequestId() {
        DeviceAuth.PairingRequest p = device.pairing();
        return state == GatewayState.PAIRING && p != null ? p.requestId() : null;
    }

    /** Connect attempts the gateway refused with PAIRING_REQUIRED. */
    public long getPairingRefusals() {
        return device.pairingRefusals();
    }

    @ManagedAttribute(description = "Calls waiting for a response")
    public int getPendingCalls() {
        return pending.size();
    }

    private static final class PendingCall {
        final String method;
        final CompletableFuture<Object> future;
        volatile long connection = -1;

        PendingCall(String method, CompletableFuture<Object> future) {
            this.method = method;
            this.future = future;
        }
    }

    /** One socket and its handshake; replaced on every attempt. */
    private static final class Connection {
        final long number;
        WebSocket ws;
        String connectId;
        Handshake.Credentials credentials;
        GatewayRpcException refusal;
        /** Refused with PAIRING_REQUIRED; with a request the gateway had not given before. */
        boolean pairingRefused;
        boolean newPairingRequest;
        /** The device token was refused: the next attempt, at once, uses the shared token. */
        boolean retryWithSharedToken;
        /** Why this connection may not be used although the gateway accepted it (missing scopes): no retry. */
        String fatal;
        boolean helloReceived;
        boolean closed;
        boolean closedByUs;
        boolean paused;
        Long delayOverride;
        Long lastSeq;
        long lastFrameNanos;
        long tickIntervalMs;
        long maxPayload;
        long handshakeTimer = -1;
        long watchdogTimer = -1;

        Connection(long number) {
            this.number = number;
        }
    }
}
