package io.controlcenter.cluster;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * This instance in the cluster ({@code cluster-instance}): its id, address and the gateways it leads; always UP (a
 * follower serves reads and forwards commands, so it is ready as much as a leader). With one instance: it leads all.
 */
public class ClusterHealthCheck extends AbstractHealthCheck {

    private final GatewayLeaders leaders;

    public ClusterHealthCheck(GatewayLeaders leaders) {
        super("cluster", "cluster-instance");
        this.leaders = leaders;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ClusterSettings settings = leaders.settings();
        builder.detail("service", settings.service().name());
        builder.detail("instanceId", settings.instanceId());
        builder.detail("leads", String.join(",", leaders.ledHere()));
        if (settings.clustered()) {
            builder.detail("advertisedUrl", settings.advertisedUrl());
        }
        builder.up();
    }
}
