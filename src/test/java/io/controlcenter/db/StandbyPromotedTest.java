package io.controlcenter.db;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.EventFeed;
import io.controlcenter.support.ExternalPostgres;
import io.controlcenter.support.SseStream;
import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failover to a new primary at the same address: the server of DB_URL has a synchronous streaming standby (a commit is
 * acknowledged once the standby has it); while the gateway streams events the primary is stopped, and the standby
 * takes over its address (stopped, started on the primary's port, promoted: a virtual IP or DNS name moving, with a
 * moment in which the address answers read-only). Every event is stored exactly once on the new primary and pushed
 * once in order; readiness goes DOWN and UP again; the outage is one WARN line and one INFO line (two each when the
 * read-only moment comes right after a first batch was stored on the promoted server).
 */
class StandbyPromotedTest extends DatabaseFaultSupport {

    @Test
    void theNewPrimaryAtTheSameAddressGetsEveryEventOnce() throws Exception {
        try (ExternalPostgres primary = ExternalPostgres.createWithSystemServer(dir.resolve("primary"));
             ExternalPostgres standby = ExternalPostgres.standbyOf(startedWithDatabase(primary), dir.resolve("standby"))) {
            standby.start();
            primary.sql("postgres", "ALTER SYSTEM SET synchronous_standby_names = '*'", "SELECT pg_reload_conf()");
            ControlCenterApp.await("the standby synchronous", Duration.ofSeconds(30), () -> primary.queryLong(
                    "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'") == 1);
            startApp(Map.of("DB_URL", primary.url("cc"), "DB_USER", TestDatabase.USER, "DB_PASSWORD",
                    TestDatabase.PASSWORD), "fleet.batch.queue-size=200", "gateway.frame-queue.high-watermark=200");
            SseStream dashboard = dashboard();
            EventFeed feed = feed(5);
            feed.awaitMore(2000);

            primary.stop();
            long stoppedAt = System.nanoTime();
            long detectedMs = awaitReadiness(503, Duration.ofSeconds(15));
            standby.stop();
            ExternalPostgres promoted = standby.atAddressOf(primary);
            promoted.start(); // a standby still: read-only until promoted
            promoted.promote();
            long promotedAfterMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            long back = System.nanoTime();
            int sentWhenBack = feed.sent();

            Recovery recovery = awaitRecovery(dashboard, feed, back, sentWhenBack);

            long[] stored = stored(promoted.url("cc"), TestDatabase.USER, TestDatabase.PASSWORD);
            figures("external PostgreSQL: failover to its promoted standby at the same address", feed, stored, dashboard)
                    .put("readinessDownAfterMs", detectedMs).put("promotedAfterMs", promotedAfterMs)
                    .put("readyAgainAfterMs", recovery.readyMs()).put("caughtUpAfterMs", recovery.caughtUpMs()).report();
            assertEquals(feed.sent(), stored[0], "event-log rows on the new primary");
            assertEquals(feed.sent(), stored[1], "distinct seqs in the event log");
            assertPushedOnceInOrder(dashboard, feed);

            // one outage, one WARN and one INFO; or two when a batch was stored at the address and the next one still
            // met its read-only moment (seen once in CI: stored 0.7 s after the primary stopped, the next batch refused
            // read-only 18 ms later and stored 0.5 s after that): the second one then says read-only and ends as well
            List<String> warnings = logLines("WARN", null);
            assertTrue(warnings.size() == 1 || warnings.size() == 2 && warnings.get(1).contains("(read-only)"),
                    "one WARN for the outage:\n" + String.join("\n", warnings));
            assertTrue(warnings.stream().allMatch(w -> w.contains("DatabaseOutage")), String.join("\n", warnings));
            List<String> recovered = logLines("INFO", "DatabaseOutage");
            assertEquals(warnings.size(), recovered.size(), String.join("\n", recovered));
            assertFalse(app.output().contains(TestDatabase.PASSWORD), "the password is not logged");
            assertEquals(List.of(), logLines("ERROR", null));
        }
    }

    private static ExternalPostgres startedWithDatabase(ExternalPostgres pg) throws java.io.IOException {
        pg.start();
        pg.createDatabase("cc");
        return pg;
    }
}
