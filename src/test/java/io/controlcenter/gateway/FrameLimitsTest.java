package io.controlcenter.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameLimitsTest {

    private final FakeGateway gateway = new FakeGateway().start();
    private ControlCenterApp app;

    @AfterEach
    void stop() {
        app.close();
        gateway.close();
    }

    @Test
    void aFrameFarAboveVertxDefaultsButWithinMaxPayloadArrives() throws Exception {
        String big = "x".repeat(5 * 1024 * 1024); // one 5 MiB frame; Vert.x alone would stop at 64 KiB frames
        gateway.method("big", (conn, req) -> conn.respond(req.get("id"), Map.of("text", big)));
        app = ControlCenterApp.start(gateway);
        await("connected", Duration.ofSeconds(5), () -> app.client().getGatewayState() == GatewayState.CONNECTED);
        Map<?, ?> result = (Map<?, ?>) app.client().call("big", Map.of(), 0).get(10, TimeUnit.SECONDS);
        assertEquals(big.length(), ((String) result.get("text")).length());
        assertEquals(1, gateway.connections.size());
    }

    @Test
    void aFrameAboveThePolicysMaxPayloadClosesWith1009AndReconnects() {
        gateway.maxPayload = 100_000;
        gateway.method("too-big", (conn, req) -> conn.respond(req.get("id"), Map.of("text", "y".repeat(200_000))));
        app = ControlCenterApp.start(gateway);
        await("connected", Duration.ofSeconds(5), () -> app.client().getGatewayState() == GatewayState.CONNECTED);
        assertEquals(100_000, app.gatewayStatus().get("maxPayload"));

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> app.client().call("too-big", Map.of(), 0).get(10, TimeUnit.SECONDS));
        assertEquals(GatewayRpcException.CONNECTION_CLOSED, ((GatewayRpcException) e.getCause()).getCode());
        await("reconnected", Duration.ofSeconds(5), () -> gateway.connections.size() == 2 && gateway.last().helloSent);
        assertEquals((short) 1009, gateway.connections.get(0).clientCloseCode);
        assertEquals(1L, ((Number) app.gatewayStatus().get("oversizedFrames")).longValue());
    }
}
