package io.controlcenter.api;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import io.controlcenter.fleet.FleetTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A bad query parameter or request body, on every API that takes one, answers 400 {error, code} saying what is wrong. */
class BadParameterTest extends FleetTestSupport {

    private static final String SESSION = "/api/sessions/agent:main:s0";

    @Test
    void eachBadParameterIsA400NamingIt() {
        fleet.agents(1);
        startSynced(1);
        Map<String, String> gets = new LinkedHashMap<>();
        gets.put("/api/agents?includeGone=yes", "includeGone must be true or false");
        gets.put("/api/sessions?active=maybe", "active must be true or false");
        gets.put("/api/sessions?limit=nope", "limit must be a number");
        gets.put("/api/sessions?limit=0", "limit must be from 1 to 10000");
        gets.put(SESSION + "/history?limit=1001", "limit must be a number from 1 to 1000");
        gets.forEach((path, error) -> assertBadRequest(path, app.get(path), error));

        Map<String, String> posts = new LinkedHashMap<>();
        posts.put(SESSION + "/messages", "{\"message\": 42}");
        posts.put(SESSION + "/inject", "{\"label\": \"no message\"}");
        posts.put(SESSION + "/abort", "{\"runId\": [1]}");
        Map<String, String> errors = Map.of(SESSION + "/messages", "message must be a string",
                SESSION + "/inject", "message is required", SESSION + "/abort", "runId must be a string");
        posts.forEach((path, body) -> assertBadRequest(path, app.post(path, body), errors.get(path)));
        for (String path : posts.keySet()) {
            assertBadRequest(path, app.post(path, "{\"message\": \"unclosed"), "the body is not a JSON object");
        }
        assertEquals(0L, count("SELECT count(*) FROM chat_runs"), "a refused request started nothing");
    }

    private void assertBadRequest(String path, HttpResponse<String> r, String error) {
        assertEquals(400, r.statusCode(), path + ": " + r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null), path);
        assertEquals(Map.of("error", error, "code", "INVALID_REQUEST"), json(r.body()), path);
    }
}
