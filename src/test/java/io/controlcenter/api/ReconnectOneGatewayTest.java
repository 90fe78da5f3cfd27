package io.controlcenter.api;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.controlcenter.gateway.GatewayState;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** POST /api/gateways/{name}/reconnect reconnects that gateway only. */
class ReconnectOneGatewayTest extends TwoGatewaysTestSupport {

    @Test
    void onlyTheNamedGatewaySeesASecondConnection() {
        startBoth();
        assertEquals(1, gateway.connections.size());
        assertEquals(1, lab.connections.size());

        HttpResponse<String> r = app.post("/api/gateways/lab/reconnect");
        assertEquals(202, r.statusCode(), r.body());
        assertEquals("lab", json(r.body()).get("name"));

        await("lab connected again", Duration.ofSeconds(10), () -> lab.connections.size() == 2
                && lab.connections.get(1).helloSent && client("lab").getGatewayState() == GatewayState.CONNECTED);
        // lab's sync after the reconnect has run, so a reconnect of default asked at the same time would have too
        await("lab synced again", Duration.ofSeconds(10),
                () -> lab.connections.get(1).methodsReceived().contains("system-presence"));
        assertEquals(1, gateway.connections.size(), "the default gateway was reconnected too");
        assertEquals(1L, ((Number) object("/api/gateways/lab").get("reconnects")).longValue());
        assertEquals(0L, ((Number) object("/api/gateways/default").get("reconnects")).longValue());
        assertEquals(0L, app.statusCount("reconnects"));
    }
}
