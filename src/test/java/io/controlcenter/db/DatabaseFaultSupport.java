package io.controlcenter.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.controlcenter.support.EventFeed;
import io.controlcenter.support.FaultFigures;
import io.controlcenter.support.FaultTestSupport;
import io.controlcenter.support.SseStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database faults of the suite ({@link FaultTestSupport}): what they read of PostgreSQL, kill of the embedded
 * server, and the figures of RELIABILITY.md.
 */
abstract class DatabaseFaultSupport extends FaultTestSupport {

    /** {@code kill -9} of the embedded server's postmaster (pid from {@code postmaster.pid}); returns its pid. */
    protected static long killPostmaster(Path data) throws IOException {
        long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        assertTrue(postmaster.destroyForcibly(), "SIGKILL to " + pid); // kill -9
        return pid;
    }

    /** The event log's {@code sessions.changed} rows: how many, and how many distinct seqs. */
    protected static long[] stored(String url, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT seq) FROM event_log"
                     + " WHERE event = 'sessions.changed'")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /** How long the recovery took ({@link #awaitRecovery}). */
    protected record Recovery(long readyMs, long caughtUpMs) {
    }

    /**
     * From {@code back} (the database usable again; the feed had sent {@code sentWhenBack} by then): waits for readiness
     * 200 and for the dashboard to have everything sent until then, lets the feed run 2 s more, stops it, and waits for
     * all of it to be pushed. Returns the time to readiness and to the dashboard caught up.
     */
    protected Recovery awaitRecovery(SseStream dashboard, EventFeed feed, long back, int sentWhenBack)
            throws InterruptedException {
        long readyMs = awaitReadiness(200, Duration.ofSeconds(30));
        awaitPushed(dashboard, sentWhenBack, Duration.ofSeconds(60));
        long caughtUpMs = (System.nanoTime() - back) / 1_000_000;
        feed.awaitMore(2000);
        awaitPushed(dashboard, feed.stop(), Duration.ofSeconds(60));
        return new Recovery(readyMs, caughtUpMs);
    }

    /** The figures every fault reports: events sent, stored, lost, duplicated, pushed, Control Center's peak memory. */
    protected FaultFigures figures(String fault, EventFeed feed, long[] stored, SseStream s) {
        return new FaultFigures(fault).put("sent", feed.sent()).put("stored", stored[0])
                .put("lost", feed.sent() - stored[1]).put("duplicated", stored[0] - stored[1])
                .put("pushed", labels(s).size()).put("peakRssMb", app.peakRssMb());
    }
}
