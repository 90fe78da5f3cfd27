package io.controlcenter.db;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.EventFeed;
import io.controlcenter.support.ExternalPostgres;
import io.controlcenter.support.FaultFigures;
import io.controlcenter.support.SseStream;
import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PostgreSQL server of DB_URL is stopped ({@code pg_ctl stop -m fast}) for 10 s while the gateway streams events,
 * then started again at the same address: readiness goes DOWN then UP, the pool replaces its dead connections, every
 * event is stored once and pushed once in order (also those that waited in TCP while the full queues paused reading
 * from the gateway), and the outage is one WARN line and one INFO line in the log, counted and timed in the metrics.
 * {@code -Dfaults.outage-seconds} makes it longer (scripts/faults.sh: 60 s).
 */
class ExternalDatabaseRestartTest extends DatabaseFaultSupport {

    @Test
    void aStoppedServerLosesNoEventAndLogsOneWarningAndOneRecovery() throws Exception {
        int outageSeconds = FaultFigures.setting("outage-seconds", 10);
        long intervalMs = 5;
        try (ExternalPostgres pg = ExternalPostgres.create(dir)) {
            pg.start();
            pg.createDatabase("cc");
            // small queues: 2 s into the outage they are full and reading from the gateway pauses (TCP holds the rest)
            startApp(Map.of("DB_URL", pg.url("cc"), "DB_USER", TestDatabase.USER, "DB_PASSWORD", TestDatabase.PASSWORD),
                    "fleet.batch.queue-size=200", "gateway.frame-queue.high-watermark=200");
            SseStream dashboard = dashboard();
            EventFeed feed = feed(intervalMs);
            feed.awaitMore(2000);

            pg.stop();
            long stoppedAt = System.nanoTime();
            long detectedMs = awaitReadiness(503, Duration.ofSeconds(15));
            String health = get("/observe/health/ready?exposureLevel=full");
            assertTrue(health.contains("PostgreSQL is unreachable"), health);
            Thread.sleep(Math.max(0, outageSeconds * 1000L - (System.nanoTime() - stoppedAt) / 1_000_000));
            pg.start();
            long back = System.nanoTime();
            int sentWhenBack = feed.sent();

            Recovery recovery = awaitRecovery(dashboard, feed, back, sentWhenBack);

            long[] stored = stored(pg.url("cc"), TestDatabase.USER, TestDatabase.PASSWORD);
            figures("external PostgreSQL stopped " + outageSeconds + " s", feed, stored, dashboard)
                    .put("readinessDownAfterMs", detectedMs).put("readyAgainAfterMs", recovery.readyMs())
                    .put("caughtUpAfterMs", recovery.caughtUpMs()).report();
            assertEquals(feed.sent(), stored[0], "event-log rows");
            assertEquals(feed.sent(), stored[1], "distinct seqs in the event log");
            assertPushedOnceInOrder(dashboard, feed);

            List<String> warnings = logLines("WARN", null);
            assertEquals(1, warnings.size(), "one WARN for the outage:\n" + String.join("\n", warnings));
            assertTrue(warnings.get(0).contains("DatabaseOutage") && warnings.get(0).contains("PostgreSQL is unreachable"),
                    warnings.get(0));
            List<String> recovered = logLines("INFO", "DatabaseOutage");
            assertEquals(1, recovered.size(), String.join("\n", recovered));
            assertTrue(recovered.get(0).contains("Storing resumed: PostgreSQL is back after"), recovered.get(0));
            assertFalse(app.output().contains(TestDatabase.PASSWORD), "the password is not logged");
            assertEquals(List.of(), logLines("ERROR", null));
            String metrics = get("/observe/metrics");
            assertTrue(metrics.contains("controlcenter_db_outages_total 1.0") && metrics.contains(
                    "controlcenter_db_storing_paused 0.0") && metrics.contains("controlcenter_db_outage_seconds_count 1"),
                    "the outage is counted and timed");
        }
    }
}
