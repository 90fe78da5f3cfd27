package io.controlcenter.fleet;

import java.time.Duration;
import java.util.Map;

import io.controlcenter.support.FakeFleet;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Events no route uses ({@code skipEvents=agent} in routes/gateway.yaml: half of what a busy gateway sends) make no
 * exchange, yet their seq still counts: a gap among them resyncs, and the events around them are handled in order.
 */
class SkippedEventsTest extends FleetTestSupport {

    private long exchanges(String routeId) {
        ManagedRouteMBean route = app.context().getCamelContextExtension().getContextPlugin(
                org.apache.camel.api.management.ManagedCamelContext.class).getManagedRoute(routeId);
        return route.getExchangesTotal();
    }

    private static Map<String, Object> agentEvent(int i) {
        return Map.of("runId", "run-" + i, "stream", "assistant", "data", Map.of("text", "token " + i));
    }

    private void changed(String label) {
        Map<String, Object> row = FakeFleet.session("agent:main:s0", "main", System.currentTimeMillis() + 60_000);
        row.put("label", label);
        gateway.last().event("sessions.changed", FakeFleet.sessionsChanged(row, "patch",
                System.currentTimeMillis() + 60_000));
    }

    private String storedLabel() {
        return String.valueOf(app.query("SELECT data::json->>'label' AS label FROM sessions WHERE session_key = "
                + "'agent:main:s0'").get(0).get("label"));
    }

    @Test
    void agentEventsReachNoRouteAndTheirSeqStillCounts() {
        fleet.agents(1).sessions(1, 1_000);
        startSynced(1);
        long frames = exchanges("gateway-frames-default");

        for (int i = 0; i < 200; i++) {
            gateway.last().event("agent", agentEvent(i));
        }
        changed("after the agent events");
        await("the event after them stored", Duration.ofSeconds(10),
                () -> "after the agent events".equals(storedLabel()));
        // the sessions.changed made one exchange; the 200 agent events none, and no gap was seen among them
        assertEquals(1, exchanges("gateway-frames-default") - frames);
        assertEquals(0L, app.statusCount("seqGaps"));

        // a gap in the seq of skipped events is still a gap
        gateway.last().event("agent", agentEvent(1_000), gateway.last().event("agent", agentEvent(999)) + 5);
        await("the gap seen", Duration.ofSeconds(10), () -> app.statusCount("seqGaps") == 1L);
        await("and resynced", Duration.ofSeconds(10), () -> app.metrics()
                .valueOrZero("controlcenter_fleet_syncs_total", "reason=\"resync\"") >= 1);
    }
}
