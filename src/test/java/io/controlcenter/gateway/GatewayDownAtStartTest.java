package io.controlcenter.gateway;

import java.time.Duration;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeGateway;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayDownAtStartTest {

    @Test
    void theBundleStartsAnywayAndConnectsWhenTheGatewayAppears() throws Exception {
        int port = ControlCenterApp.freePort();
        try (ControlCenterApp app = ControlCenterApp.start("ws://127.0.0.1:" + port + "/")) {
            assertTrue(app.context().getStatus().isStarted());
            await("retrying", Duration.ofSeconds(5), () -> "reconnecting".equals(app.gatewayStatus().get("state")));
            assertTrue(String.valueOf(app.gatewayStatus().get("lastError")).contains("Connection refused"));
            Thread.sleep(1000);
            try (FakeGateway gateway = new FakeGateway().start(port)) {
                long start = System.nanoTime();
                await("connected", Duration.ofSeconds(5), () -> "connected".equals(app.gatewayStatus().get("state")));
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ms <= 1600 + 500, "connected " + ms + " ms after the gateway appeared (max delay 1600)");
                assertEquals(4, app.gatewayStatus().get("protocol"));
            }
        }
    }
}
