package io.controlcenter.gateway;

import java.util.Map;

/** Receives what a gateway connection produces, on the connection's event loop, in arrival order. */
public interface GatewayListener {

    /** hello-ok arrived on connection number {@code connection}. */
    void onConnected(long connection, String connId, Map<String, Object> hello);

    /** A frame after hello-ok: a {@code res} or an {@code event}. */
    void onFrame(long connection, String connId, Frame frame, long receivedAt);

    /** The event {@code seq} jumped from {@code expected} to {@code received}: events were lost. */
    void onResync(long connection, String connId, long expected, long received);

    /** The connection is gone; {@code state} is what the client does next (RECONNECTING, FAILED, DISCONNECTED). */
    void onDisconnected(long connection, int code, String reason, GatewayState state);
}
