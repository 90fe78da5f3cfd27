package io.controlcenter.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

import io.controlcenter.fleet.FleetTestSupport;
import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.FakeGateway;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A gateway that sends faster than its events are stored: reading from its socket pauses whenever the routes fall
 * behind by the high watermark and resumes when they catch up. With a watermark of 4 that happens thousands of times;
 * every event must still be stored, in order: reading must never stay paused (a pause and a resume decided on two
 * threads could reach the socket in the wrong order, and the gateway's events stopped for good).
 */
class ReadingPausesAndResumesTest extends FleetTestSupport {

    private static final int EVENTS = 20_000;

    @Test
    void aGatewayFasterThanTheStoreIsReadToTheLastEvent() {
        fleet.agents(1).sessions(1, 1_000);
        startSynced(1, "gateway.frame-queue.high-watermark", "4");
        FakeGateway.Conn conn = gateway.last();
        long t0 = System.currentTimeMillis() + 60_000;
        Semaphore inFlight = new Semaphore(64);
        for (int i = 0; i < EVENTS; i++) {
            Map<String, Object> row = FakeFleet.session("agent:main:p" + (i % 20), "main", t0 + i);
            row.put("label", "p" + i);
            String frame = conn.eventText("sessions.changed", FakeFleet.sessionsChanged(row, "patch", t0 + i));
            while (!inFlight.tryAcquire()) {
                LockSupport.parkNanos(50_000);
            }
            conn.ws.writeTextMessage(frame).onComplete(ar -> inFlight.release());
        }
        await("every event stored", Duration.ofSeconds(120), () -> count(
                "SELECT count(*) FROM event_log WHERE event = 'sessions.changed'") == EVENTS);
        assertEquals(0, count("""
                SELECT count(*) FROM (SELECT seq, lag(seq) OVER (ORDER BY id) AS prev FROM event_log
                WHERE event = 'sessions.changed') t WHERE prev IS NOT NULL AND seq <> prev + 1"""));
        assertEquals(0L, app.statusCount("seqGaps"));
    }
}
