package io.controlcenter.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.GatewayTestSupport;
import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The device token's life (docs/PROTOCOL-NOTES.md, "Beyond loopback"): kept in the database and used on later connects, also by a restarted
 * Control Center on the same database (one approval, ever); a token the gateway refuses falls back once to the shared
 * token with the signed device.
 */
class DeviceTokenTest extends GatewayTestSupport {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> auth(FakeGateway.Conn c) {
        return (Map<String, Object>) c.connectParams.get("auth");
    }

    private void approveFirstRequest() {
        await("pairing", Duration.ofSeconds(5), () -> !gateway.devices.pending().isEmpty());
        gateway.devices.approve(gateway.devices.pending().get(0).requestId());
        awaitConnected();
    }

    /** The gateway restarts; waits until Control Center is connected again after {@code attempts} connects. */
    private void reconnect(int attempts) {
        int before = gateway.connections.size();
        gateway.last().close(1012, "service restart");
        await("reconnected", Duration.ofSeconds(5),
                () -> gateway.connections.size() == before + attempts && gateway.last().helloSent);
    }

    @Test
    void aRestartOnTheSameDatabaseIsTheSameDeviceAndUsesItsToken() {
        gateway.devices.remote = true;
        String database = TestDatabase.create();
        String[] sameDatabase = {"gateway.pairing.retry-interval", "300", "db.url", TestDatabase.url(database),
                "db.user", TestDatabase.USER, "db.password", TestDatabase.PASSWORD};
        try {
            start(sameDatabase);
            approveFirstRequest();
            String deviceId = app.client().getDeviceId();
            assertEquals(Map.of("token", FakeGateway.TOKEN), auth(gateway.last()), "approved with the shared token");
            await("the device token stored", Duration.ofSeconds(5), () -> !app.query("SELECT 1 FROM device_tokens").isEmpty());
            app.close();

            app = ControlCenterApp.start(gateway, sameDatabase);
            awaitConnected();
            assertEquals(deviceId, app.client().getDeviceId(), "the same device after a restart");
            assertEquals(List.of(), gateway.devices.pending(), "no new pairing request");
            assertEquals(Map.of("deviceToken", gateway.devices.tokenOf(deviceId)), auth(gateway.last()));
            assertEquals("device-token", app.gatewayStatus().get("authMethod"));

            // the gateway restarts: the device token again
            reconnect(1);
            assertEquals(Map.of("deviceToken", gateway.devices.tokenOf(deviceId)), auth(gateway.last()));
        } finally {
            if (app != null) {
                app.close();
                app = null;
            }
            TestDatabase.drop(database);
        }
    }

    @Test
    void aRefusedDeviceTokenFallsBackOnceToTheSharedToken() {
        gateway.devices.remote = true;
        start("gateway.pairing.retry-interval", "300");
        approveFirstRequest();
        String deviceId = app.client().getDeviceId();
        reconnect(1);
        assertEquals("deviceToken", gateway.devices.authKinds.get(gateway.devices.authKinds.size() - 1));

        gateway.devices.rotate(deviceId); // the kept token is no longer valid
        String rotated = gateway.devices.tokenOf(deviceId);
        reconnect(2);
        List<String> kinds = gateway.devices.authKinds;
        assertEquals(List.of("deviceToken", "token"), kinds.subList(kinds.size() - 2, kinds.size()),
                "refused device token, then at once the shared token");
        awaitConnected();
        assertNull(app.gatewayStatus().get("reason"));
        await("the new token kept", Duration.ofSeconds(5), () -> rotated.equals(
                app.query("SELECT token FROM device_tokens").get(0).get("token")));
    }
}
