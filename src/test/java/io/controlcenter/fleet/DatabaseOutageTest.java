package io.controlcenter.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.SseStream;
import io.controlcenter.support.TcpProxy;
import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The database goes away for 10 s in the middle of a stream: nothing is lost, nothing is pushed before it is stored. */
class DatabaseOutageTest extends FleetTestSupport {

    /** Gateway time of the live events: after the sync listing, as on a real gateway. */
    private final long t0 = System.currentTimeMillis() + 60_000;

    @Test
    void aTenSecondOutageLosesNoEvent() throws Exception {
        String database = TestDatabase.create();
        try (TcpProxy proxy = new TcpProxy(TestDatabase.port())) {
            fleet.agents(1).sessions(1, 1_000);
            startSynced(1, "db.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database,
                    "db.user", TestDatabase.USER, "db.password", TestDatabase.PASSWORD);
            SseStream stream = sse("/api/events");

            int n = 2_000;
            Thread sender = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    Map<String, Object> row = FakeFleet.session("agent:main:s0", "main", t0 + i);
                    row.put("label", "n=" + i);
                    gateway.last().event("sessions.changed", FakeFleet.sessionsChanged(row, "patch", t0 + i));
                    try {
                        Thread.sleep(6);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sender.start();
            Thread.sleep(1_000);
            proxy.down();
            Thread.sleep(1_000); // a batch committed just before the cut may still be on its way out
            int pushedWhenDown = events(stream, "session.update").size();
            Thread.sleep(9_000);
            assertEquals(pushedWhenDown, events(stream, "session.update").size(), "nothing pushed while it cannot be stored");
            proxy.up();
            sender.join();

            await("every event pushed", Duration.ofSeconds(60), () -> countEvents(stream, "session.update") >= n);
            List<Object> labels = events(stream, "session.update").stream().map(m -> m.get("label")).toList();
            for (int i = 0; i < n; i++) {
                assertEquals("n=" + i, labels.get(i));
            }
            assertEquals(n, labels.size());
            assertEquals(n, count("SELECT count(*) FROM event_log WHERE event = 'sessions.changed'"));
            assertEquals("connected", app.gatewayStatus().get("state"));
        }
    }
}
