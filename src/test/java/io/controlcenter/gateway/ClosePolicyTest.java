package io.controlcenter.gateway;

import java.time.Duration;
import java.util.Map;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClosePolicyTest extends GatewayTestSupport {

    @ParameterizedTest(name = "close {0} reconnects")
    @ValueSource(ints = {1000, 1001, 1011, 1012, 1013, 4000, 4999})
    void transientClosesReconnect(int code) {
        start();
        awaitConnected();
        gateway.last().close(code, "bye");
        await("second connection", Duration.ofSeconds(5), () -> gateway.connections.size() == 2 && gateway.last().helloSent);
        awaitConnected();
        assertEquals(code, app.gatewayStatus().get("lastCloseCode"));
    }

    @Test
    void wrongTokenIsFatalWithTheGatewaysReasonUntilAnOperatorReconnects() throws Exception {
        gateway.token = "the-right-token";
        start();
        await("failed", Duration.ofSeconds(5), () -> app.client().getGatewayState() == GatewayState.FAILED);
        awaitFallbackChecks(2); // a retry would have come after the test backoff's 100 ms, 1.6 s at the most
        assertEquals(1, gateway.connections.size(), "no retry after a fatal close");

        Map<String, Object> status = app.gatewayStatus();
        assertEquals("failed", status.get("state"));
        assertEquals("AUTH_TOKEN_MISMATCH", status.get("errorCode"));
        assertTrue(String.valueOf(status.get("reason")).contains("gateway token mismatch"), String.valueOf(status));
        assertTrue(String.valueOf(status.get("reason")).contains("1008"), String.valueOf(status));

        var health = app.get("/observe/health/ready");
        assertEquals(503, health.statusCode(), health.body());
        assertTrue(health.body().contains("AUTH_TOKEN_MISMATCH"), health.body());
        assertTrue(!health.body().contains(FakeGateway.TOKEN) && !health.body().contains("the-right-token"));

        gateway.token = FakeGateway.TOKEN; // the gateway's token is changed back
        assertEquals(202, app.post("/api/gateway/reconnect").statusCode());
        awaitConnected();
        assertEquals(2, gateway.connections.size());
        assertEquals(200, app.get("/observe/health/ready").statusCode());
    }

    @Test
    void protocolMismatchIsFatal() throws Exception {
        gateway.protocol = 5;
        start();
        await("failed", Duration.ofSeconds(5), () -> app.client().getGatewayState() == GatewayState.FAILED);
        awaitFallbackChecks(2);
        assertEquals(1, gateway.connections.size());
        assertEquals("PROTOCOL_MISMATCH", app.gatewayStatus().get("errorCode"));
        assertEquals(1002, app.gatewayStatus().get("lastCloseCode"));
    }

    @Test
    void revokedAfterConnectIsFatal() throws Exception {
        start();
        awaitConnected();
        gateway.last().close(4001, "gateway auth changed");
        await("failed", Duration.ofSeconds(5), () -> app.client().getGatewayState() == GatewayState.FAILED);
        awaitFallbackChecks(2);
        assertEquals(1, gateway.connections.size());
        assertTrue(String.valueOf(app.gatewayStatus().get("reason")).contains("gateway auth changed"));
    }

    @Test
    void thePolicyIsATableInConfiguration() {
        start("gateway.close-policy.4001", "reconnect", "gateway.close-policy.1012", "fatal");
        awaitConnected();
        gateway.last().close(4001, "gateway auth changed");
        await("reconnected after 4001", Duration.ofSeconds(5), () -> gateway.connections.size() == 2 && gateway.last().helloSent);
        awaitConnected();
        gateway.last().close(1012, "service restart");
        await("failed after 1012", Duration.ofSeconds(5), () -> app.client().getGatewayState() == GatewayState.FAILED);
    }
}
