package io.controlcenter.db;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.ControlCenterApp;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With no db.url the application runs its own PostgreSQL on db.embedded.data-dir: the schema is migrated, the server
 * stops with the application, and the data survives a restart on the same directory.
 */
class EmbeddedDatabaseTest {

    @Test
    void dataSurvivesARestartOnTheSameDataDirectory() throws IOException {
        Files.createDirectories(Path.of("target"));
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "embedded-db-").resolve("postgres");
        String[] embedded = {"db.url", "", "db.embedded.data-dir", dataDir.toString()};
        String gateway = StartFailures.closedGateway();
        int port;
        try (ControlCenterApp app = ControlCenterApp.start(gateway, embedded)) {
            assertTrue(Files.exists(dataDir.resolve("PG_VERSION")), "a cluster in " + dataDir);
            assertEquals(List.of("agent_usage", "agents", "chat_messages", "chat_runs", "device_identity", "device_tokens", "event_log",
                    "flyway_schema_history", "gateway_leaders", "gateways", "persisted_batches", "presence", "sessions", "usage_samples"),
                    app.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                            + " ORDER BY table_name").stream().map(r -> r.get("table_name")).toList());
            app.update("INSERT INTO event_log (id, gateway, event, seq, received_at, payload)"
                    + " VALUES (nextval('event_log_id_seq'), 'default', 'restart.check', 7, now(), CAST(? AS jsonb))",
                    "{\"kept\":true}");
            port = ((Number) app.query("SELECT inet_server_port() AS port").get(0).get("port")).intValue();
        }
        assertFalse(listening(port), "the embedded server stopped with the application (port " + port + ")");
        assertTrue(Files.exists(dataDir.resolveSibling("postgres.log")), "its server log next to the data");

        try (ControlCenterApp app = ControlCenterApp.start(gateway, embedded)) {
            List<Map<String, Object>> rows = app.query("SELECT event, seq, payload::text AS payload FROM event_log");
            assertEquals(List.of(Map.of("event", "restart.check", "seq", 7L, "payload", "{\"kept\": true}")), rows);
            assertEquals(MigrationFiles.count(), app.query("SELECT count(*) AS n FROM flyway_schema_history").get(0).get("n"),
                    "migrations are not run twice");
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
