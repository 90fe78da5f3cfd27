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
 * gateway's reason; and no secret (gateway token, API token, database password, the device's private key, the device
 * token the gateway issued) is in the log, the health details, the error responses or anything Jolokia reads. The
 * gateway is one beyond loopback (the device is paired, then connects with its device token). The gateway token is
 * given as a JVM system property here, the way that would leak through JMX if the access policy did not deny it.
 */
@Tag("jar")
class JarOperationsIT {

    private static final String API_TOKEN = "jar-it-api-token-" + System.nanoTime();
    private static final String GATEWAY_CLIENT = "org.apache.camel:context=control-center,type=gateways,gateway=default,name=GatewayClient*";

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
        List<String> secrets = new java.util.ArrayList<>(List.of(FakeGateway.TOKEN, API_TOKEN, TestDatabase.PASSWORD,
                "the-gateway-has-a-new-token"));
        try (FakeGateway gateway = new FakeGateway().start()) {
            gateway.devices.remote = true;
            AppProcess app = AppProcess.start(AppProcess.workDir(dir), Map.of(
                    "GATEWAY_WS_URL", gateway.url(), "CC_PORT", String.valueOf(port), "CC_BIND", "0.0.0.0",
                    "CC_API_TOKEN", API_TOKEN, "DB_URL", TestDatabase.url(database), "DB_USER", TestDatabase.USER,
                    "DB_PASSWORD", TestDatabase.PASSWORD, "GATEWAY_PAIRING_RETRY", "300"),
                    List.of("-Dgateway.token=" + FakeGateway.TOKEN),
                    "-jar", jar.toString());
            try {
                long started = System.nanoTime();
                await("pairing", Duration.ofSeconds(60), () -> !gateway.devices.pending().isEmpty());
                String deviceId = gateway.devices.pending().get(0).deviceId();
                seen.add(get("/api/gateway"));
                gateway.devices.approve(gateway.devices.pending().get(0).requestId());
                await("ready", Duration.ofSeconds(60), () -> status("/observe/health/ready") == 200);
                gateway.last().close(1012, "service restart"); // the next connect uses the device token
                await("on the device token", Duration.ofSeconds(10), () -> get("/api/gateway").contains("\"device-token\""));
                secrets.add(gateway.devices.tokenOf(deviceId));
                secrets.addAll(privateKey(database));
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
                String everything = get("/observe/jolokia/read/*:*?ignoreErrors=true&maxDepth=6");
                String arguments = get("/observe/jolokia/read/java.lang:type=Runtime/InputArguments");
                String properties = get("/observe/jolokia/read/java.lang:type=Runtime/SystemProperties");
                seen.addAll(List.of(everything, arguments, properties));
                assertTrue(everything.contains("GatewayClient") && everything.contains(deviceId)
                        && everything.length() > 100_000);
                assertTrue(arguments.contains("\"status\":403") && properties.contains("\"status\":403"));

                // the gateway's token changes and the device token is rotated: the next connection is refused for good
                gateway.token = "the-gateway-has-a-new-token";
                gateway.devices.rotate(deviceId);
                secrets.add(gateway.devices.tokenOf(deviceId));
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
                for (String secret : secrets) {
                    assertFalse(text.contains(secret), "a secret is shown in:\n" + text);
                }
            }
        } finally {
            TestDatabase.drop(database);
        }
    }

    /** The device's private key as stored, in the ways it could be shown: base64 of PKCS#8 (PEM), of the raw key, hex. */
    private static List<String> privateKey(String database) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(TestDatabase.url(database), TestDatabase.USER, TestDatabase.PASSWORD);
             var rs = c.createStatement().executeQuery("SELECT private_key FROM device_identity")) {
            assertTrue(rs.next(), "the device identity is in the database");
            byte[] pkcs8 = rs.getBytes(1);
            byte[] raw = java.util.Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
            return List.of(java.util.Base64.getEncoder().encodeToString(pkcs8),
                    java.util.Base64.getEncoder().encodeToString(raw).substring(0, 40),
                    java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw).substring(0, 40),
                    java.util.HexFormat.of().formatHex(raw));
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
