package io.controlcenter.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.gateway.Json;
import io.controlcenter.support.AppProcess;
import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.Prometheus;
import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built jar as an operator runs it ({@code java -jar}, settings from the environment, listening on 0.0.0.0 with
 * an API token): health, metrics and a Jolokia read answer; a refused gateway token makes readiness DOWN with the
 * gateway's reason; and no secret (gateway token, API token, database password) is in the log, the health details,
 * the error responses or anything Jolokia reads. The gateway token is given as a JVM system property here, the way
 * that would leak through JMX if the access policy did not deny it.
 */
@Tag("jar")
class JarOperationsIT {

    private static final String API_TOKEN = "jar-it-api-token-" + System.nanoTime();
    private static final String GATEWAY_CLIENT = "org.apache.camel:context=control-center,type=services,name=GatewayClient*";

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    @Test
    void theJarServesHealthMetricsAndJolokiaAndShowsNoSecret() throws Exception {
        Path jar = Path.of("target/control-center.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "run `mvn package` first");
        port = ControlCenterApp.freePort();
        String database = TestDatabase.create();
        List<String> seen = new java.util.ArrayList<>();
        try (FakeGateway gateway = new FakeGateway().start()) {
            AppProcess app = AppProcess.start(AppProcess.workDir(dir), Map.of(
                    "GATEWAY_WS_URL", gateway.url(), "CC_PORT", String.valueOf(port), "CC_BIND", "0.0.0.0",
                    "CC_API_TOKEN", API_TOKEN, "DB_URL", TestDatabase.url(database), "DB_USER", TestDatabase.USER,
                    "DB_PASSWORD", TestDatabase.PASSWORD), List.of("-Dgateway.token=" + FakeGateway.TOKEN),
                    "-jar", jar.toString());
            try {
                long started = System.nanoTime();
                await("ready", Duration.ofSeconds(60), () -> status("/observe/health/ready") == 200);
                System.out.println("java -jar to ready: " + (System.nanoTime() - started) / 1_000_000 + " ms");
                assertEquals(200, status("/observe/health/live"));
                assertEquals(401, send(request("/observe/health/ready")).statusCode(), "no token, no health");

                await("connected", Duration.ofSeconds(10), () -> new Prometheus(get("/observe/metrics"))
                        .valueOrZero("controlcenter_gateway_connected", "gateway=\"default\"") == 1);
                Prometheus metrics = new Prometheus(get("/observe/metrics"));
                assertTrue(metrics.value("controlcenter_gateway_frames_total", "type=\"res\"") >= 1);

                Map<String, Object> state = Json.parseObject(get("/observe/jolokia/read/" + GATEWAY_CLIENT + "/ConnectionState"));
                assertEquals(200, state.get("status"), String.valueOf(state));
                assertTrue(String.valueOf(state.get("value")).contains("ConnectionState=connected"), String.valueOf(state));
                seen.add(get("/observe/jolokia/read/*:*?ignoreErrors=true&maxDepth=6"));
                seen.add(get("/observe/jolokia/read/java.lang:type=Runtime/InputArguments"));
                seen.add(get("/observe/jolokia/read/java.lang:type=Runtime/SystemProperties"));
                assertTrue(seen.get(0).contains("GatewayClient") && seen.get(0).length() > 100_000);
                assertTrue(seen.get(1).contains("\"status\":403") && seen.get(2).contains("\"status\":403"));

                // the gateway's token changes: the next connection is refused for good
                gateway.token = "the-gateway-has-a-new-token";
                seen.add(send(request("/api/gateway/reconnect").header("Authorization", "Bearer " + API_TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody())).body());
                await("not ready", Duration.ofSeconds(15), () -> status("/observe/health/ready") == 503);
                String notReady = get("/observe/health/ready?exposureLevel=full&data=true");
                assertTrue(notReady.contains("AUTH_TOKEN_MISMATCH") && notReady.contains("connectAttempts"), notReady);
                seen.add(notReady);
                seen.add(get("/api/gateway"));
                seen.add(get("/api/sessions?limit=-1"));
                seen.add(send(request("/api/agents").header("Authorization", "Bearer wrong")).body());
            } finally {
                app.close();
            }
            assertEquals(143, app.process.exitValue(), "stopped by SIGTERM, not killed");
            String log = app.output();
            assertTrue(log.contains("connected to OpenClaw"), log);
            seen.add(log);
            for (String text : seen) {
                for (String secret : List.of(FakeGateway.TOKEN, API_TOKEN, TestDatabase.PASSWORD, "the-gateway-has-a-new-token")) {
                    assertFalse(text.contains(secret), "a secret is shown in:\n" + text);
                }
            }
        } finally {
            TestDatabase.drop(database);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String get(String path) {
        return send(request(path).header("Authorization", "Bearer " + API_TOKEN)).body();
    }

    private int status(String path) {
        try {
            return send(request(path).header("Authorization", "Bearer " + API_TOKEN)).statusCode();
        } catch (IllegalStateException notListening) {
            return -1;
        }
    }
}
