package io.controlcenter.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import io.controlcenter.config.ConfigurationException;
import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.GatewayTestSupport;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With CC_API_TOKEN set, /api/* and the management endpoints answer only requests that carry it; a server listening
 * beyond loopback does not start without one. CORS is off unless origins are configured.
 */
class ApiTokenTest extends GatewayTestSupport {

    private static final String TOKEN = "s3cret-api-token";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyApiAndManagementPathNeedsTheToken() throws Exception {
        start("api.token", TOKEN, "camel.server.host", "0.0.0.0");
        awaitConnected();
        for (String path : new String[] {"/api/gateway", "/api/agents", "/observe/health/ready", "/observe/metrics",
                "/observe/jolokia/version", "/api/events"}) {
            HttpResponse<String> none = get(path, null);
            assertEquals(401, none.statusCode(), path);
            assertEquals("Bearer realm=\"control-center\"", none.headers().firstValue("WWW-Authenticate").orElse(null));
            HttpResponse<String> wrong = get(path, "Bearer " + TOKEN + "x");
            assertEquals(401, wrong.statusCode(), path);
            assertFalse(wrong.body().contains(TOKEN), "the error names neither the token nor what was sent");
        }
        assertEquals(200, get("/api/gateway", "Bearer " + TOKEN).statusCode());
        assertEquals(200, get("/observe/health/ready", "Bearer " + TOKEN).statusCode());
        assertEquals(200, get("/observe/metrics", "Bearer " + TOKEN).statusCode());
        // Hawtio's connect form sends Basic: any user name, the token as password
        String basic = Base64.getEncoder().encodeToString(("hawtio:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, get("/observe/jolokia/version", "Basic " + basic).statusCode());
        // a browser's EventSource cannot send headers
        try (SseStream stream = SseStream.open(app.port(), "/api/events?access_token=" + TOKEN)) {
            assertEquals(200, stream.response.statusCode());
        }
        HttpResponse<String> bad = get("/api/sessions?limit=nope", "Bearer " + TOKEN);
        assertEquals(400, bad.statusCode());
        assertFalse(bad.body().contains(TOKEN));
    }

    @Test
    void listeningBeyondLoopbackWithoutATokenDoesNotStart() {
        Exception e = assertThrows(IllegalStateException.class,
                () -> ControlCenterApp.start(gateway, "camel.server.host", "0.0.0.0").close());
        Throwable cause = e;
        while (cause != null && !(cause instanceof ConfigurationException)) {
            cause = cause.getCause();
        }
        assertTrue(cause != null && cause.getMessage().startsWith("api.token (CC_API_TOKEN) is not set"), String.valueOf(e));
    }

    @Test
    void corsIsOffUnlessOriginsAreConfigured() throws Exception {
        start();
        HttpResponse<String> plain = send(HttpRequest.newBuilder(uri("/api/agents")).header("Origin", "https://dash.example"));
        assertEquals(200, plain.statusCode(), "loopback without a token: no token needed");
        assertTrue(plain.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "CORS off by default");
        app.close();

        start("api.cors.origins", "https://dash.example");
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri("/api/agents")).header("Origin", "https://dash.example")
                .header("Access-Control-Request-Method", "GET").header("Access-Control-Request-Headers", "authorization")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals("https://dash.example", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        HttpResponse<String> other = send(HttpRequest.newBuilder(uri("/api/agents")).header("Origin", "https://evil.example"));
        assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "other origins are not allowed");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
