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
 * With several gateways, a wrong list or a second gateway without its connection settings stops the process before
 * anything starts, with one line naming the key (a second gateway's keys with the environment variable that can set
 * them) and exit status 2, as an operator starting it sees it: settings from the environment and the working
 * directory's application.properties. The gateway {@code default} has its URL and token; the others what each case gives.
 */
class GatewayListCheckTest {

    private static final String LAB_TOKEN = "lab-token-never-shown";

    @TempDir
    Path workDir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a name listed twice | CC_GATEWAYS=a,a | | gateways: 'a' is listed twice",
            "a name listed twice after trimming | | gateways = default, lab ,lab | gateways: 'lab' is listed twice",
            "upper case and punctuation | CC_GATEWAYS=default,Lab! | | gateways: 'Lab!' is not a gateway name (lower-case letters, digits, - and _",
            "a dot, which would read as a key | CC_GATEWAYS=default,lab.eu | | gateways: 'lab.eu' is not a gateway name",
            "a name that is a setting of gateway.* | CC_GATEWAYS=default,tls | | gateways: 'tls' is not a gateway name",
            "only commas | CC_GATEWAYS=, | | gateways (CC_GATEWAYS) is empty",
            "a second gateway without its URL | CC_GATEWAYS=default,lab;GATEWAY_LAB_TOKEN=" + LAB_TOKEN
                    + " | | gateway.lab.ws-url (GATEWAY_LAB_WS_URL) is not set",
            "a second gateway without its token | CC_GATEWAYS=default,lab;GATEWAY_LAB_WS_URL=ws://127.0.0.1:1/ | "
                    + "| gateway.lab.token (GATEWAY_LAB_TOKEN) is not set: the gateway refuses a connection without its token",
            "a second gateway's token only in the file, URL missing | CC_GATEWAYS=default,lab | gateway.lab.token = "
                    + LAB_TOKEN + " | gateway.lab.ws-url (GATEWAY_LAB_WS_URL) is not set",
            "the default gateway's token does not serve another | CC_GATEWAYS=default,lab | gateway.lab.ws-url = ws://127.0.0.1:1/ "
                    + "| gateway.lab.token (GATEWAY_LAB_TOKEN) is not set",
            "a second gateway's URL from its variable, malformed | CC_GATEWAYS=default,lab;GATEWAY_LAB_TOKEN=" + LAB_TOKEN
                    + ";GATEWAY_LAB_WS_URL=http://lab:18789/ | | gateway.lab.ws-url (GATEWAY_LAB_WS_URL): 'http://lab:18789/' is not a WebSocket URL",
            "a second gateway's HTTP URL, malformed | CC_GATEWAYS=default,lab;GATEWAY_LAB_TOKEN=" + LAB_TOKEN
                    + ";GATEWAY_LAB_WS_URL=ws://lab:18789/;GATEWAY_LAB_HTTP_URL=ws://lab:18789 | "
                    + "| gateway.lab.http-url (GATEWAY_LAB_HTTP_URL): 'ws://lab:18789' is not an HTTP URL",
            "a second gateway's trust store from its variable, unreadable | CC_GATEWAYS=default,lab;GATEWAY_LAB_TOKEN=" + LAB_TOKEN
                    + ";GATEWAY_LAB_WS_URL=wss://lab:18789/;GATEWAY_LAB_TRUST_STORE=/nonexistent/lab.p12 | "
                    + "| gateway.lab.tls.trust-store (GATEWAY_LAB_TRUST_STORE): '/nonexistent/lab.p12' is not a readable file",
            "a second gateway's own setting, wrong | CC_GATEWAYS=default,lab;GATEWAY_LAB_TOKEN=" + LAB_TOKEN
                    + ";GATEWAY_LAB_WS_URL=ws://lab:18789/ | gateway.lab.reconnect.max-delay = soon "
                    + "| gateway.lab.reconnect.max-delay: 'soon' is not a positive duration",
            "a required gateway that is not listed | CC_GATEWAYS_REQUIRED=lab | "
                    + "| gateways.required: 'lab' is not one of the gateways (default)",
            "a required gateway among several, misspelt | CC_GATEWAYS=default,lab;GATEWAY_LAB_TOKEN=" + LAB_TOKEN
                    + ";GATEWAY_LAB_WS_URL=ws://lab:18789/;CC_GATEWAYS_REQUIRED=default,labb | "
                    + "| gateways.required: 'labb' is not one of the gateways (default, lab)"})
    void aWrongGatewayListEndsTheStartWithOneLineNamingTheKey(String what, String env, String property, String expected)
            throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of("OPENCLAW_GATEWAY_TOKEN", "some-token",
                "CC_PORT", String.valueOf(ControlCenterApp.freePort()), "DB_DATA_DIR", workDir.resolve("db").toString()));
        if (env != null) {
            for (String pair : env.split(";")) {
                String[] kv = pair.split("=", 2);
                environment.put(kv[0], kv[1]);
            }
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
            assertFalse(output.contains(LAB_TOKEN) || output.contains("some-token"), "a token given is never shown");
        } finally {
            app.close();
        }
    }
}
