package io.controlcenter.db;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings the schema up to date at start with the versioned SQL files in {@code classpath:db/migration} (Flyway). */
public final class Migrations {

    public static final String LOCATION = "classpath:db/migration";
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    public static MigrateResult run(DataSource dataSource) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .validateMigrationNaming(true) // a misnamed file fails instead of being skipped
                .load();
        try {
            MigrateResult result = flyway.migrate();
            // from the result: flyway.info() would scan the migrations and read the history table a second time
            String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
            LOG.info("Database schema at version {} ({} migration(s) applied now)", version == null ? "(none)" : version,
                    result.migrationsExecuted);
            return result;
        } catch (FlywayException e) {
            throw new DatabaseStartException("Database migration failed: " + e.getMessage(), e);
        }
    }
}
