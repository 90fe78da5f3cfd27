package io.controlcenter.gateway;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an operator sees of one gateway connection, kept in one place: {@code GET /api/gateway} and health read
 * {@link #toMap}, the MBean ({@link GatewayClient}'s getters) and the metrics ({@link GatewayMetrics}) read the fields.
 * Written on the connection's event loop only; read from any thread. Never a token or a key.
 */
final class GatewayStats {

    volatile GatewayState state = GatewayState.DISCONNECTED;
    /** Why the connection failed for good, or what the operator must do while pairing. */
    volatile String failureReason;
    volatile String errorCode;
    volatile String lastError;
    volatile String connId;
    volatile String serverVersion;
    volatile Integer protocol;
    volatile long tickIntervalMs;
    volatile long maxPayload;
    volatile Instant connectedSince;
    /**
     * Since when the WebSocket has not been connected (the first attempt, or the loss of the last connection); null while
     * connected.
     */
    volatile Instant downSince = Instant.now();
    volatile Instant lastFrameAt;
    volatile Instant lastTickAt;
    volatile Instant nextAttemptAt;
    volatile Integer lastCloseCode;
    volatile String lastCloseReason;
    volatile boolean everConnected;
    final AtomicLong connectAttempts = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    final AtomicLong framesReceived = new AtomicLong();
    final AtomicLong malformedFrames = new AtomicLong();
    final AtomicLong unknownFrames = new AtomicLong();
    final AtomicLong oversizedFrames = new AtomicLong();
    final AtomicLong seqGaps = new AtomicLong();
    final AtomicLong tickTimeouts = new AtomicLong();

    /** hello-ok: connected, the failure of before forgotten. */
    void connected(Handshake.Hello hello, long tickInterval, long payloadLimit) {
        protocol = hello.protocol();
        serverVersion = hello.serverVersion();
        connId = hello.connId();
        tickIntervalMs = tickInterval;
        maxPayload = payloadLimit;
        if (everConnected) {
            reconnects.incrementAndGet();
        }
        everConnected = true;
        failureReason = null;
        errorCode = null;
        lastError = null;
        connectedSince = Instant.now();
        downSince = null;
        state = GatewayState.CONNECTED;
    }

    /** The first attempt begins: what has not connected yet is down from now. */
    void attached() {
        if (!everConnected) {
            downSince = Instant.now();
        }
    }

    /** A connection is gone with {@code code} and {@code reason}; {@code wasUp}: it had reached hello-ok. */
    void closed(int code, String reason, boolean wasUp) {
        lastCloseCode = code;
        lastCloseReason = reason;
        if (wasUp) {
            downSince = Instant.now();
        } else {
            connId = null;
        }
    }

    String stateName() {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /** Everything an operator needs to know about the connection, as JSON-ready values. */
    Map<String, Object> toMap(GatewaySettings config, PendingCalls calls, DeviceAuth device) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", config.name());
        s.put("url", config.displayUrl());
        s.put("state", stateName());
        s.put("reason", failureReason);
        s.put("errorCode", errorCode);
        s.put("lastError", lastError);
        s.put("connId", connId);
        s.put("serverVersion", serverVersion);
        s.put("protocol", protocol);
        s.put("tickIntervalMs", tickIntervalMs == 0 ? null : tickIntervalMs);
        s.put("maxPayload", maxPayload == 0 ? null : maxPayload);
        s.put("connectedSince", text(connectedSince));
        s.put("downSince", text(downSince));
        s.put("lastFrameAt", text(lastFrameAt));
        s.put("lastTickAt", text(lastTickAt));
        s.put("nextAttemptAt", state == GatewayState.RECONNECTING || state == GatewayState.PAIRING
                ? text(nextAttemptAt) : null);
        s.put("lastCloseCode", lastCloseCode);
        s.put("lastCloseReason", lastCloseReason);
        s.put("connectAttempts", connectAttempts.get());
        s.put("reconnects", reconnects.get());
        s.put("pendingCalls", calls.size());
        s.put("framesReceived", framesReceived.get());
        s.put("malformedFrames", malformedFrames.get());
        s.put("unknownFrames", unknownFrames.get());
        s.put("oversizedFrames", oversizedFrames.get());
        s.put("seqGaps", seqGaps.get());
        s.put("tickTimeouts", tickTimeouts.get());
        s.put("lateResponses", calls.lateResponses());
        device.status(s, state == GatewayState.PAIRING);
        s.put("pairingRefusals", device.pairingRefusals());
        return s;
    }

    static String text(Instant i) {
        return i == null ? null : i.toString();
    }
}
