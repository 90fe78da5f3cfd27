package io.controlcenter.db;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.EventFeed;
import io.controlcenter.support.ExternalPostgres;
import io.controlcenter.support.SseStream;
import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL's disk fills up while the gateway streams events (the event log's tablespace is on a 1 MB filesystem of
 * the server's: a real ENOSPC, SQLSTATE 53100) and is then grown, as an operator frees space: storing pauses and
 * readiness is DOWN naming the full disk, one WARN says so; nothing is dropped, and once there is space every event is
 * stored once and pushed once in order, with one INFO line. Needs root (a tmpfs in a mount namespace), as CI has.
 */
class DiskFullTest extends DatabaseFaultSupport {

    @Test
    void aFullDiskPausesStoringAndLosesNoEvent() throws Exception {
        long intervalMs = 5;
        try (ExternalPostgres pg = ExternalPostgres.create(dir).withSmallDisk("1m")) {
            pg.start();
            pg.createDatabase("cc");
            startApp(Map.of("DB_URL", pg.url("cc"), "DB_USER", TestDatabase.USER, "DB_PASSWORD", TestDatabase.PASSWORD));
            pg.sql("cc", "CREATE TABLESPACE small LOCATION '" + pg.smallDisk() + "'",
                    "ALTER TABLE event_log SET TABLESPACE small");
            SseStream dashboard = dashboard();
            EventFeed feed = feed(intervalMs);

            long fullAfterMs = awaitReadiness(503, Duration.ofSeconds(30));
            String health = get("/observe/health/ready?exposureLevel=full");
            assertTrue(health.contains("PostgreSQL's disk is full") && health.contains("53100")
                    && health.contains("No space left on device"), health);
            List<String> warnings = logLines("WARN", null);
            assertEquals(1, warnings.size(), String.join("\n", warnings));
            assertTrue(warnings.get(0).contains("Storing paused (database outage 1): PostgreSQL's disk is full"),
                    warnings.get(0));
            feed.awaitMore(3_000); // the disk stays full for 3 s of the stream

            pg.growSmallDisk("64m");
            long grown = System.nanoTime();
            int sentWhenGrown = feed.sent();
            Recovery recovery = awaitRecovery(dashboard, feed, grown, sentWhenGrown);

            long[] stored = stored(pg.url("cc"), TestDatabase.USER, TestDatabase.PASSWORD);
            figures("PostgreSQL's disk full (1 MB tablespace of the event log), then grown", feed, stored, dashboard)
                    .put("readinessDownAfterMs", fullAfterMs).put("readyAgainAfterMs", recovery.readyMs())
                    .put("caughtUpAfterMs", recovery.caughtUpMs()).report();
            assertEquals(feed.sent(), stored[0], "event-log rows");
            assertEquals(feed.sent(), stored[1], "distinct seqs in the event log");
            assertPushedOnceInOrder(dashboard, feed);
            assertEquals(1, logLines("WARN", null).size(), "still one WARN");
            assertEquals(1, logLines("INFO", "DatabaseOutage").size());
        }
    }
}
