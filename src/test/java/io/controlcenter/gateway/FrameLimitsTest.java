package io.controlcenter.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameLimitsTest extends GatewayTestSupport {

    @Test
    void aFrameFarAboveVertxDefaultsButWithinMaxPayloadArrives() throws Exception {
        String big = "x".repeat(5 * 1024 * 1024); // one 5 MiB frame; Vert.x alone would stop at 64 KiB frames
        gateway.method("big", (conn, req) -> conn.respond(req.get("id"), Map.of("text", big)));
        start();
        awaitConnected();
        Map<?, ?> result = (Map<?, ?>) app.client().call("big", Map.of(), 0).get(10, TimeUnit.SECONDS);
        assertEquals(big.length(), ((String) result.get("text")).length());
        assertEquals(1, gateway.connections.size());
    }

    @Test
    void aFrameAboveThePolicysMaxPayloadClosesWith1009AndReconnects() {
        gateway.maxPayload = 100_000;
        gateway.method("too-big", (conn, req) -> conn.respond(req.get("id"), Map.of("text", "y".repeat(200_000))));
        start();
        awaitConnected();
        assertEquals(100_000, app.gatewayStatus().get("maxPayload"));

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> app.client().call("too-big", Map.of(), 0).get(10, TimeUnit.SECONDS));
        assertEquals(GatewayRpcException.CONNECTION_CLOSED, ((GatewayRpcException) e.getCause()).getCode());
        await("reconnected", Duration.ofSeconds(5), () -> gateway.connections.size() == 2 && gateway.last().helloSent);
        assertEquals((short) 1009, gateway.connections.get(0).clientCloseCode);
        assertEquals(1L, app.statusCount("oversizedFrames"));
    }
}
