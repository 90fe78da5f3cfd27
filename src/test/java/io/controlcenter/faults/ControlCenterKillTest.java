package io.controlcenter.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.controlcenter.support.FaultFigures;
import io.controlcenter.support.FaultTestSupport;
import io.controlcenter.support.GatewayStream;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Control Center (its own process, embedded PostgreSQL) is killed with {@code kill -9} while the gateway streams
 * session changes, and started again on the same data ({@code -Dfaults.cc-kills}, scripts/faults.sh: 5; mvn verify: 1).
 * Changes made while it was dead are only in the gateway's model. Afterwards the sessions in PostgreSQL and in GET
 * /api/sessions equal the gateway's; no gateway event is stored twice; and a dashboard that reconnects with the last
 * Last-Event-ID it had gets every stored event after it once, in order: over the chain of dashboards every stored
 * sessions.changed arrives exactly once.
 */
class ControlCenterKillTest extends FaultTestSupport {

    @Test
    void killedMidStreamItComesBackEqualToTheGatewayAndDashboardsResumeWithoutLossOrRepeat() throws Exception {
        int kills = FaultFigures.setting("cc-kills", 1);
        Path data = dir.resolve("data/postgres");
        Map<String, String> env = Map.of("DB_DATA_DIR", data.toString());
        startApp(env);
        List<SseStream> dashboards = new ArrayList<>(List.of(dashboard()));
        List<Long> readyAfterMs = new ArrayList<>();
        try (GatewayStream stream = new GatewayStream(gateway, fleet, 5, 5).start()) {
            for (int k = 1; k <= kills; k++) {
                stream.awaitMore(400);
                SseStream before = dashboards.get(dashboards.size() - 1);
                awaitApp("the dashboard receives the stream", Duration.ofSeconds(30), () -> !ids(before).isEmpty());
                killApp();
                long killedAt = System.nanoTime();
                stream.awaitMore(200); // changes the dead Control Center misses
                String lastId = String.valueOf(ids(before).get(ids(before).size() - 1));
                startApp(env);
                readyAfterMs.add((System.nanoTime() - killedAt) / 1_000_000);
                dashboards.add(dashboard("Last-Event-ID", lastId));
            }
            stream.awaitMore(400);
            stream.stop();
            long stoppedAt = System.nanoTime();
            awaitApp("PostgreSQL and the API equal to the gateway", Duration.ofSeconds(60),
                    () -> stream.truth().equals(StoredEvents.storedLabels(data)) && stream.truth().equals(apiLabels()));
            long equalAfterMs = (System.nanoTime() - stoppedAt) / 1_000_000;

            long[] rows = StoredEvents.sessionEvents(data);
            List<Long> stored = StoredEvents.sessionEventIds(data);
            SseStream last = dashboards.get(dashboards.size() - 1);
            awaitApp("the last dashboard has the last stored event", Duration.ofSeconds(30),
                    () -> ids(last).contains(stored.get(stored.size() - 1)));
            Set<Long> storedSet = new HashSet<>(stored);
            List<Long> received = new ArrayList<>();
            for (SseStream d : dashboards) {
                ids(d).stream().filter(storedSet::contains).forEach(received::add);
            }
            new FaultFigures("Control Center killed (kill -9) " + kills + " time(s) during a stream")
                    .put("changes", stream.changes()).put("sentOnALiveConnection", stream.sent())
                    .put("stored", rows[0]).put("duplicated", rows[0] - rows[1])
                    .put("pushedOverTheDashboards", received.size()).put("readyAfterKillMs", readyAfterMs)
                    .put("equalToTheGatewayAfterMs", equalAfterMs).put("peakRssMb", peakRssMb()).report();

            assertEquals(rows[1], rows[0], "no gateway event stored twice");
            assertEquals(stored, received, "over the dashboards, every stored event once and in order");
        }
    }

    /** The ids of the session.update messages a dashboard received, in order. */
    private static List<Long> ids(SseStream s) {
        return List.copyOf(s.events).stream().filter(e -> "session.update".equals(e.event()) && e.id() != null)
                .map(SseStream.Event::idNumber).toList();
    }

    private Map<String, Object> apiLabels() {
        Map<String, Object> labels = new TreeMap<>();
        Object body = getJson("/api/sessions");
        if (!(body instanceof List<?> list)) {
            return Map.of("not a list", String.valueOf(body));
        }
        for (Object o : list) {
            Map<?, ?> m = (Map<?, ?>) o;
            labels.put(String.valueOf(m.get("key")), m.get("label"));
        }
        return labels;
    }
}
