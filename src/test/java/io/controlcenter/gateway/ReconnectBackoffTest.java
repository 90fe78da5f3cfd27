package io.controlcenter.gateway;

import java.time.Duration;
import java.util.Map;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delays: initial 100 ms, max 1600 ms, no jitter (ControlCenterApp defaults), so each step is visible. */
class ReconnectBackoffTest extends GatewayTestSupport {

    private long gapMs(int i) {
        return (gateway.connections.get(i).openedAtNanos - gateway.connections.get(i - 1).openedAtNanos) / 1_000_000;
    }

    @Test
    void delaysDoubleUpToTheMaximumAndResetAfterHelloOk() {
        gateway.onOpen = c -> {
            if (gateway.connections.size() <= 7) {
                c.close(1011, "internal error");
            }
        };
        start();
        await("connected after 7 failures", Duration.ofSeconds(15),
                () -> app.client().getGatewayState() == GatewayState.CONNECTED);

        long[] expected = {100, 200, 400, 800, 1600, 1600, 1600};
        for (int i = 1; i <= expected.length; i++) {
            long gap = gapMs(i);
            assertTrue(gap >= expected[i - 1] - 20 && gap < expected[i - 1] + 600,
                    "attempt " + (i + 1) + " came " + gap + " ms after the previous, expected ~" + expected[i - 1]);
        }

        gateway.last().close(1012, "service restart");
        await("reconnected", Duration.ofSeconds(5), () -> gateway.connections.size() == 9 && gateway.last().helloSent);
        assertTrue(gapMs(8) < 600, "after a hello-ok the backoff starts again at 100 ms, was " + gapMs(8));
        assertEquals(1L, app.statusCount("reconnects"));
    }

    @Test
    void retryAfterMsOfUnavailableIsHonoured() {
        gateway.onConnect = (conn, req) -> {
            if (gateway.connections.size() == 1) {
                conn.respondError(req.get("id"), Map.of("code", "UNAVAILABLE", "message", "gateway starting",
                        "details", Map.of("reason", "startup-sidecars"), "retryable", true, "retryAfterMs", 1200));
                conn.close(1013, "try again later");
            } else {
                conn.hello(req);
            }
        };
        start();
        await("connected", Duration.ofSeconds(10), () -> app.client().getGatewayState() == GatewayState.CONNECTED);
        assertTrue(gapMs(1) >= 1180, "waited retryAfterMs (1200), not the 100 ms backoff: " + gapMs(1));
    }

    @Test
    void restartExpectedMsOfShutdownIsHonoured() {
        start();
        awaitConnected();
        gateway.last().event("shutdown", Map.of("reason", "gateway restarting", "restartExpectedMs", 1500));
        gateway.last().close(1012, "service restart");
        await("reconnected", Duration.ofSeconds(10), () -> gateway.connections.size() == 2 && gateway.last().helloSent);
        assertTrue(gapMs(1) >= 1480, "waited restartExpectedMs (1500): " + gapMs(1));
    }

    @Test
    void restartExpectedMsIsNeverLongerThanTheMaximumDelay() {
        start();
        awaitConnected();
        gateway.last().event("shutdown", Map.of("reason", "gateway restarting", "restartExpectedMs", Long.MAX_VALUE));
        gateway.last().close(1012, "service restart");
        await("reconnected", Duration.ofSeconds(10), () -> gateway.connections.size() == 2 && gateway.last().helloSent);
        assertTrue(gapMs(1) >= 1580 && gapMs(1) < 3000, "waited the maximum delay (1600), not forever: " + gapMs(1));
    }
}
