package io.controlcenter.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.controlcenter.Application;
import io.controlcenter.support.AppProcess;
import io.controlcenter.support.ControlCenterApp;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A missing or wrong setting stops the process before anything starts, with one line naming the key and exit status
 * 2: the application runs as its own process here, as an operator starts it, with its settings from the environment
 * and the application.properties in its working directory.
 */
class ConfigurationCheckTest {

    @TempDir
    Path workDir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no gateway token | OPENCLAW_GATEWAY_TOKEN= | | gateway.token (OPENCLAW_GATEWAY_TOKEN) is not set",
            "malformed URL | GATEWAY_WS_URL=http//gateway:18789 | | gateway.ws-url: 'http//gateway:18789' is not a WebSocket URL",
            "unknown close-policy action | | gateway.close-policy.1008 = retry | gateway.close-policy.1008: 'retry' is not one of normal, reconnect, fatal",
            "close-policy entry that is no close code | | gateway.close-policy.auth = fatal | gateway.close-policy.auth: 'auth' is not a WebSocket close code",
            "beyond loopback without an API token | CC_BIND=0.0.0.0 | | api.token (CC_API_TOKEN) is not set",
            "unreadable trust store | GATEWAY_TRUST_STORE=/nonexistent/trust.p12 | | gateway.tls.trust-store: '/nonexistent/trust.p12' is not a readable file",
            "unknown scope | GATEWAY_SCOPES=operator.read,operator.everything | | gateway.scopes: 'operator.everything' is not an operator scope",
            "scopes without read | GATEWAY_SCOPES=operator.pairing | | gateway.scopes: 'operator.pairing' does not include operator.read",
            "unreadable device key | CC_DEVICE_KEY_FILE=/nonexistent/key.pem | | device.private-key-file (CC_DEVICE_KEY_FILE): '/nonexistent/key.pem' is not a readable file",
            "device key that is no key | CC_DEVICE_KEY=secret-not-a-key | | device.private-key (CC_DEVICE_KEY): not an Ed25519 private key",
            "fleet queue size that is no number | | fleet.batch.queue-size = lots | fleet.batch.queue-size: 'lots' is not a positive whole number",
            "event log retention that is no duration | FLEET_EVENT_LOG_RETENTION=forever | | fleet.event-log.retention: 'forever' is not a positive duration",
            "breaker failure rate over 100 | | fallback.breaker.failure-rate = 150 | fallback.breaker.failure-rate: '150' is not a whole number from 1 to 100",
            "HTTP URL that is no HTTP URL | GATEWAY_HTTP_URL=ws://gateway:18789 | | gateway.http-url (GATEWAY_HTTP_URL): 'ws://gateway:18789' is not an HTTP URL"})
    void aBadSettingEndsTheStartWithOneLineNamingIt(String what, String env, String property, String expected)
            throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of("OPENCLAW_GATEWAY_TOKEN", "some-token",
                "CC_PORT", String.valueOf(ControlCenterApp.freePort()), "DB_DATA_DIR", workDir.resolve("db").toString()));
        if (env != null) {
            String[] kv = env.split("=", 2);
            environment.put(kv[0], kv[1]);
        }
        if (property != null) {
            Files.writeString(workDir.resolve("application.properties"), property + "\n");
        }
        AppProcess app = AppProcess.startFromClassPath(AppProcess.workDir(workDir), environment);
        try {
            int status = app.awaitExit(60);
            String output = app.output();
            assertEquals(Application.EXIT_CONFIGURATION, status, output);
            List<String> lines = output.lines().filter(l -> l.contains("did not start")).toList();
            assertEquals(1, lines.size(), output);
            assertTrue(lines.get(0).contains("Control Center did not start: " + expected), output);
            assertFalse(output.contains("\tat ") || output.contains("Exception"), "no stack trace:\n" + output);
            assertFalse(Files.exists(workDir.resolve("db")), "nothing started: no database");
            assertFalse(output.contains("secret-not-a-key"), "a key given is never shown");
        } finally {
            app.close();
        }
    }
}
