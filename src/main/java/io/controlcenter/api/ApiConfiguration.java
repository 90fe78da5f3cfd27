package io.controlcenter.api;

import javax.sql.DataSource;

import io.controlcenter.cluster.ClusterConfiguration;
import io.controlcenter.cluster.GatewayLeaders;
import io.controlcenter.cluster.LeaderForward;
import io.controlcenter.db.Database;
import io.controlcenter.gateway.GatewaySettings;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.CamelContextHelper;

/**
 * Binds {@code gatewaysApi}, which the API routes (routes/api-*.yaml) ask which gateway a request addresses and which
 * serves {@code /api/gateways}. Listed in {@code camel.main.configuration-classes} after the database, whose
 * {@code dataSource} it reads, and the cluster ({@code gatewayLeaders}).
 */
public class ApiConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        DataSource dataSource = CamelContextHelper.mandatoryLookup(context, Database.DATA_SOURCE, DataSource.class);
        GatewayLeaders leaders = CamelContextHelper.mandatoryLookup(context, ClusterConfiguration.LEADERS,
                GatewayLeaders.class);
        context.getRegistry().bind("gatewaysApi", new GatewaysApi(context, dataSource, GatewaySettings.names(context),
                GatewaySettings.primary(context), leaders, CamelContextHelper.mandatoryLookup(context,
                LeaderForward.BEAN_NAME, LeaderForward.class)));
    }
}
