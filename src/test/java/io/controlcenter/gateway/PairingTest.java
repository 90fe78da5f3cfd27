package io.controlcenter.gateway;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.fleet.FleetTestSupport;
import io.controlcenter.support.FakeDevices;
import io.controlcenter.support.LogCapture;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway beyond loopback (the in-process gateway in its remote mode, docs/PROTOCOL-NOTES.md "Beyond loopback"): the device waits in
 * {@code pairing} with the gateway's request and the command to approve it, asks again with the same key so one request
 * stays pending, says so once in the log, does not poll, and connects and syncs by itself once approved.
 */
class PairingTest extends FleetTestSupport {

    private static final String RETRY = "300";

    @Test
    @SuppressWarnings("unchecked")
    void anUnapprovedDeviceWaitsInPairingThenConnectsAndSyncsOnceApproved() throws Exception {
        gateway.devices.remote = true;
        fleet.agents(3).install(gateway);
        try (LogCapture log = new LogCapture()) {
            start("gateway.pairing.retry-interval", RETRY, "fallback.startup-wait", "200", "fallback.interval", "200");
            await("pairing", Duration.ofSeconds(5), () -> "pairing".equals(app.gatewayStatus().get("state")));

            FakeDevices.Pending pending = gateway.devices.pending().get(0);
            Map<String, Object> status = app.gatewayStatus();
            Map<String, Object> pairing = (Map<String, Object>) status.get("pairing");
            assertEquals(pending.requestId(), pairing.get("requestId"), "the gateway's own request");
            assertEquals(pending.deviceId(), pairing.get("deviceId"));
            assertEquals(pending.deviceId(), status.get("deviceId"));
            assertEquals(List.of("operator.read", "operator.write", "operator.admin"), pairing.get("requestedScopes"));
            assertEquals("openclaw devices approve " + pending.requestId(), pairing.get("command"));
            assertEquals("not-paired", pairing.get("reason"));
            assertTrue(String.valueOf(status.get("reason")).contains("openclaw devices approve " + pending.requestId()));

            HttpResponse<String> ready = app.get("/observe/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("openclaw devices approve " + pending.requestId()), ready.body());
            assertEquals(1.0, app.metrics().value("controlcenter_gateway_pairing", "gateway=\"default\""));

            // it keeps asking (gently), with the same key: one request, never superseded, said once in the log
            await("4 more attempts", Duration.ofSeconds(5), () -> app.client().getPairingRefusals() >= 5);
            assertEquals(List.of(pending), gateway.devices.pending());
            assertTrue(app.metrics().value("controlcenter_gateway_pairing_required_total", "gateway=\"default\"") >= 5);
            assertEquals(1, log.text().lines().filter(l -> l.contains("WARN") && l.contains("PAIRING_REQUIRED")).count(),
                    log.text());
            assertEquals(0, gateway.toolCalls.size(), "no HTTP polling while the gateway waits for approval");
            assertEquals(0, agentsApi().size());
            for (int i = 1; i < gateway.connections.size(); i++) {
                long gapMs = (gateway.connections.get(i).openedAtNanos - gateway.connections.get(i - 1).openedAtNanos)
                        / 1_000_000;
                assertTrue(gapMs >= 250, "attempt " + i + " came " + gapMs + " ms after the one before: no fast retry loop");
            }

            gateway.devices.approve(pending.requestId());
            long approved = System.nanoTime();
            await("connected after the approval", Duration.ofSeconds(3),
                    () -> app.client().getGatewayState() == GatewayState.CONNECTED);
            await("the 3 agents synced", Duration.ofSeconds(5), () -> agentsApi().size() == 3);
            System.out.println("approval to the synced fleet: " + (System.nanoTime() - approved) / 1_000_000 + " ms");
            assertEquals(200, app.get("/observe/health/ready").statusCode());
            assertEquals(null, app.gatewayStatus().get("pairing"));
            assertEquals(0.0, app.metrics().value("controlcenter_gateway_pairing", "gateway=\"default\""));
            assertTrue(log.text().contains("pairing approved"), "said when it is over");
        }
        // the device token issued with the approval is kept for the next connects
        String deviceId = (String) app.gatewayStatus().get("deviceId");
        await("the device token stored", Duration.ofSeconds(5), () -> count("SELECT count(*) FROM device_tokens") == 1);
        assertEquals(gateway.devices.tokenOf(deviceId),
                app.query("SELECT token FROM device_tokens WHERE gateway = 'default'").get(0).get("token"));
        assertEquals(true, app.gatewayStatus().get("deviceTokenKept"));
    }

    @Test
    void aRemovedDeviceGoesBackToPairingWithANewRequest() {
        gateway.devices.remote = true;
        fleet.agents(1).install(gateway);
        start("gateway.pairing.retry-interval", RETRY);
        await("pairing", Duration.ofSeconds(5), () -> app.client().getGatewayState() == GatewayState.PAIRING);
        String first = gateway.devices.pending().get(0).requestId();
        gateway.devices.approve(first);
        awaitConnected();
        String deviceId = app.client().getDeviceId();

        gateway.removeDevice(deviceId); // closes our connection with 4001 "device removed"
        await("pairing again", Duration.ofSeconds(5), () -> app.client().getGatewayState() == GatewayState.PAIRING);
        String second = gateway.devices.pending().get(0).requestId();
        assertTrue(!second.equals(first), "a new request");
        assertEquals(second, app.client().getPairingRequestId());
        assertEquals(false, app.gatewayStatus().get("deviceTokenKept"), "the removed device's token is dropped");
        await("the token deleted", Duration.ofSeconds(5), () -> count("SELECT count(*) FROM device_tokens") == 0);

        gateway.devices.approve(second);
        awaitConnected();
        await("the new token kept", Duration.ofSeconds(5), () -> count("SELECT count(*) FROM device_tokens") == 1);
    }
}
