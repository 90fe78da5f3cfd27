package io.controlcenter.api;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import io.controlcenter.gateway.Json;
import io.controlcenter.gateway.Scopes;
import io.controlcenter.support.FakeChat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A gateway that granted no operator.write answers a send with 403 naming that gateway; the other one sends. */
class MissingScopeOnOneGatewayTest extends TwoGatewaysTestSupport {

    @Test
    void the403NamesTheGatewayThatDidNotGrantTheScope() {
        new FakeChat(gateway);
        new FakeChat(lab);
        lab.devices.grantOverride = List.of(Scopes.READ);
        startBoth();

        HttpResponse<String> refused = app.post("/api/gateways/lab/sessions/" + SESSION + "/messages",
                Json.write(Map.of("message", "hi", "idempotencyKey", "on-lab")));
        assertEquals(403, refused.statusCode(), refused.body());
        String error = (String) json(refused.body()).get("error");
        assertTrue(error.startsWith("gateway lab did not grant Control Center operator.write, which chat.send needs"), error);
        Map<String, Object> run = object("/api/gateways/lab/runs/on-lab");
        assertEquals(List.of("send_failed", error), List.of(run.get("state"), run.get("errorMessage")));

        HttpResponse<String> sent = app.post("/api/sessions/" + SESSION + "/messages", Json.write(Map.of("message", "hi")));
        assertEquals(202, sent.statusCode(), "the default gateway granted operator.write: " + sent.body());
    }
}
