package io.controlcenter.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import io.controlcenter.fleet.FleetTestSupport;
import io.controlcenter.support.FakeChat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A request's own headers do not steer the gateway calls it makes: an {@code OpenClawMethod} header (the openclaw:
 * producer's method override) does not turn an abort into another RPC, an {@code OpenClawGateway} header does not pick
 * the gateway.
 */
class RequestHeadersTest extends FleetTestSupport {

    @Test
    void openClawHeadersOfTheRequestAreIgnored() throws Exception {
        new FakeChat(gateway);
        fleet.agents(1).sessions(1, 1_000);
        startSynced(1);

        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/api/sessions/agent:main:s0/abort"))
                .header("Content-Type", "application/json").header("openclawmethod", "sessions.reset")
                .header("OpenClawGateway", "elsewhere")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        List<String> methods = gateway.last().methodsReceived();
        assertEquals("chat.abort", methods.get(methods.size() - 1), methods.toString());
        assertEquals(false, methods.contains("sessions.reset"), methods.toString());
    }
}
