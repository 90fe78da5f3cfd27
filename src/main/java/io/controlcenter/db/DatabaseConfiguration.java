package io.controlcenter.db;

import io.controlcenter.ops.Meters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Hooks the database into start-up (listed in {@code camel.main.configuration-classes}): camel-main calls this before
 * it reads the routes, so the database is started, migrated and bound as {@code dataSource} before any route starts,
 * and a failure stops the start with its reason. As a Camel service it stops with Camel, after the routes. Binds
 * {@code databaseOutage} (the route that stores fleet batches reports to it) and the database's health check.
 */
public class DatabaseConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        DatabaseSettings settings = DatabaseSettings.load(context);
        Database database = new Database(settings, context);
        database.start();
        context.addService(database, true);
        context.getRegistry().bind(Database.DATA_SOURCE, database.dataSource());
        DatabaseOutage outage = new DatabaseOutage(settings.password());
        MeterRegistry meters = Meters.registry(context);
        outage.bindTo(meters);
        context.getRegistry().bind(DatabaseOutage.BEAN, outage);
        FunctionCounter.builder(Meters.PREFIX + "db.embedded.restarts", database, Database::embeddedRestarts)
                .description("Restarts of the embedded PostgreSQL after it died").register(meters);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(new DatabaseHealthCheck(database, outage));
        }
    }
}
