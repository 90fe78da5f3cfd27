package io.controlcenter.cluster;

import java.util.List;

import javax.sql.DataSource;

import io.controlcenter.db.Database;
import io.controlcenter.db.DatabaseSettings;
import io.controlcenter.fleet.FleetStore;
import io.controlcenter.gateway.GatewaySettings;
import io.controlcenter.ops.Meters;
import io.controlcenter.sse.SseHub;
import io.controlcenter.sse.SsePublisher;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.CamelContextHelper;

/**
 * Several instances on one database (listed in {@code camel.main.configuration-classes} after the fleet): binds
 * {@code gatewayLeaders} (who leads each gateway). With {@code cluster.service} other than {@code none} it also adds
 * the Camel cluster service the {@code master:} consumers of routes/ are elected on, makes the fleet store commit the
 * event log in order and announce it, and feeds this instance's dashboards from the event log ({@link EventFeed},
 * bound as the {@code ssePublisher} of {@code sse:}).
 */
public class ClusterConfiguration implements CamelConfiguration {

    public static final String LEADERS = "gatewayLeaders";

    @Override
    public void configure(CamelContext context) throws Exception {
        ClusterSettings settings = ClusterSettings.load(context);
        DataSource dataSource = CamelContextHelper.mandatoryLookup(context, Database.DATA_SOURCE, DataSource.class);
        List<String> gateways = GatewaySettings.names(context);
        MeterRegistry meters = Meters.registry(context);
        CamelClusterService service = settings.clustered() ? ClusterServices.create(settings) : null;
        GatewayLeaders leaders = new GatewayLeaders(settings, dataSource, gateways, service);
        leaders.setCamelContext(context);
        leaders.bindTo(meters);
        context.getRegistry().bind(LEADERS, leaders);
        context.getRegistry().bind(LeaderForward.BEAN_NAME, new LeaderForward(leaders, context));
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(new ClusterHealthCheck(leaders));
        }
        if (service == null) {
            return;
        }
        context.addService(service, true, true);
        // after the cluster service: stopped before it, once the routes (and their connections) have stopped
        context.addService(leaders, true, true);

        FleetStore store = CamelContextHelper.mandatoryLookup(context, "fleetStore", FleetStore.class);
        store.shareWith(gateways, leaders::term, settings.writerPauseLimitMs());
        DatabaseSettings db = DatabaseSettings.load(context);
        SseHub hub = CamelContextHelper.mandatoryLookup(context, SseHub.BEAN_NAME, SseHub.class);
        EventFeed feed = new EventFeed(context, store, hub, PgOptions.of(db), db.connectTimeout().toMillis());
        feed.bindTo(meters);
        context.getRegistry().bind(SsePublisher.BEAN_NAME, SsePublisher.class, feed);
        // on the Vert.x of Camel's HTTP server, which has started by then (before the routes)
        context.addStartupListener((camel, alreadyStarted) -> {
            if (!camel.hasService(feed)) {
                VertxPlatformHttpRouter router = CamelContextHelper.findSingleByType(camel,
                        VertxPlatformHttpRouter.class);
                feed.setVertx(router == null ? null : router.vertx());
                camel.addService(feed, true, true);
            }
        });
    }
}
