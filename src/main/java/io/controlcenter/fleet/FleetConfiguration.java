package io.controlcenter.fleet;

import javax.sql.DataSource;

import io.controlcenter.ops.Meters;
import io.controlcenter.sse.SseHub;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Binds the fleet beans the routes in routes/fleet.yaml call: {@code fleetStore}, {@code fleetBatcher},
 * {@code fleetSync}, and gives the SSE hub its replay source (the event log) and first message (the fleet).
 * Listed in {@code camel.main.configuration-classes} after the database.
 */
public class FleetConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent pc = context.getPropertiesComponent();
        FleetSettings settings = FleetSettings.load(context);
        DataSource dataSource = context.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        if (dataSource == null) {
            throw new IllegalStateException("no dataSource: the database configuration must come first in "
                    + "camel.main.configuration-classes");
        }
        MeterRegistry meters = Meters.registry(context);
        FleetStore store = new FleetStore(dataSource, meters);
        FleetBatcher batcher = new FleetBatcher(settings.queueSize(), settings.batchMaxSize(), settings.batchMaxDelayMs(),
                "direct:fleet-batch");
        batcher.setCamelContext(context);
        batcher.bindTo(meters);
        store.setAgentUpdateInterval(settings.agentUpdateIntervalMs(), () -> batcher.getQueued() > 0);
        context.getRegistry().bind("fleetStore", store);
        context.getRegistry().bind("fleetBatcher", batcher);
        context.getRegistry().bind("fleetSync", new FleetSync(settings.syncPageSize(), meters));
        context.addService(batcher, true, true);

        String gateway = pc.resolveProperty("gateway.name").orElse("default");
        SseHub hub = context.getRegistry().lookupByNameAndType("sseHub", SseHub.class);
        if (hub != null) {
            hub.setReplay(store::since);
            hub.setSnapshot(sessionKey -> sessionKey == null ? store.snapshot(gateway) : java.util.List.of());
        }
    }
}
