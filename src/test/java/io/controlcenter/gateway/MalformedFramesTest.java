package io.controlcenter.gateway;

import java.time.Duration;
import java.util.Map;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MalformedFramesTest extends GatewayTestSupport {

    @Test
    void badFramesAreCountedAndTheConnectionIsKept() {
        start();
        awaitConnected();
        FakeGateway.Conn conn = gateway.last();
        conn.sendText("this is not json");
        conn.sendText("{\"type\":\"event\",\"event\":\"presence\",");
        conn.sendText("[1,2,3]");
        conn.sendText("{\"event\":\"no type\"}");
        conn.sendText("{\"type\":\"telemetry\",\"payload\":{}}");

        await("counted", Duration.ofSeconds(5), () -> app.statusCount("unknownFrames") == 1);
        Map<String, Object> status = app.gatewayStatus();
        assertEquals(4L, app.statusCount("malformedFrames"));
        assertEquals("connected", status.get("state"));
        assertEquals(conn.connId, status.get("connId"));
        assertEquals("main", ((Map<?, ?>) app.call("agents.list", Map.of())).get("defaultId"));
        assertEquals(1, gateway.connections.size());
    }
}
