package io.controlcenter.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.TrustOptions;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to one OpenClaw gateway as a Camel service: keeps one {@link GatewayConnection} open while a consumer
 * is attached, replaces it when it is lost (what follows and when: {@link Reconnects}), makes RPC calls over it
 * ({@link PendingCalls}) and shows where it stands ({@link GatewayStats}: {@link #status()}, the MBean, the metrics).
 * <p>
 * All connection state is touched only on one Vert.x event-loop context, so handlers are attached before the first
 * frame can arrive and frames are seen in arrival order. Frames after hello-ok go to the {@link GatewayListener}
 * (the route consumer), which also completes calls by handing {@code res} frames back to {@link #complete(Map)}.
 */
@ManagedResource(description = "OpenClaw gateway connection")
public class GatewayClient extends ServiceSupport implements GatewayConnection.Owner {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayClient.class);

    private final GatewayConfiguration config;
    private final Vertx vertx;
    private final Reconnects reconnects;
    private final PendingCalls calls;
    private final AtomicBoolean attached = new AtomicBoolean();
    private final DeviceAuth device;
    private final GatewayStats stats = new GatewayStats();
    private final GatewayMetrics metrics;

    // event-loop confined
    private Context context;
    private WebSocketClient wsClient;
    private GatewayConnection current;
    private long connectionNumbers;
    private GatewayListener listener;

    public GatewayClient(GatewayConfiguration config, Vertx vertx, MeterRegistry meters, DeviceCredentials devices) {
        this.config = config;
        this.vertx = vertx;
        this.calls = new PendingCalls(vertx, config.name());
        // the identity and the kept device token are read now (JDBC, on the starting thread); later writes run off the
        // event loop, one after the other
        this.device = new DeviceAuth(config, devices, task -> vertx.executeBlocking(() -> {
            task.run();
            return null;
        }, true));
        this.reconnects = new Reconnects(config, vertx, stats, device, this::open);
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
            reconnects.cancel();
            GatewayConnection c = current;
            listener = null;
            if (c != null) {
                c.closeOurselves(1000, "client stopping", null);
            }
            stats.state = GatewayState.DISCONNECTED;
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
            reconnects.reset();
            stats.failureReason = null;
            stats.errorCode = null;
            reconnects.cancel();
            GatewayConnection c = current;
            if (c != null) {
                c.closeOurselves(1000, "operator requested reconnect", 0L);
            } else {
                open();
            }
        });
    }

    // ---------------------------------------------------------------- RPC

    /** Calls {@code method}; the future fails with a {@link GatewayRpcException} on a gateway error or no answer. */
    public CompletableFuture<Object> call(String method, Object params, long timeoutMs) {
        if (stats.state != GatewayState.CONNECTED) {
            return CompletableFuture.failedFuture(notConnected(method));
        }
        PendingCalls.Call call = calls.open(method, timeoutMs > 0 ? timeoutMs : config.rpcTimeoutMs());
        long started = System.nanoTime();
        call.future.whenComplete((r, e) -> metrics.call(method, started, e));
        String text = Json.write(Map.of("type", "req", "id", call.id, "method", method,
                "params", params == null ? Map.of() : params));
        context.runOnContext(v -> {
            GatewayConnection c = current;
            if (c == null || !c.helloReceived || c.closed) {
                calls.fail(call.id, notConnected(method));
                return;
            }
            call.connection = c.number;
            c.ws.writeTextMessage(text).onFailure(e -> calls.fail(call.id, new GatewayRpcException(method,
                    GatewayRpcException.CONNECTION_CLOSED, "send failed: " + e.getMessage(), null, true, null)));
        });
        return call.future;
    }

    /** Completes the call a {@code res} frame answers. Returns false for an unknown id (late or foreign). */
    public boolean complete(Map<String, Object> res) {
        return calls.complete(res);
    }

    /**
     * Fails the calls sent on a connection that is gone. The consumer calls this after it has handed on every frame
     * that connection delivered, so a response that did arrive is never reported as lost.
     */
    public void failPendingCalls(long connection, int code, String reason) {
        calls.failFor(connection, code, reason);
    }

    private GatewayRpcException notConnected(String method) {
        return new GatewayRpcException(method, GatewayRpcException.NOT_CONNECTED,
                "gateway " + config.name() + " is not connected (" + stats.stateName() + ")", null, true, null);
    }

    // ---------------------------------------------------------------- flow control (consumer backpressure)

    /** Stops reading from the socket while the consumer is behind; ticks are not expected meanwhile. */
    public void pauseReading() {
        context.runOnContext(v -> pause(true));
    }

    public void resumeReading() {
        context.runOnContext(v -> pause(false));
    }

    private void pause(boolean now) {
        GatewayConnection c = current;
        if (c != null) {
            c.pause(now);
        }
    }

    // ---------------------------------------------------------------- connections, on the event loop

    private void open() {
        reconnects.cancel();
        GatewayConnection c = new GatewayConnection(++connectionNumbers, this, config, vertx, stats, metrics, device);
        current = c;
        stats.connectAttempts.incrementAndGet();
        stats.nextAttemptAt = null;
        if (stats.state != GatewayState.RECONNECTING && stats.state != GatewayState.PAIRING) {
            stats.state = GatewayState.CONNECTING;
        }
        c.open(wsClient);
    }

    @Override
    public boolean isCurrent(GatewayConnection c) {
        return c == current;
    }

    @Override
    public GatewayListener listener() {
        return listener;
    }

    @Override
    public void restartExpected(long ms) {
        reconnects.restartExpected(ms);
    }

    @Override
    public void connected(GatewayConnection c, Handshake.Hello hello) {
        boolean wasPairing = stats.state == GatewayState.PAIRING;
        stats.connected(hello, hello.tickIntervalMs(), c.maxPayload());
        reconnects.connected();
        LOG.info("Gateway {}: {}connected to OpenClaw {} at {} (protocol {}, connId {}, {} auth, scopes {})",
                config.name(), wasPairing ? "pairing approved; " : "", hello.serverVersion(), config.displayUrl(),
                hello.protocol(), hello.connId(), hello.authMethod(), hello.scopes());
        listener.onConnected(c.number, hello.connId(), hello.payload());
    }

    @Override
    public void lost(GatewayConnection c, int code, String reason) {
        if (!c.end()) {
            return;
        }
        if (c == current) {
            current = null;
        }
        stats.closed(code, reason, c.helloReceived);
        GatewayListener l = listener;
        if (l == null) {
            stats.state = GatewayState.DISCONNECTED;
            calls.failFor(c.number, code, reason);
            return;
        }
        reconnects.after(c, code, reason);
        if (c.helloReceived) {
            l.onDisconnected(c.number, code, reason, stats.state);
        } else {
            calls.failFor(c.number, code, reason);
        }
    }

    // ---------------------------------------------------------------- status (health, JMX, /api/gateway)

    /** Everything an operator needs to know about the connection, as JSON-ready values. Never a token or key. */
    public Map<String, Object> status() {
        return stats.toMap(config, calls, device);
    }

    public GatewayState getGatewayState() {
        return stats.state;
    }

    /** Since when the WebSocket has not been connected (Control Center's start, or the last drop); null while connected. */
    public Instant getDownSince() {
        return stats.downSince;
    }

    public boolean hasEverConnected() {
        return stats.everConnected;
    }

    /** Connect attempts the gateway refused with PAIRING_REQUIRED. */
    public long getPairingRefusals() {
        return device.pairingRefusals();
    }

    @ManagedAttribute(description = "Gateway name from configuration")
    public String getGatewayName() { return config.name(); }

    @ManagedAttribute(description = "Gateway WebSocket URL")
    public String getUrl() { return config.displayUrl(); }

    @ManagedAttribute(description = "disconnected, connecting, connected, reconnecting, pairing or failed")
    public String getConnectionState() { return stats.stateName(); }

    @ManagedAttribute(description = "Why the connection failed for good (with the gateway's error code), or what to do while pairing")
    public String getFailureReason() { return stats.failureReason; }

    @ManagedAttribute(description = "The gateway's error code of the last refusal")
    public String getErrorCode() { return stats.errorCode; }

    @ManagedAttribute(description = "The last connection error")
    public String getLastError() { return stats.lastError; }

    @ManagedAttribute(description = "connId given by the gateway in hello-ok")
    public String getConnId() { return stats.connId; }

    @ManagedAttribute(description = "Gateway server version")
    public String getServerVersion() { return stats.serverVersion; }

    @ManagedAttribute(description = "Negotiated protocol version")
    public Integer getProtocol() { return stats.protocol; }

    @ManagedAttribute(description = "When the last tick event arrived")
    public String getLastTickAt() { return GatewayStats.text(stats.lastTickAt); }

    @ManagedAttribute(description = "Connections re-established after the first")
    public long getReconnects() { return stats.reconnects.get(); }

    @ManagedAttribute(description = "Connection attempts made")
    public long getConnectAttempts() { return stats.connectAttempts.get(); }

    @ManagedAttribute(description = "Frames received")
    public long getFramesReceived() { return stats.framesReceived.get(); }

    @ManagedAttribute(description = "Malformed frames ignored")
    public long getMalformedFrames() { return stats.malformedFrames.get(); }

    @ManagedAttribute(description = "Frames of unknown type ignored")
    public long getUnknownFrames() { return stats.unknownFrames.get(); }

    @ManagedAttribute(description = "Event sequence gaps seen (each one requests a resync)")
    public long getSeqGaps() { return stats.seqGaps.get(); }

    @ManagedAttribute(description = "Connections closed by the tick watchdog")
    public long getTickTimeouts() { return stats.tickTimeouts.get(); }

    @ManagedAttribute(description = "Calls waiting for a response")
    public int getPendingCalls() { return calls.size(); }

    @ManagedAttribute(description = "Control Center's device id (SHA-256 of its public key), as the gateway lists it")
    public String getDeviceId() { return device.identity().id(); }

    @ManagedAttribute(description = "How the connection authenticated: token (shared) or device-token")
    public String getAuthMethod() { return device.authMethod(); }

    @ManagedAttribute(description = "Scopes the gateway granted in hello-ok")
    public String getGrantedScopes() {
        List<String> granted = device.grantedScopes();
        return granted == null ? null : String.join(",", granted);
    }

    @ManagedAttribute(description = "The pairing request waiting for approval on the gateway (openclaw devices approve <id>)")
    public String getPairingRequestId() {
        DeviceAuth.PairingRequest p = device.pairing();
        return stats.state == GatewayState.PAIRING && p != null ? p.requestId() : null;
    }
}
