package io.controlcenter.api;

import java.net.http.HttpResponse;
import java.util.Map;

import io.controlcenter.fleet.FleetTestSupport;
import io.controlcenter.support.FakeChat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A gateway name that is not configured answers 404 {error, code} naming it, on every path that takes one, and calls nothing. */
class UnknownGatewayTest extends FleetTestSupport {

    private static final Map<String, String> ERROR = Map.of("error", "no gateway lab (gateways: default)", "code", "NOT_FOUND");

    @Test
    void everyPathAnswers404NamingTheGateway() {
        FakeChat chat = new FakeChat(gateway);
        fleet.agents(1);
        startSynced(1);
        String session = "/sessions/agent:main:s0";
        for (String path : new String[] {"/api/gateways/lab", "/api/gateways/lab/agents/main",
                "/api/gateways/lab" + session + "/history", "/api/gateways/lab/runs/run-1",
                "/api/agents?gateway=lab", "/api/agents/main?gateway=lab", "/api/sessions?gateway=lab",
                "/api/presence?gateway=lab", "/api" + session + "/history?gateway=lab", "/api/runs/run-1?gateway=lab"}) {
            assertNotFound(path, app.get(path));
        }
        for (String path : new String[] {"/api/gateways/lab/reconnect", "/api/gateways/lab" + session + "/messages",
                "/api/gateways/lab" + session + "/abort", "/api/gateways/lab" + session + "/inject",
                "/api" + session + "/messages?gateway=lab"}) {
            assertNotFound(path, app.post(path, "{\"message\": \"hi\", \"idempotencyKey\": \"run-1\"}"));
        }
        assertNotFound("/api/events?gateway=lab", app.get("/api/events?gateway=lab"));
        assertTrue(chat.sends.isEmpty(), "a request to an unknown gateway reached the gateway");
        assertEquals(1, gateway.connections.size(), "a reconnect of an unknown gateway reconnected the default one");
        assertEquals(0L, count("SELECT count(*) FROM chat_runs"), "a request to an unknown gateway recorded a run");
    }

    private void assertNotFound(String path, HttpResponse<String> r) {
        assertEquals(404, r.statusCode(), path + ": " + r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null), path);
        assertEquals(ERROR, json(r.body()), path);
    }
}
