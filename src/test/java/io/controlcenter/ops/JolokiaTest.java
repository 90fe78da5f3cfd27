package io.controlcenter.ops;

import java.net.http.HttpResponse;
import java.util.Map;

import io.controlcenter.gateway.Json;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.GatewayTestSupport;
import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jolokia at /observe/jolokia, what Hawtio connects to: Camel's and our MBeans are readable; the shipped access policy
 * refuses every write and operation, and no attribute of any MBean shows a secret.
 */
class JolokiaTest extends GatewayTestSupport {

    private static final String API_TOKEN = "api-token-for-jolokia-test";
    private static final String GATEWAY_CLIENT = "org.apache.camel:context=control-center,type=gateways,gateway=default,name=GatewayClient*";

    @Test
    void readsWorkOperationsAreRefusedNoSecretIsReadable() throws Exception {
        start("api.token", API_TOKEN).authorization("Bearer " + API_TOKEN);
        awaitConnected();

        Map<String, Object> version = jolokia(app.get("/observe/jolokia/version"));
        assertEquals(200, version.get("status"));

        Map<String, Object> state = jolokia(app.get("/observe/jolokia/read/" + GATEWAY_CLIENT + "/ConnectionState"));
        assertEquals(200, state.get("status"), String.valueOf(state));
        assertTrue(String.valueOf(state.get("value")).contains("ConnectionState=connected"), String.valueOf(state));

        Map<String, Object> routes = jolokia(app.get(
                "/observe/jolokia/read/org.apache.camel:context=control-center,type=routes,name=%22gateway-frames-default%22/ExchangesTotal"));
        assertEquals(200, routes.get("status"), String.valueOf(routes));
        assertTrue(((Number) routes.get("value")).longValue() > 0, "frames went through the gateway route");

        // read-only: no operation (not even the gateway reconnect), no write
        Map<String, Object> exec = jolokia(app.post("/observe/jolokia", Json.write(Map.of("type", "exec",
                "mbean", GATEWAY_CLIENT.replace("*", ""), "operation", "reconnect"))));
        assertEquals(403, exec.get("status"), String.valueOf(exec));
        Map<String, Object> write = jolokia(app.post("/observe/jolokia", Json.write(Map.of("type", "write",
                "mbean", "java.lang:type=Memory", "attribute", "Verbose", "value", true))));
        assertEquals(403, write.get("status"), String.valueOf(write));
        assertEquals(1, gateway.connections.size(), "the refused reconnect did not happen");
        // the JVM's command line and system properties can carry -Dgateway.token=...
        Map<String, Object> props = jolokia(app.get("/observe/jolokia/read/java.lang:type=Runtime/SystemProperties"));
        assertEquals(403, props.get("status"), String.valueOf(props));

        // every readable attribute of every MBean, in one read
        HttpResponse<String> all = app.get("/observe/jolokia/read/*:*?ignoreErrors=true&maxDepth=6");
        assertEquals(200, all.statusCode());
        assertTrue(all.body().length() > 100_000, "read " + all.body().length() + " characters");
        assertTrue(all.body().contains("GatewayClient"), "our MBeans are in it");
        for (String secret : new String[] {FakeGateway.TOKEN, TestDatabase.PASSWORD, API_TOKEN}) {
            assertFalse(all.body().contains(secret), "a Jolokia read shows a secret");
        }

        // and without the API token, nothing
        assertEquals(401, app.authorization(null).get("/observe/jolokia/version").statusCode());
    }

    private static Map<String, Object> jolokia(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return Json.parseObject(response.body());
    }
}
