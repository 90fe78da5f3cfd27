package io.controlcenter.config;

import io.controlcenter.api.ApiSettings;
import io.controlcenter.chat.ChatSettings;
import io.controlcenter.cluster.ClusterSettings;
import io.controlcenter.dashboard.DashboardSettings;
import io.controlcenter.db.DatabaseSettings;
import io.controlcenter.device.DeviceSettings;
import io.controlcenter.fallback.FallbackSettings;
import io.controlcenter.fleet.FleetSettings;
import io.controlcenter.gateway.GatewaySettings;
import io.controlcenter.sse.SseSettings;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Reads every group of settings before anything starts (first in {@code camel.main.configuration-classes}: before the
 * database, the HTTP server and the gateway connection), so a missing or wrong one stops the start at once with a
 * {@link ConfigurationException} naming its key.
 */
public class ConfigurationCheck implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        for (String gateway : GatewaySettings.names(context)) {
            GatewaySettings.load(context, gateway);
        }
        GatewaySettings.required(context);
        DeviceSettings.load(context);
        DatabaseSettings.load(context);
        SseSettings.load(context);
        ApiSettings.load(context);
        ChatSettings.load(context);
        FleetSettings.load(context);
        FallbackSettings.load(context);
        DashboardSettings.load(context);
        ClusterSettings.load(context);
    }
}
