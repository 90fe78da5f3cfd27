package io.controlcenter.fallback;

import java.time.Duration;

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
        Thread.sleep(1500);
        assertEquals(0, gateway.toolCalls.size());
        assertEquals("none", app.gatewayStatus().get("path"));
    }
}
