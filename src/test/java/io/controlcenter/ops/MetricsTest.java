package io.controlcenter.ops;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.GatewayTestSupport;
import io.controlcenter.support.Prometheus;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /observe/metrics serves Prometheus text with Camel's meters and ours: what came in from the gateway, what was
 * stored and pushed, RPC latency, reconnects, seq gaps and resyncs, the breaker and the database batches.
 */
class MetricsTest extends GatewayTestSupport {

    private static final String GW = "gateway=\"default\"";

    @Test
    void theMetricsCountWhatHappened() throws Exception {
        new FakeFleet().agents(2).sessions(3, 1_000).install(gateway);
        start();
        awaitConnected();
        await("first sync stored", Duration.ofSeconds(10), () -> app.metrics().valueOrZero(
                "controlcenter_fleet_syncs_total", GW, "reason=\"connected\"") == 1 && app.statusCount("pendingCalls") == 0);
        try (SseStream browser = SseStream.open(app.port(), "/api/events")) {
            browser.awaitEvents(1, Duration.ofSeconds(5));
            for (int i = 0; i < 3; i++) {
                gateway.last().event("presence", Map.of("presence", List.of()));
            }
            app.call("health", null);
            gateway.last().event("presence", Map.of("presence", List.of()), 50); // seq gap: a resync
            await("pushed", Duration.ofSeconds(10), () -> browser.events.size() >= 5);
            await("resynced", Duration.ofSeconds(10), () -> app.metrics().valueOrZero(
                    "controlcenter_fleet_syncs_total", GW, "reason=\"resync\"") == 1);

            HttpResponse<String> r = app.get("/observe/metrics");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            Prometheus m = new Prometheus(r.body());
            // in from the gateway: hello-ok and the calls' answers are res, then health + 4 presence events
            assertEquals(4, m.value("controlcenter_gateway_events_total", GW, "event=\"presence\""));
            assertTrue(m.value("controlcenter_gateway_events_total", GW, "event=\"health\"") >= 1);
            assertTrue(m.value("controlcenter_gateway_frames_total", GW, "type=\"event\"") >= 6);
            assertTrue(m.value("controlcenter_gateway_frames_total", GW, "type=\"res\"") >= 6);
            assertEquals(1, m.value("controlcenter_gateway_rpc_seconds_count", GW, "method=\"health\"", "outcome=\"ok\""));
            assertEquals(2, m.value("controlcenter_gateway_rpc_seconds_count", GW, "method=\"agents.list\"",
                    "outcome=\"ok\""));
            assertTrue(m.value("controlcenter_gateway_rpc_seconds_sum", GW, "method=\"health\"") > 0);
            assertEquals(1, m.value("controlcenter_gateway_seq_gaps_total", GW));
            assertEquals(0, m.value("controlcenter_gateway_reconnects_total", GW));
            assertEquals(1, m.value("controlcenter_gateway_connected", GW));
            // stored, then pushed
            assertTrue(m.value("controlcenter_fleet_persisted_total") >= 7, "events and two snapshots stored");
            assertTrue(m.value("controlcenter_db_batch_size_count") >= 1);
            assertTrue(m.value("controlcenter_db_batch_size_sum") >= 7);
            assertTrue(m.value("controlcenter_db_batch_seconds_count", "outcome=\"committed\"") >= 1);
            assertTrue(m.value("controlcenter_sse_messages_sent_total") >= 5);
            assertEquals(1, m.value("controlcenter_sse_clients"));
            assertEquals(0, m.value("controlcenter_sse_slow_clients_dropped_total"));
            assertEquals(1, m.value("controlcenter_fallback_breaker_state", "state=\"CLOSED\""));
            assertEquals(0, m.value("controlcenter_fallback_breaker_state", "state=\"OPEN\""));
            // Camel's own and the JVM's
            assertTrue(m.has("camel_routes_running_routes"), "Camel's route gauges");
            assertTrue(m.has("jvm_memory_used_bytes"), "JVM metrics");
        }

        gateway.last().close(1012, "service restart");
        awaitConnection(2);
        await("reconnect counted", Duration.ofSeconds(5),
                () -> app.metrics().value("controlcenter_gateway_reconnects_total", GW) == 1);
        await("browser gone", Duration.ofSeconds(5), () -> app.metrics().value("controlcenter_sse_clients") == 0);
    }
}
