package io.controlcenter.gateway;

import io.controlcenter.cluster.ClusterSettings;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Binds {@code gatewayFlows}, which makes the per-gateway route templates of {@code routes/} (the flow of one gateway
 * connection) into routes for every gateway in {@code gateways}, their consumers led by {@code cluster.service}.
 * Listed in {@code camel.main.configuration-classes}.
 */
public class GatewayConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        context.getRegistry().bind("gatewayFlows", new GatewayFlows(context, GatewaySettings.names(context),
                ClusterSettings.load(context)::leadership));
    }
}
