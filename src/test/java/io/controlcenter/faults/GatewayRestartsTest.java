package io.controlcenter.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.controlcenter.support.FaultFigures;
import io.controlcenter.support.FaultTestSupport;
import io.controlcenter.support.GatewayStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gateway dies ({@link io.controlcenter.support.FakeGateway#kill}: its sockets closed without a close frame, as
 * after {@code kill -9}) and is started again on the same port, {@code -Dfaults.gateway-restarts} times (scripts/faults.sh:
 * 20; mvn verify: 3), while it streams session changes; its model (the sessions it lists) lives on across restarts, and
 * changes made while it is down are only there. After each reconnect, the stream held, the sessions and agents in
 * PostgreSQL and in GET /api/* equal the gateway's; at the end every event the gateway wrote to a connection is in the
 * event log exactly once.
 */
class GatewayRestartsTest extends FaultTestSupport {

    @Test
    void afterEachRestartTheDatabaseAndTheApiEqualTheGatewayAndNoSentEventIsLostOrDoubled() throws Exception {
        int restarts = FaultFigures.setting("gateway-restarts", 3);
        java.nio.file.Path data = dir.resolve("data/postgres");
        startApp(Map.of("DB_DATA_DIR", data.toString()));
        List<Long> equalAfterMs = new ArrayList<>();
        try (GatewayStream stream = new GatewayStream(gateway, fleet, 5, 5).start()) {
            for (int k = 1; k <= restarts; k++) {
                stream.awaitMore(100);
                int connections = gateway.connections.size();
                gateway.kill();
                stream.awaitMore(60); // changes while the gateway is down: in its model only
                long restartedAt = System.nanoTime();
                gateway.start(gateway.port());
                awaitApp("reconnected after restart " + k, Duration.ofSeconds(30),
                        () -> gateway.connections.size() > connections && gateway.last().helloSent);
                stream.pause();
                awaitApp("PostgreSQL and the API equal to the gateway after restart " + k, Duration.ofSeconds(30),
                        () -> equalToTheGateway(stream, data));
                equalAfterMs.add((System.nanoTime() - restartedAt) / 1_000_000);
                stream.resume();
            }
            stream.awaitMore(100);
            stream.stop();
            try {
                awaitApp("every event sent stored", Duration.ofSeconds(30),
                        () -> StoredEvents.sessionEvents(data)[0] >= stream.sent());
            } catch (AssertionError e) {
                Map<String, Integer> missing = new TreeMap<>(stream.sentLabels());
                missing.keySet().removeAll(StoredEvents.sessionEventLabels(data));
                throw new AssertionError(e.getMessage() + "; not stored (label=connection): " + missing, e);
            }
            long[] rows = StoredEvents.sessionEvents(data);
            new FaultFigures("gateway killed and restarted " + restarts + " time(s) during a stream")
                    .put("changes", stream.changes()).put("sent", stream.sent()).put("stored", rows[0])
                    .put("lost", stream.sent() - rows[1]).put("duplicated", rows[0] - rows[1])
                    .put("connections", gateway.connections.size()).put("equalToTheGatewayAfterRestartMs", equalAfterMs)
                    .put("peakRssMb", peakRssMb()).report();
            assertEquals(stream.sent(), rows[1], "every event written to a connection is stored");
            assertEquals(rows[1], rows[0], "none twice");
            assertEquals(restarts + 1, gateway.connections.size(), "one connection per gateway run");
        }
    }

    private boolean equalToTheGateway(GatewayStream stream, java.nio.file.Path data) {
        Map<String, Object> truth = stream.truth();
        if (!truth.equals(StoredEvents.storedLabels(data)) || !truth.equals(apiLabels())) {
            return false;
        }
        List<Object> agentIds = new ArrayList<>();
        fleet.agents.forEach(a -> agentIds.add(a.get("id")));
        List<Object> apiAgents = new ArrayList<>();
        if (getJson("/api/agents") instanceof List<?> list) {
            list.forEach(a -> apiAgents.add(((Map<?, ?>) a).get("id")));
        }
        return agentIds.equals(apiAgents) && agentIds.equals(StoredEvents.storedAgents(data));
    }

    private Map<String, Object> apiLabels() {
        Map<String, Object> labels = new TreeMap<>();
        if (getJson("/api/sessions") instanceof List<?> list) {
            list.forEach(o -> labels.put(String.valueOf(((Map<?, ?>) o).get("key")), ((Map<?, ?>) o).get("label")));
        }
        return labels;
    }
}
