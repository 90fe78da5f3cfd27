package io.controlcenter.conformance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.controlcenter.gateway.GatewayState;
import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.RealGateway;
import io.controlcenter.support.RealGatewayTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conformance against the real OpenClaw gateway (installed from npm by scripts/openclaw-gateway.sh). */
@Tag("real-gateway")
class RealGatewayIT extends RealGatewayTestSupport {

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = RealGateway.start();
    }

    @Test
    void handshakeNegotiatesProtocol4AndListsTheThreeAgents() {
        try (ControlCenterApp app = startApp()) {
            await("connected", Duration.ofSeconds(10), () -> app.client().getGatewayState() == GatewayState.CONNECTED);
            Map<String, Object> status = app.gatewayStatus();
            assertEquals(4, status.get("protocol"));
            assertNotNull(status.get("serverVersion"));
            assertNotNull(status.get("connId"));
            assertEquals(30_000, status.get("tickIntervalMs"), "policy.tickIntervalMs of this gateway build");
            assertEquals(26_214_400, status.get("maxPayload"));

            @SuppressWarnings("unchecked")
            List<Map<String, Object>> agents = (List<Map<String, Object>>) ((Map<?, ?>) app.call("agents.list", Map.of()))
                    .get("agents");
            assertEquals(List.of("main", "ops", "research"),
                    agents.stream().map(a -> (String) a.get("id")).sorted().toList());
        }
    }

    @Test
    void aWrongTokenIsFatalAfterExactlyOneAttempt() throws Exception {
        // ControlCenterApp's backoff starts at 100 ms: any retry would show up many times over in 30 s
        try (ControlCenterApp app = ControlCenterApp.start(gateway.url(), "gateway.token", "not-the-token")) {
            await("failed", Duration.ofSeconds(10), () -> app.client().getGatewayState() == GatewayState.FAILED);
            Thread.sleep(30_000);
            Map<String, Object> status = app.gatewayStatus();
            assertEquals("failed", status.get("state"));
            assertEquals("AUTH_TOKEN_MISMATCH", status.get("errorCode"));
            assertEquals(1L, app.statusCount("connectAttempts"));
            assertEquals(1008, status.get("lastCloseCode"));
            assertTrue(String.valueOf(status.get("reason")).contains("token mismatch"), String.valueOf(status));
            assertTrue(!String.valueOf(status).contains("not-the-token") && !String.valueOf(status).contains(gateway.token()));
        }
    }

    @Test
    void aGatewayRestartIsFollowedByAReconnectWithinTheBackoff() {
        // production delays: 1 s doubling to 30 s with jitter
        try (ControlCenterApp app = startApp("gateway.reconnect.initial-delay", "1000",
                "gateway.reconnect.max-delay", "30000", "gateway.reconnect.jitter", "0.2")) {
            await("connected", Duration.ofSeconds(10), () -> app.client().getGatewayState() == GatewayState.CONNECTED);
            String firstConnId = (String) app.gatewayStatus().get("connId");

            gateway.stop();
            await("reconnecting", Duration.ofSeconds(10), () -> "reconnecting".equals(app.gatewayStatus().get("state")));
            gateway.resume(); // returns once /readyz answers
            Instant ready = Instant.now();
            Object next = app.gatewayStatus().get("nextAttemptAt");
            Instant deadline = next == null ? ready : Instant.parse((String) next);
            deadline = (deadline.isBefore(ready) ? ready : deadline).plusSeconds(3);

            await("reconnected", Duration.ofSeconds(45), () -> app.client().getGatewayState() == GatewayState.CONNECTED);
            Instant connected = Instant.now();
            assertTrue(!connected.isAfter(deadline), "reconnected at " + connected + ", the scheduled attempt was "
                    + next + " and the gateway was ready at " + ready);
            Map<String, Object> status = app.gatewayStatus();
            assertTrue(!firstConnId.equals(status.get("connId")));
            assertEquals(1L, app.statusCount("reconnects"));
            assertEquals(4, status.get("protocol"));
        }
    }
}
