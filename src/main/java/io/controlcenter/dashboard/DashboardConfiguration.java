package io.controlcenter.dashboard;

import javax.sql.DataSource;

import io.controlcenter.api.GatewaysApi;
import io.controlcenter.db.Database;
import io.controlcenter.sse.SseHub;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.CamelContextHelper;

/**
 * The dashboard (listed in {@code camel.main.configuration-classes} after the API's beans): its page, attached to
 * Camel's HTTP server once that has started (as the SSE hub is), and the beans of its read-only API
 * (routes/api-dashboard.yaml) and of its token sampler (routes/dashboard.yaml): {@code dashboardSettings},
 * {@code dashboardAttention}.
 */
public class DashboardConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        DashboardSettings settings = DashboardSettings.load(context);
        context.getRegistry().bind("dashboardSettings", settings);
        context.getRegistry().bind("dashboardAttention", new Attention(
                CamelContextHelper.mandatoryLookup(context, Database.DATA_SOURCE, DataSource.class),
                CamelContextHelper.mandatoryLookup(context, "gatewaysApi", GatewaysApi.class),
                CamelContextHelper.mandatoryLookup(context, SseHub.BEAN_NAME, SseHub.class), settings.longRunMs()));
        DashboardPage page = new DashboardPage(context);
        context.addStartupListener((camel, alreadyStarted) -> {
            if (!camel.hasService(page)) {
                camel.addService(page, true, true);
            }
        });
    }
}
