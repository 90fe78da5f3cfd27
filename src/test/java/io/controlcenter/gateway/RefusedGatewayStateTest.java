package io.controlcenter.gateway;

import java.time.Duration;
import java.util.Map;

import io.controlcenter.support.GatewayTestSupport;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway that refuses Control Center before hello-ok (a wrong token, a device not yet approved) shows as such on
 * the dashboards, with the reason, not as merely disconnected: its state is stored and pushed as a gateway.status.
 */
class RefusedGatewayStateTest extends GatewayTestSupport {

    /**
     * The refusal can be stored and pushed before the test's stream is open: it asks for everything since the first
     * event-log row (what a dashboard that was open all along received).
     */
    private static final String[] FROM_THE_START = {"Last-Event-ID", "0"};

    private Map<String, Object> stored() {
        return app.query("SELECT state FROM gateways WHERE name = 'default'").get(0);
    }

    @Test
    void aRefusedTokenIsStoredAndPushedAsFailedWithTheReason() throws Exception {
        gateway.token = "the-right-token";
        start();
        try (SseStream events = SseStream.open(app.port(), "/api/events", FROM_THE_START)) {
            await("failed", Duration.ofSeconds(5), () -> app.client().getGatewayState() == GatewayState.FAILED);
            await("stored as failed", Duration.ofSeconds(5), () -> "failed".equals(stored().get("state")));
            await("pushed", Duration.ofSeconds(5), () -> events.events.stream().anyMatch(
                    e -> e.event().equals("gateway.status") && e.data().contains("\"state\":\"failed\"")));
            String status = events.events.stream().filter(e -> e.event().equals("gateway.status")).reduce((a, b) -> b)
                    .orElseThrow().data();
            assertTrue(status.contains("AUTH_TOKEN_MISMATCH"), status);
            assertTrue(!status.contains("the-right-token"), "no token in what dashboards get");
        }
    }

    @Test
    void aDeviceWaitingForApprovalIsStoredAndPushedAsPairingWithTheCommand() throws Exception {
        gateway.devices.remote = true;
        start("gateway.pairing.retry-interval", "200");
        try (SseStream events = SseStream.open(app.port(), "/api/events", FROM_THE_START)) {
            await("pairing", Duration.ofSeconds(5), () -> app.client().getGatewayState() == GatewayState.PAIRING);
            await("stored as pairing", Duration.ofSeconds(5), () -> "pairing".equals(stored().get("state")));
            String requestId = gateway.devices.pending().get(0).requestId();
            await("pushed with the command", Duration.ofSeconds(5), () -> events.events.stream().anyMatch(
                    e -> e.event().equals("gateway.status") && e.data().contains("openclaw devices approve " + requestId)));
            // pairing is retried every 200 ms: stored and pushed once, not per attempt
            await("retried", Duration.ofSeconds(5), () -> app.client().getPairingRefusals() >= 5);
            assertEquals(1, events.events.stream().filter(e -> e.event().equals("gateway.status")
                    && e.data().contains("\"state\":\"pairing\"")).count());
        }
    }
}
