package io.controlcenter.db;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.controlcenter.support.ControlCenterApp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A db.url server that is not up yet is waited for: the start completes once it comes up within db.connect-timeout. */
class DatabaseStartingLateTest {

    @Test
    void theStartWaitsForTheServer() throws Exception {
        int port = ControlCenterApp.freePort();
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        CompletableFuture<ControlCenterApp> starting = CompletableFuture.supplyAsync(() -> ControlCenterApp.start(
                StartFailures.closedGateway(), "db.url", url, "db.user", "postgres", "db.connect-timeout", "60s"));
        Thread.sleep(1000);
        assertFalse(starting.isDone(), "the start waits while nothing listens on " + url);
        try (EmbeddedPostgres late = EmbeddedPostgres.builder().setPort(port).start();
             ControlCenterApp app = starting.get(60, TimeUnit.SECONDS)) {
            assertEquals(MigrationFiles.count(), app.query("SELECT count(*) AS n FROM flyway_schema_history").get(0).get("n"));
        }
    }
}
