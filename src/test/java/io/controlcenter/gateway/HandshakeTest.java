package io.controlcenter.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeTest extends GatewayTestSupport {

    @Test
    void connectsAsBackendOperatorAndReportsTheServer() {
        start();
        await("connected", Duration.ofSeconds(5), () -> "connected".equals(app.gatewayStatus().get("state")));

        Map<String, Object> status = app.gatewayStatus();
        assertEquals(4, status.get("protocol"));
        assertEquals("2026.9.6", status.get("serverVersion"));
        assertEquals(gateway.last().connId, status.get("connId"));
        assertEquals("default", status.get("name"));

        FakeGateway.Conn conn = gateway.last();
        Map<String, Object> params = conn.connectParams;
        assertEquals(3, params.get("minProtocol"));
        assertEquals(4, params.get("maxProtocol"));
        @SuppressWarnings("unchecked")
        Map<String, Object> client = (Map<String, Object>) params.get("client");
        assertEquals("gateway-client", client.get("id"));
        assertEquals("backend", client.get("mode"));
        assertTrue(String.valueOf(client.get("displayName")).contains("Control Center"));
        assertEquals(Map.of("token", FakeGateway.TOKEN), params.get("auth"));
        assertEquals("operator", params.get("role"));
        assertNull(conn.header("Origin"), "an Origin header costs the backend client its scopes");
        assertEquals("connect", conn.methodsReceived().get(0), "connect must be the first request");
        assertTrue(String.valueOf(status).indexOf(FakeGateway.TOKEN) < 0, "status must not show the token");
    }

    @Test
    void challengeSentAtOpenIsAnsweredOnEveryReconnect() {
        start();
        // the fake writes connect.challenge in the same instant it accepts the socket; ten drops, ten handshakes
        for (int i = 1; i <= 10; i++) {
            int n = i;
            await("handshake " + n, Duration.ofSeconds(5),
                    () -> gateway.connections.size() == n && gateway.last().helloSent
                            && app.client().getGatewayState() == GatewayState.CONNECTED);
            gateway.last().close(1012, "service restart");
        }
        gateway.connections.forEach(c -> assertEquals("connect", c.methodsReceived().get(0)));
    }

    @Test
    void noRequestIsSentBeforeHelloOk() {
        gateway.onConnect = (conn, req) -> { }; // the gateway never answers connect
        start("gateway.handshake-timeout", "60000");
        await("connect request", Duration.ofSeconds(5), () -> gateway.last() != null && gateway.last().connectParams != null);

        GatewayRpcException e = assertThrows(GatewayRpcException.class, () -> {
            try {
                app.call("agents.list", Map.of());
            } catch (org.apache.camel.CamelExecutionException x) {
                throw x.getCause();
            }
        });
        assertEquals(GatewayRpcException.NOT_CONNECTED, e.getCode());
        assertEquals(List.of("connect"), gateway.last().methodsReceived());
        assertEquals("connecting", app.gatewayStatus().get("state"));
    }

    @Test
    void rpcReturnsThePayloadOfTheRealGateway() {
        start();
        awaitConnected();
        @SuppressWarnings("unchecked")
        Map<String, Object> agents = (Map<String, Object>) app.call("agents.list", Map.of());
        assertEquals("main", agents.get("defaultId"));
        assertEquals("main", ((Map<?, ?>) ((List<?>) agents.get("agents")).get(0)).get("id"));
    }
}
