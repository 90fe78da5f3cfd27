package io.controlcenter.api;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.controlcenter.fleet.FleetTestSupport;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/openapi.json: an OpenAPI 3 document of the whole REST API, every path with its methods. */
class OpenApiDocumentTest extends FleetTestSupport {

    private static final Map<String, Set<String>> API = new TreeMap<>(Map.ofEntries(
            Map.entry("/api/agents", Set.of("get")),
            Map.entry("/api/agents/{id}", Set.of("get")),
            Map.entry("/api/sessions", Set.of("get")),
            Map.entry("/api/presence", Set.of("get")),
            Map.entry("/api/gateway", Set.of("get")),
            Map.entry("/api/gateway/reconnect", Set.of("post")),
            Map.entry("/api/sessions/{key}/messages", Set.of("post")),
            Map.entry("/api/sessions/{key}/history", Set.of("get")),
            Map.entry("/api/sessions/{key}/abort", Set.of("post")),
            Map.entry("/api/sessions/{key}/inject", Set.of("post")),
            Map.entry("/api/runs/{runId}", Set.of("get")),
            Map.entry("/api/gateways", Set.of("get")),
            Map.entry("/api/gateways/{name}", Set.of("get")),
            Map.entry("/api/gateways/{name}/reconnect", Set.of("post")),
            Map.entry("/api/gateways/{name}/agents/{id}", Set.of("get")),
            Map.entry("/api/gateways/{name}/sessions/{key}/messages", Set.of("post")),
            Map.entry("/api/gateways/{name}/sessions/{key}/history", Set.of("get")),
            Map.entry("/api/gateways/{name}/sessions/{key}/abort", Set.of("post")),
            Map.entry("/api/gateways/{name}/sessions/{key}/inject", Set.of("post")),
            Map.entry("/api/gateways/{name}/runs/{runId}", Set.of("get")),
            Map.entry("/api/session", Set.of("get", "post", "delete")),
            Map.entry("/api/dashboard/attention", Set.of("get")),
            Map.entry("/api/dashboard/usage", Set.of("get")),
            Map.entry("/api/dashboard/tokens", Set.of("get")),
            Map.entry("/api/dashboard/activity", Set.of("get")),
            Map.entry("/api/dashboard/sessions", Set.of("get")),
            Map.entry("/api/dashboard/runs", Set.of("get"))));

    @Test
    void theDocumentListsEveryPathAndMethod() {
        fleet.agents(1);
        startSynced(1);
        HttpResponse<String> r = app.get("/api/openapi.json");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));

        Map<String, Object> doc = json(r.body());
        assertTrue(String.valueOf(doc.get("openapi")).startsWith("3."), String.valueOf(doc.get("openapi")));
        assertEquals("Control Center API", ((Map<?, ?>) doc.get("info")).get("title"));
        Map<String, Set<String>> served = new TreeMap<>();
        ((Map<String, Map<String, Object>>) doc.get("paths")).forEach((path, methods) -> served.put(path, new TreeSet<>(methods.keySet())));
        assertEquals(API, served);

        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(r.body());
        assertTrue(parsed.getMessages().isEmpty(), "not a valid OpenAPI document: " + parsed.getMessages());
        assertEquals("http://127.0.0.1:" + app.port(), parsed.getOpenAPI().getServers().get(0).getUrl());
    }
}
