package io.controlcenter.db;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness of the database: DOWN, with the reason, while PostgreSQL does not accept a connection. */
public class DatabaseHealthCheck extends AbstractHealthCheck {

    /** How long one check may wait for the database (a Kubernetes probe's own timeout is often 1 s to a few). */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Database database;

    public DatabaseHealthCheck(Database database) {
        super("controlcenter", "database");
        this.database = database;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("database", database.settings().toString());
        String why = database.unreachable(TIMEOUT);
        if (why == null) {
            builder.up();
        } else {
            builder.message("PostgreSQL is unreachable: " + why).down();
        }
    }
}
