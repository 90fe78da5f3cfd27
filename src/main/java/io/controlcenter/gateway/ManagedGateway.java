package io.controlcenter.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.support.service.ServiceSupport;

/**
 * What {@link GatewayClient} shows of its connection: the JMX attributes of its MBean, {@link #status()} for
 * {@code GET /api/gateway} and the health check, all read from the one {@link GatewayStats}, the pending calls and the
 * device. Never a token or a key.
 */
public abstract class ManagedGateway extends ServiceSupport {

    final GatewaySettings config;
    final GatewayStats stats = new GatewayStats();
    final PendingCalls calls;
    final DeviceAuth device;

    ManagedGateway(GatewaySettings config, PendingCalls calls, DeviceAuth device) {
        this.config = config;
        this.calls = calls;
        this.device = device;
    }

    public GatewaySettings getConfiguration() {
        return config;
    }

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
