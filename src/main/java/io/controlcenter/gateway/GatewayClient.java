package io.controlcenter.gateway;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
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
public class GatewayClient extends ManagedGateway implements GatewayConnection.Owner {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayClient.class);

    private final Vertx vertx;
    private final Reconnects reconnects;
    private final AtomicBoolean attached = new AtomicBoolean();
    private final GatewayMetrics metrics;

    // event-loop confined
    private Context context;
    private WebSocketClient wsClient;
    private GatewayConnection current;
    /** The connection before the current one: the next opens only once its socket is closed. */
    private GatewayConnection previous;
    private long connectionNumbers;
    private GatewayListener listener;

    public GatewayClient(GatewaySettings config, Vertx vertx, MeterRegistry meters, DeviceCredentials devices) {
        // the identity and the kept device token are read now (JDBC, on the starting thread); later writes run off the
        // event loop, one after the other
        super(config, new PendingCalls(vertx, config.name()), new DeviceAuth(config, devices,
                task -> vertx.executeBlocking(() -> {
                    task.run();
                    return null;
                }, true)));
        this.vertx = vertx;
        this.reconnects = new Reconnects(config, vertx, stats, device, this::open);
        this.metrics = new GatewayMetrics(meters, this);
    }

    @Override
    protected void doStart() {
        context = vertx.getOrCreateContext();
        wsClient = vertx.createWebSocketClient(config.webSocketClientOptions());
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
            stats.attached(); // the fallback's startup wait counts from here
            LOG.info("Gateway {}: connecting to {}", config.name(), config.displayUrl());
            open();
        });
    }

    /**
     * Closes the connection normally and stops reconnecting. The future completes once the socket is closed, so a
     * caller can be sure the gateway no longer sees this connection (another instance may take the gateway over then).
     */
    public CompletableFuture<Void> detach() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        if (context == null) {
            closed.complete(null);
            return closed;
        }
        attached.set(false);
        context.runOnContext(v -> {
            reconnects.cancel();
            GatewayConnection c = current != null ? current : previous;
            listener = null;
            if (c != null) {
                c.closeOurselves(1000, "client stopping", null);
                c.socketClosed().onComplete(x -> closed.complete(null));
            } else {
                closed.complete(null);
            }
            stats.state = GatewayState.DISCONNECTED;
        });
        return closed;
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
        return call(method, params, timeoutMs, false);
    }

    /** {@link #call(String, Object, long)}; {@code rawPayload}: the answer is the payload's JSON text as received. */
    public CompletableFuture<Object> call(String method, Object params, long timeoutMs, boolean rawPayload) {
        if (stats.state != GatewayState.CONNECTED) {
            return CompletableFuture.failedFuture(notConnected(method));
        }
        PendingCalls.Call call = calls.open(method, timeoutMs > 0 ? timeoutMs : config.rpcTimeoutMs(), rawPayload);
        long started = System.nanoTime();
        call.future.whenComplete((r, e) -> metrics.call(method, started, e));
        context.runOnContext(v -> {
            GatewayConnection c = current;
            if (c == null || !c.helloReceived || c.closed) {
                calls.fail(call.id, notConnected(method));
            } else {
                c.send(call, params, calls);
            }
        });
        return call.future;
    }

    /**
     * Completes the call a {@code res} frame answers ({@code frame}: the frame it was parsed from, or null). Returns
     * false for an unknown id (late or foreign).
     */
    public boolean complete(Map<String, Object> res, Frame frame) {
        return calls.complete(res, frame);
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

    /** Runs {@code task} on the connection's event loop, where reading is paused and resumed ({@link #pause}). */
    void onEventLoop(Runnable task) {
        context.runOnContext(v -> task.run());
    }

    /**
     * On the event loop: stops reading from the socket while the consumer is behind (ticks are not expected meanwhile),
     * or reads again.
     */
    void pause(boolean now) {
        GatewayConnection c = current;
        if (c != null) {
            c.pause(now);
        }
    }

    // ---------------------------------------------------------------- connections, on the event loop

    private void open() {
        reconnects.cancel();
        GatewayConnection before = previous;
        if (before != null && !before.socketClosed().isComplete()) {
            // never two sockets to the gateway, not even while the last one finishes its close handshake
            before.socketClosed().onComplete(v -> {
                if (previous == before && current == null && listener != null) {
                    open();
                }
            });
            return;
        }
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
            previous = c;
        }
        stats.closed(code, reason, c.helloReceived);
        GatewayListener l = listener;
        if (l == null) {
            stats.state = GatewayState.DISCONNECTED;
            calls.failFor(c.number, code, reason);
            return;
        }
        GatewayState before = stats.state;
        reconnects.after(c, code, reason);
        if (c.helloReceived) {
            l.onDisconnected(c.number, code, reason, stats.state);
        } else if (stats.state != before && (stats.state == GatewayState.FAILED || stats.state == GatewayState.PAIRING)) {
            // refused before hello-ok: the routes (and dashboards) learn it failed or waits for approval, and why
            l.onDisconnected(c.number, code, stats.failureReason, stats.state);
        } else {
            calls.failFor(c.number, code, reason);
        }
    }
}
