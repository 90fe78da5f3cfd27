package io.controlcenter.db;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Hooks the database into start-up (listed in {@code camel.main.configuration-classes}): camel-main calls this before
 * it reads the routes, so the database is started, migrated and bound as {@code dataSource} before any route starts,
 * and a failure stops the start with its reason. As a Camel service it stops with Camel, after the routes.
 */
public class DatabaseConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Database database = new Database(DatabaseSettings.load(context), context);
        database.start();
        context.addService(database, true);
        context.getRegistry().bind(Database.DATA_SOURCE, database.dataSource());
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(new DatabaseHealthCheck(database));
        }
    }
}
