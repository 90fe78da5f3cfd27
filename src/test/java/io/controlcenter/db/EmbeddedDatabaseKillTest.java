package io.controlcenter.db;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.EventFeed;
import io.controlcenter.support.FaultFigures;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded PostgreSQL is killed ({@code kill -9} of its postmaster) while the gateway streams events: Control
 * Center restarts it on the same data directory, readiness goes DOWN then UP, and every event is stored once and pushed
 * once in order. While it was dead something else took its port, so it comes back on another one, and the pool
 * follows it there. {@code -Dfaults.kills} kills it that many times (scripts/faults.sh: 5).
 */
class EmbeddedDatabaseKillTest extends DatabaseFaultSupport {

    @Test
    void aKilledEmbeddedServerIsRestartedAndLosesNoEvent() throws Exception {
        int kills = FaultFigures.setting("kills", 1);
        long intervalMs = 5;
        Path data = dir.resolve("data/postgres");
        startApp(Map.of("DB_DATA_DIR", data.toString()), "db.embedded.restart.limit=" + kills);
        SseStream dashboard = dashboard();
        EventFeed feed = feed(intervalMs);

        List<Long> recoveries = new ArrayList<>();
        List<Long> readyAgain = new ArrayList<>();
        for (int k = 1; k <= kills; k++) {
            feed.awaitMore(2000);
            int portBefore = port(data);
            killPostmaster(data);
            long killedAt = System.nanoTime();
            int sentWhenKilled = feed.sent();
            // something else takes the port while the server is dead: it must come back on another one
            try (ServerSocket squatter = k == 1 ? squat(portBefore) : null) {
                awaitReadiness(503, Duration.ofSeconds(10));
                awaitReadiness(200, Duration.ofSeconds(60));
                readyAgain.add((System.nanoTime() - killedAt) / 1_000_000);
                if (squatter != null) {
                    assertNotEquals(portBefore, port(data), "restarted on another port");
                }
            }
            awaitPushed(dashboard, sentWhenKilled, Duration.ofSeconds(60));
            recoveries.add((System.nanoTime() - killedAt) / 1_000_000);
        }
        feed.awaitMore(2000);
        awaitPushed(dashboard, feed.stop(), Duration.ofSeconds(60));

        long[] stored = stored("jdbc:postgresql://localhost:" + port(data) + "/postgres", "postgres", "");
        figures("embedded PostgreSQL killed (kill -9) " + kills + " time(s)", feed, stored, dashboard)
                .put("readyAgainAfterMs", readyAgain).put("caughtUpAfterMs", recoveries).report();
        assertEquals(feed.sent(), stored[0], "event-log rows");
        assertEquals(feed.sent(), stored[1], "distinct seqs in the event log");
        assertPushedOnceInOrder(dashboard, feed);
        assertEquals(kills, logLines("WARN", "EmbeddedSupervisor").size(), "one WARN per death");
        assertEquals(kills, logLines("WARN", "DatabaseOutage").size(), "one WARN per outage");
        assertEquals(2 * kills, logLines("WARN", null).size(), "no other warning");
        assertEquals(kills, logLines("INFO", "EmbeddedSupervisor").stream().filter(l -> l.contains("is back on port")).count());
        assertEquals(List.of(), logLines("ERROR", null));
        assertTrue(get("/observe/metrics").contains("controlcenter_db_embedded_restarts_total " + kills + ".0"),
                "the restarts are counted");
    }

    private static ServerSocket squat(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        ControlCenterApp.await("port " + port + " free after the kill", Duration.ofSeconds(5), () -> {
            try {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return s;
    }

    /** The port the server listens on (line 4 of postmaster.pid). */
    private static int port(Path data) throws IOException {
        return Integer.parseInt(Files.readAllLines(data.resolve("postmaster.pid")).get(3).trim());
    }
}
