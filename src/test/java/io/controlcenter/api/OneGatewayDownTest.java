package io.controlcenter.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** One gateway going away shows as that gateway reconnecting and its agents offline; the other stays connected. */
class OneGatewayDownTest extends TwoGatewaysTestSupport {

    @Test
    void theStoppedGatewayReconnectsWhileTheOtherStaysConnected() {
        startBoth();
        lab.stop();

        await("lab reconnecting", Duration.ofSeconds(10), () -> "reconnecting".equals(gateways().get("lab").get("state")));
        Map<String, Map<String, Object>> gateways = gateways();
        assertEquals("connected", gateways.get("default").get("state"), gateways.toString());
        assertEquals("websocket", gateways.get("default").get("path"));
        assertEquals("none", gateways.get("lab").get("path"));
        assertEquals("connected", app.gatewayStatus().get("state"), "GET /api/gateway is the default gateway's");

        await("lab's agent offline", Duration.ofSeconds(10),
                () -> "offline".equals(list("/api/agents?gateway=lab").get(0).get("status")));
        List<Map<String, Object>> cards = agentsApi();
        assertEquals(List.of("idle", "offline"), field(cards, "status"), cards.toString());
        assertEquals(List.of("default", "lab"), field(cards, "gateway"));
    }
}
