package io.controlcenter.fleet;

import javax.sql.DataSource;

import io.controlcenter.db.Database;
import io.controlcenter.ops.Meters;
import io.controlcenter.sse.SseHub;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.CamelContextHelper;

/**
 * Binds the fleet beans the routes in routes/fleet.yaml call: {@code fleetStore}, {@code fleetBatcher},
 * {@code fleetSync}, and gives the SSE hub its replay source (the event log) and first message (the fleet).
 * Listed in {@code camel.main.configuration-classes} after the database.
 */
public class FleetConfiguration implements CamelConfiguration {

    @PropertyInject(value = "gateway.name", defaultValue = "default")
    private String gateway;

    @Override
    public void configure(CamelContext context) throws Exception {
        FleetSettings settings = FleetSettings.load(context);
        DataSource dataSource = CamelContextHelper.mandatoryLookup(context, Database.DATA_SOURCE, DataSource.class);
        MeterRegistry meters = Meters.registry(context);
        FleetStore store = new FleetStore(dataSource, meters);
        FleetBatcher batcher = new FleetBatcher(settings.queueSize(), settings.batchMaxSize(), settings.batchMaxDelayMs(),
                settings.batchEndpoint());
        batcher.setCamelContext(context);
        batcher.bindTo(meters);
        store.setAgentUpdateInterval(settings.agentUpdateIntervalMs(), () -> batcher.getQueued() > 0);
        context.getRegistry().bind("fleetStore", store);
        context.getRegistry().bind("fleetBatcher", batcher);
        context.getRegistry().bind("fleetSync", new FleetSync(settings.syncPageSize(), meters));
        context.addService(batcher, true, true);

        SseHub hub = context.getRegistry().lookupByNameAndType("sseHub", SseHub.class);
        if (hub != null) {
            hub.setReplay(store::since);
            hub.setSnapshot(sessionKey -> sessionKey == null ? store.snapshot(gateway) : java.util.List.of());
        }
    }
}
