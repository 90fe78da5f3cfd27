package io.controlcenter.gateway;

import java.time.Duration;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** hello-ok's policy.tickIntervalMs is 200 ms here: silence for two ticks means the connection is dead. */
class TickWatchdogTest {

    private final FakeGateway gateway = new FakeGateway().start();
    private ControlCenterApp app;

    @AfterEach
    void stop() {
        app.close();
        gateway.close();
    }

    @Test
    void silenceForTwoTicksClosesWith4000AndReconnects() {
        gateway.tickIntervalMs = 200;
        gateway.sendTicks = false;
        app = ControlCenterApp.start(gateway);
        await("first connection closed by us", Duration.ofSeconds(5),
                () -> gateway.connections.size() >= 1 && gateway.connections.get(0).clientCloseCode != null);
        FakeGateway.Conn first = gateway.connections.get(0);
        assertEquals((short) 4000, first.clientCloseCode);
        await("reconnected", Duration.ofSeconds(5), () -> gateway.connections.size() >= 2 && gateway.connections.get(1).helloSent);
        assertTrue(((Number) app.gatewayStatus().get("tickTimeouts")).longValue() >= 1);
        assertEquals(200, app.gatewayStatus().get("tickIntervalMs"));
    }

    @Test
    void ticksKeepTheConnection() throws Exception {
        gateway.tickIntervalMs = 200;
        app = ControlCenterApp.start(gateway);
        await("connected", Duration.ofSeconds(5), () -> app.client().getGatewayState() == GatewayState.CONNECTED);
        Thread.sleep(2000); // ten ticks
        assertEquals(1, gateway.connections.size());
        assertEquals(0L, ((Number) app.gatewayStatus().get("tickTimeouts")).longValue());
        assertTrue(app.gatewayStatus().get("lastTickAt") != null);
    }
}
