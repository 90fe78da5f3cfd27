package io.controlcenter.fallback;

import java.time.Duration;
import java.util.Map;

import io.controlcenter.gateway.GatewayState;
import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A WebSocket refused for a wrong token does not start polling with the same token. */
class NoPollingOnAuthFailureTest extends GatewayTestSupport {

    @Test
    void aWrongTokenDoesNotStartPolling() throws Exception {
        new FakeFleet().agents(1).install(gateway);
        gateway.token = "the-right-token";
        start("fallback.startup-wait", "200", "fallback.interval", "200");
        await("failed", Duration.ofSeconds(5), () -> app.client().getGatewayState() == GatewayState.FAILED);
        awaitFallbackChecks(2); // the startup wait (200 ms) is over: a poll would be due at each check
        assertEquals(0, gateway.toolCalls.size());
        assertEquals("none", app.gatewayStatus().get("path"));
        // not even tried: the gateway refuses a wrong token over HTTP too, before it records the call
        Map<?, ?> polling = (Map<?, ?>) app.gatewayStatus().get("polling");
        assertEquals(false, polling.get("active"));
        assertEquals(0, ((Number) polling.get("polls")).intValue());
    }
}
