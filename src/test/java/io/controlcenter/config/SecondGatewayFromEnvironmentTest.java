package io.controlcenter.config;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.gateway.Json;
import io.controlcenter.support.AppProcess;
import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second gateway configured only through the environment, as an operator of a container does: {@code CC_GATEWAYS},
 * {@code GATEWAY_LAB_WS_URL} and its own token in {@code GATEWAY_LAB_TOKEN} (nothing in application.properties). The
 * process connects to both gateways, each with its own token (the lab gateway accepts only its own), and the token is
 * not in the log or the health details.
 */
class SecondGatewayFromEnvironmentTest {

    private static final String LAB_TOKEN = "lab-token-only-in-the-environment";

    @TempDir
    Path workDir;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aSecondGatewaysUrlAndTokenFromItsEnvironmentVariablesConnect() throws Exception {
        int port = ControlCenterApp.freePort();
        String database = TestDatabase.create();
        try (FakeGateway primary = new FakeGateway().start(); FakeGateway lab = new FakeGateway()) {
            lab.token = LAB_TOKEN;
            lab.start();
            AppProcess app = AppProcess.startFromClassPath(AppProcess.workDir(workDir), Map.of(
                    "CC_GATEWAYS", "default,lab",
                    "GATEWAY_WS_URL", primary.url(), "OPENCLAW_GATEWAY_TOKEN", FakeGateway.TOKEN,
                    "GATEWAY_LAB_WS_URL", lab.url(), "GATEWAY_LAB_TOKEN", LAB_TOKEN,
                    "CC_PORT", String.valueOf(port),
                    "DB_URL", TestDatabase.url(database), "DB_USER", TestDatabase.USER,
                    "DB_PASSWORD", TestDatabase.PASSWORD));
            try {
                // the lab gateway answers hello-ok only to its own token (a wrong one is refused and closed, 1008)
                await("hello-ok from the lab gateway", Duration.ofSeconds(60),
                        () -> lab.connections.stream().anyMatch(c -> c.helloSent));
                await("hello-ok from the default gateway", Duration.ofSeconds(10),
                        () -> primary.connections.stream().anyMatch(c -> c.helloSent));
                try {
                    await("both connected in the health details", Duration.ofSeconds(10),
                            () -> "connected".equals(state(health(port), "gateway-lab"))
                                    && "connected".equals(state(health(port), "gateway-default")));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n" + health(port) + "\n" + app.output(), e);
                }
                assertEquals(1, lab.connections.size(), "no refused attempt before: " + app.output());
                Object sent = ((Map<?, ?>) lab.connections.get(0).connectParams.get("auth")).get("token");
                assertEquals(LAB_TOKEN, sent, "the lab gateway got its own token, not the default one");

                String health = health(port);
                assertFalse(health.contains(LAB_TOKEN) || health.contains(FakeGateway.TOKEN), health);
                assertFalse(app.output().contains(LAB_TOKEN), app.output());
            } finally {
                app.close();
            }
        } finally {
            TestDatabase.drop(database);
        }
    }

    private String health(int port) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/observe/health/ready?exposureLevel=full&data=true")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (Exception e) {
            return ""; // not listening yet
        }
    }

    /** The {@code state} detail of health check {@code check}, or null. */
    @SuppressWarnings("unchecked")
    static String state(String health, String check) {
        try {
            for (Object c : (List<Object>) Json.parseObject(health).get("checks")) {
                Map<String, Object> m = (Map<String, Object>) c;
                if (check.equals(m.get("name")) && m.get("data") instanceof Map<?, ?> data) {
                    return String.valueOf(data.get("state"));
                }
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }
}
