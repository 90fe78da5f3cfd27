package io.controlcenter.db;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded PostgreSQL dies once more than {@code db.embedded.restart.limit} allows (here 0: no restart): Control
 * Center says why in one ERROR line and exits with status 3, so that its supervisor starts it again; started again on
 * the same data directory it comes up with the data it had.
 */
class EmbeddedRestartLimitTest extends DatabaseFaultSupport {

    @Test
    void beyondTheLimitControlCenterExitsWithStatusThreeAndStartsAgainOnItsData() throws Exception {
        Path data = dir.resolve("data/postgres");
        startApp(Map.of("DB_DATA_DIR", data.toString()), "db.embedded.restart.limit=0");
        killPostmaster(data);
        long killed = System.nanoTime();
        assertEquals(EmbeddedSupervisor.EXIT_STATUS, app.awaitExit(60), app.output());
        System.out.println("exited " + (System.nanoTime() - killed) / 1_000_000 + " ms after the kill");
        List<String> errors = logLines("ERROR", "EmbeddedSupervisor");
        assertEquals(1, errors.size(), app.output());
        assertEquals(List.of(), logLines("WARN", "EmbeddedSupervisor"), "no restart announced");
        assertTrue(errors.get(0).contains("The embedded PostgreSQL cannot be kept running: it died, and"
                + " db.embedded.restart.limit=0 restart(s) within db.embedded.restart.period=600 s allows no more."
                + " Control Center exits with status 3"), errors.get(0));

        // its supervisor starts it again
        app.close();
        startApp(Map.of("DB_DATA_DIR", data.toString()));
        assertTrue(get("/api/agents").contains("\"main\""));
    }
}
