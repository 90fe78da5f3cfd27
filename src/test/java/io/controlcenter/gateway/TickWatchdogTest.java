package io.controlcenter.gateway;

import java.time.Duration;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** hello-ok's policy.tickIntervalMs is 200 ms here: silence for two ticks means the connection is dead. */
class TickWatchdogTest extends GatewayTestSupport {

    @Test
    void silenceForTwoTicksClosesWith4000AndReconnects() {
        gateway.tickIntervalMs = 200;
        gateway.sendTicks = false;
        start();
        await("first connection closed by us", Duration.ofSeconds(5),
                () -> gateway.connections.size() >= 1 && gateway.connections.get(0).clientCloseCode != null);
        FakeGateway.Conn first = gateway.connections.get(0);
        assertEquals((short) 4000, first.clientCloseCode);
        await("reconnected", Duration.ofSeconds(5), () -> gateway.connections.size() >= 2 && gateway.connections.get(1).helloSent);
        assertTrue(app.statusCount("tickTimeouts") >= 1);
        assertEquals(200, app.gatewayStatus().get("tickIntervalMs"));
    }

    @Test
    void ticksKeepTheConnection() throws Exception {
        gateway.tickIntervalMs = 200;
        start();
        awaitConnected();
        // ten ticks received: two seconds with a watchdog that closes after 400 ms of silence
        await("ten ticks", Duration.ofSeconds(10), () -> app.metrics().valueOrZero("controlcenter_gateway_events_total",
                "event=\"tick\"") >= 10);
        assertEquals(1, gateway.connections.size());
        assertEquals(0L, app.statusCount("tickTimeouts"));
        assertTrue(app.gatewayStatus().get("lastTickAt") != null);
    }
}
