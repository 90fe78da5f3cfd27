package io.controlcenter.db;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of the database: DOWN, with the reason, while PostgreSQL does not accept a connection (the embedded one
 * also while it is being restarted), or accepts one but fleet batches cannot be stored (a full disk, a read-only
 * server: {@link DatabaseOutage}).
 */
public class DatabaseHealthCheck extends AbstractHealthCheck {

    /** How long one check may wait for the database (a Kubernetes probe's own timeout is often 1 s to a few). */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Database database;
    private final DatabaseOutage outage;

    public DatabaseHealthCheck(Database database, DatabaseOutage outage) {
        super("controlcenter", "database");
        this.database = database;
        this.outage = outage;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("database", database.settings().toString());
        builder.detail("outages", outage.outages());
        if (database.settings().embedded()) {
            builder.detail("embedded.restarts", database.embeddedRestarts());
        }
        String unreachable = database.unreachable(TIMEOUT);
        String paused = outage.reason();
        if (unreachable != null) {
            builder.message("PostgreSQL is unreachable: " + unreachable).down();
        } else if (paused != null) {
            builder.message(paused).down();
        } else {
            builder.up();
        }
    }
}
