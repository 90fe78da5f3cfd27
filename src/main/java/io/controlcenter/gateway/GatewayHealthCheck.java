package io.controlcenter.gateway;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of a gateway connection: DOWN with the gateway's reason while the connection has failed for good (bad
 * token, protocol mismatch, missing scopes) or waits for pairing approval (with the command to run); UP otherwise, also
 * while reconnecting (the state is in the details).
 */
public class GatewayHealthCheck extends AbstractHealthCheck {

    private final GatewayClient client;

    public GatewayHealthCheck(GatewayClient client) {
        super("openclaw", "gateway-" + client.getGatewayName());
        this.client = client;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        client.status().forEach((k, v) -> {
            if (v != null) {
                builder.detail(k, v);
            }
        });
        GatewayState state = client.getGatewayState();
        if (state == GatewayState.FAILED || state == GatewayState.PAIRING) {
            builder.message(client.getFailureReason()).down();
        } else {
            builder.up();
        }
    }
}
