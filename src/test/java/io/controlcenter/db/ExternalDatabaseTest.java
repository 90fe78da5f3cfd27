package io.controlcenter.db;

import java.util.List;
import java.util.Map;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.TestDatabase;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * With db.url set the application uses that server (a separately started PostgreSQL: the tests' shared server) as
 * db.user with db.password: the migrations ran on the empty database and sql: endpoints use the bound dataSource.
 */
class ExternalDatabaseTest {

    private final String database = TestDatabase.create();

    @AfterEach
    void dropDatabase() {
        TestDatabase.drop(database);
    }

    @Test
    void migrationsRunAndSqlEndpointsUseTheServer() {
        try (ControlCenterApp app = ControlCenterApp.start(StartFailures.closedGateway(),
                "db.url", TestDatabase.url(database), "db.user", TestDatabase.USER,
                "db.password", TestDatabase.PASSWORD)) {
            List<Map<String, Object>> history = app.query("SELECT version, success FROM flyway_schema_history ORDER BY installed_rank");
            assertEquals(MigrationFiles.count(), (long) history.size());
            assertEquals(Map.of("version", "1", "success", true), history.get(0));
            assertTrue(history.stream().allMatch(h -> Boolean.TRUE.equals(h.get("success"))));
            assertEquals(Map.of("db", database, "usr", TestDatabase.USER),
                    app.query("SELECT current_database()::text AS db, current_user::text AS usr").get(0));

            ProducerTemplate template = app.context().createProducerTemplate();
            // the gateway is registered at start (configured); the URL is written by the test through the sql endpoint
            template.sendBody("sql:INSERT INTO gateways (name, url) VALUES ('default', 'ws://gw/') "
                    + "ON CONFLICT (name) DO UPDATE SET url = EXCLUDED.url", (Object) null);
            Object rows = template.requestBody("sql:SELECT name, url, state FROM gateways", (Object) null);
            assertEquals(List.of(Map.of("name", "default", "url", "ws://gw/", "state", "disconnected")), rows);
            assertNull(app.context().getRegistry().lookupByName("password"), "nothing odd bound");
        }
    }
}
