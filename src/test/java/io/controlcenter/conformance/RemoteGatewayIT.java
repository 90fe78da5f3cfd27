package io.controlcenter.conformance;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlcenter.gateway.GatewayState;
import io.controlcenter.gateway.Json;
import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.NetworkNamespace;
import io.controlcenter.support.RealGateway;
import io.controlcenter.support.RealGatewayTestSupport;
import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real gateway on another host: inside a network namespace of the test's own, bound to its LAN address
 * ({@code gateway.bind: "lan"}), reached over a veth pair, so it sees Control Center as a remote client
 * (docs/PROTOCOL-NOTES.md, "Beyond loopback"). As an operator sees it: before approval the connection is {@code pairing} with the gateway's own request (as
 * {@code openclaw devices list --json} lists it) and readiness is DOWN; after {@code openclaw devices approve} (the real
 * CLI) the three agents appear within one retry interval; a restart of Control Center on the same database reconnects
 * with no new request; a gateway restart reconnects with the device token; {@code openclaw devices remove} brings back
 * {@code pairing}. The HTTP polling fallback works from there too (the bearer token is accepted from anywhere). The
 * namespace, the gateway and the databases are removed also when a step fails.
 */
@Tag("real-gateway")
class RemoteGatewayIT extends RealGatewayTestSupport {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long RETRY_MS = 3_000;
    private static NetworkNamespace namespace;
    private static String database;

    @BeforeAll
    static void start() throws Exception {
        namespace = NetworkNamespace.create();
        gateway = RealGateway.startIn(namespace);
        database = TestDatabase.create();
    }

    @AfterAll
    static void stop() {
        try {
            stopAppAndGateway(); // before the namespace the gateway runs in
        } finally {
            if (namespace != null) {
                namespace.close();
            }
            if (database != null) {
                TestDatabase.drop(database);
            }
        }
    }

    /** Control Center on the test's own database (kept across its restarts), asking for pairing every RETRY_MS. */
    private static ControlCenterApp startOnTheTestsDatabase() {
        return startApp("gateway.pairing.retry-interval", String.valueOf(RETRY_MS),
                "db.url", TestDatabase.url(database), "db.user", TestDatabase.USER, "db.password", TestDatabase.PASSWORD);
    }

    /** {@code openclaw devices list --json} on the gateway's host. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> devices(String which) {
        String out = gateway.cli("devices", "list", "--json");
        try {
            return (List<Map<String, Object>>) Json.parseObject(out.substring(out.indexOf('{'))).get(which);
        } catch (IOException e) {
            throw new AssertionError("devices list --json printed: " + out, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> pairing() {
        return (Map<String, Object>) app.gatewayStatus().get("pairing");
    }

    private static List<Object> agentIds() {
        try {
            return MAPPER.readValue(app.get("/api/agents").body(), new TypeReference<List<Map<String, Object>>>() {
            }).stream().map(a -> a.get("id")).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void pairsOnceThenReconnectsWithItsDeviceTokenAndPairsAgainAfterRemoval() {
        app = startOnTheTestsDatabase();

        // before approval: pairing, with the gateway's own request
        await("pairing", Duration.ofSeconds(30), () -> app.client().getGatewayState() == GatewayState.PAIRING);
        List<Map<String, Object>> pending = devices("pending");
        assertEquals(1, pending.size(), String.valueOf(pending));
        Map<String, Object> request = pending.get(0);
        assertEquals(request.get("requestId"), pairing().get("requestId"));
        assertEquals(request.get("deviceId"), pairing().get("deviceId"));
        assertEquals(namespace.hostAddress(), request.get("remoteIp"), "the gateway sees Control Center as remote");
        assertEquals(List.of("operator.read", "operator.write", "operator.admin"), request.get("scopes"));
        HttpResponse<String> ready = app.get("/observe/health/ready");
        assertEquals(503, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("openclaw devices approve " + request.get("requestId")), ready.body());
        assertEquals(List.of(), agentIds());

        // the operator approves with the real CLI: the fleet appears within one retry interval
        gateway.cli("devices", "approve", (String) request.get("requestId"));
        long approved = System.nanoTime();
        await("main, ops, research", Duration.ofMillis(RETRY_MS + 3_000),
                () -> agentIds().containsAll(List.of("main", "ops", "research")));
        System.out.println("devices approve to the three agents listed: " + (System.nanoTime() - approved) / 1_000_000
                + " ms (retry interval " + RETRY_MS + " ms)");
        assertEquals(200, app.get("/observe/health/ready").statusCode());
        assertEquals(List.of("operator.read", "operator.write", "operator.admin"), app.gatewayStatus().get("scopes"));
        await("device token kept", Duration.ofSeconds(5), () -> Boolean.TRUE.equals(app.gatewayStatus().get("deviceTokenKept")));
        String deviceId = app.client().getDeviceId();
        assertEquals(List.of(), devices("pending"));

        // Control Center restarts on the same database: the same device, its token, no new request
        app.close();
        app = startOnTheTestsDatabase();
        await("connected after the restart", Duration.ofSeconds(30),
                () -> app.client().getGatewayState() == GatewayState.CONNECTED);
        assertEquals(deviceId, app.client().getDeviceId());
        assertEquals("device-token", app.gatewayStatus().get("authMethod"));
        assertEquals(List.of(), devices("pending"), "no new pairing request");

        // the gateway restarts: Control Center reconnects with the device token
        long reconnects = app.statusCount("reconnects");
        gateway.stop();
        gateway.resume();
        await("reconnected to the restarted gateway", Duration.ofSeconds(60),
                () -> app.statusCount("reconnects") > reconnects
                        && app.client().getGatewayState() == GatewayState.CONNECTED);
        assertEquals("device-token", app.gatewayStatus().get("authMethod"));
        assertEquals(List.of(), devices("pending"));

        // the operator removes the device: pairing again, with the gateway's new request
        gateway.cli("devices", "remove", deviceId);
        await("pairing after the removal", Duration.ofSeconds(30),
                () -> app.client().getGatewayState() == GatewayState.PAIRING);
        List<Map<String, Object>> again = devices("pending");
        assertEquals(1, again.size(), String.valueOf(again));
        assertEquals(again.get(0).get("requestId"), pairing().get("requestId"));
        assertNotEquals(request.get("requestId"), again.get(0).get("requestId"));
        assertEquals(false, app.gatewayStatus().get("deviceTokenKept"));
        assertEquals(503, app.get("/observe/health/ready").statusCode());
    }

    @Test
    void pollsTheRemoteGatewayOverHttpWhileItsWebSocketIsUnreachable() {
        // the WebSocket URL names a port where nothing listens on that host; the HTTP URL is the gateway's
        try (ControlCenterApp polling = startPollingOnly()) {
            awaitTheThreeAgentsByPolling(polling);
            assertEquals("polling", polling.gatewayStatus().get("path"));
        }
    }
}
