package io.controlcenter.fleet;

import javax.sql.DataSource;

import io.controlcenter.config.Settings;
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
        Settings settings = new Settings(pc, "fleet.");
        DataSource dataSource = context.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        if (dataSource == null) {
            throw new IllegalStateException("no dataSource: the database configuration must come first in "
                    + "camel.main.configuration-classes");
        }
        MeterRegistry meters = Meters.registry(context);
        FleetStore store = new FleetStore(dataSource, meters);
        FleetBatcher batcher = new FleetBatcher(
                Integer.parseInt(pc.resolveProperty("fleet.batch.queue-size").orElse("2000")),
                Integer.parseInt(pc.resolveProperty("fleet.batch.max-size").orElse("1000")),
                settings.value("batch.max-delay", 5L, org.apache.camel.util.TimeUtils::toMilliSeconds, ms -> ms >= 0,
                        "a duration of 0 ms or more"),
                "direct:fleet-batch");
        batcher.setCamelContext(context);
        batcher.bindTo(meters);
        store.setAgentUpdateInterval(settings.value("agent-update.interval", 250L,
                org.apache.camel.util.TimeUtils::toMilliSeconds, ms -> ms >= 0, "a duration of 0 ms or more"),
                () -> batcher.getQueued() > 0);
        context.getRegistry().bind("fleetStore", store);
        context.getRegistry().bind("fleetBatcher", batcher);
        context.getRegistry().bind("fleetSync", new FleetSync(
                Integer.parseInt(pc.resolveProperty("fleet.sync.page-size").orElse("1000")), meters, batcher));
        context.addService(batcher, true, true);

        String gateway = pc.resolveProperty("gateway.name").orElse("default");
        SseHub hub = context.getRegistry().lookupByNameAndType("sseHub", SseHub.class);
        if (hub != null) {
            hub.setReplay(store::since);
            hub.setSnapshot(sessionKey -> sessionKey == null ? store.snapshot(gateway) : java.util.List.of());
        }
    }
}
