package io.controlcenter.fleet;

import java.util.List;

import javax.sql.DataSource;

import io.controlcenter.db.Database;
import io.controlcenter.gateway.GatewaySettings;
import io.controlcenter.ops.Meters;
import io.controlcenter.sse.SseHub;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.CamelContextHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the fleet beans the routes in routes/fleet.yaml call: {@code fleetStore}, {@code fleetBatcher},
 * {@code fleetSync}, and gives the SSE hub its replay source (the event log) and first message (the fleet).
 * Listed in {@code camel.main.configuration-classes} after the database.
 */
public class FleetConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(FleetConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        FleetSettings settings = FleetSettings.load(context);
        DataSource dataSource = CamelContextHelper.mandatoryLookup(context, Database.DATA_SOURCE, DataSource.class);
        MeterRegistry meters = Meters.registry(context);
        FleetStore store = new FleetStore(dataSource, meters);
        List<String> gateways = GatewaySettings.names(context);
        store.writeAlone(gateways); // several instances: io.controlcenter.cluster.ClusterConfiguration
        FleetBatcher batcher = new FleetBatcher(settings.queueSize(), gateways.size(), settings.batchMaxSize(),
                settings.batchMaxDelayMs(), settings.batchEndpoint());
        batcher.setCamelContext(context);
        batcher.bindTo(meters);
        store.setAgentUpdateInterval(settings.agentUpdateIntervalMs(), () -> batcher.getQueued() > 0);
        context.getRegistry().bind("fleetStore", store);
        context.getRegistry().bind("fleetBatcher", batcher);
        context.getRegistry().bind("fleetSync", new FleetSync(settings.syncPageSize(), meters));
        context.addService(batcher, true, true);

        for (String removed : store.configured(gateways)) {
            LOG.info("Gateway {} is no longer in gateways: its history stays in the database (marked removed) and it "
                    + "leaves the live views", removed);
        }

        SseHub hub = context.getRegistry().lookupByNameAndType("sseHub", SseHub.class);
        if (hub != null) {
            hub.setReplay(store::since);
            hub.setGateways(gateways);
            // a fleet.update per gateway asked for; a session's stream starts with nothing
            hub.setSnapshot(filter -> filter.sessionKey() != null ? List.of()
                    : store.snapshot(filter.gateway() == null ? gateways
                            : gateways.contains(filter.gateway()) ? List.of(filter.gateway()) : List.of()));
        }
    }
}
