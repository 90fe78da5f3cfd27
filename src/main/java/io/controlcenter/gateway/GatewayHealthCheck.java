package io.controlcenter.gateway;

import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one gateway connection. The gateway is down while its connection has failed for good (bad token,
 * protocol mismatch, missing scopes) or waits for pairing approval; not while it reconnects (the state is in the
 * details). A gateway that is down makes readiness DOWN, with the gateway's reason, when it is listed in
 * {@code gateways.required}, or when every gateway is down; otherwise readiness stays UP and this check says the gateway
 * is down and why. With one gateway: DOWN exactly while it is down.
 */
public class GatewayHealthCheck extends AbstractHealthCheck {

    private final GatewayClient client;
    private final boolean required;
    private final Supplier<Collection<GatewayClient>> all;

    public GatewayHealthCheck(GatewayClient client, boolean required, Supplier<Collection<GatewayClient>> all) {
        super("openclaw", "gateway-" + client.getGatewayName());
        this.client = client;
        this.required = required;
        this.all = all;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    /** Failed for good, or waiting for pairing approval. */
    static boolean isDown(GatewayClient c) {
        GatewayState state = c.getGatewayState();
        return state == GatewayState.FAILED || state == GatewayState.PAIRING;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        client.status().forEach((k, v) -> {
            if (v != null) {
                builder.detail(k, v);
            }
        });
        builder.detail("required", required);
        if (!isDown(client)) {
            builder.up();
        } else if (required || all.get().stream().allMatch(GatewayHealthCheck::isDown)) {
            builder.message(client.getFailureReason()).down();
        } else {
            builder.message("gateway " + client.getGatewayName() + " is down, the others serve (not in gateways.required): "
                    + client.getFailureReason()).up();
        }
    }
}
