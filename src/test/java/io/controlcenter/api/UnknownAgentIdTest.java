package io.controlcenter.api;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.controlcenter.fleet.FleetTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An agent id nobody listed answers 404 with {error, code} as valid JSON naming the id, whatever characters it has. */
class UnknownAgentIdTest extends FleetTestSupport {

    @Test
    void anOddIdIsNamedInA404WithValidJson() {
        fleet.agents(1);
        startSynced(1);
        for (String id : List.of("never-listed", "a\"quote", "it's", "back\\slash", "<b>&amp;</b>", "{\"error\": 1}",
                "${header.id}", "100% sure", "a,b;c", "tab\there", "ünïcødé ☃")) {
            HttpResponse<String> r = app.get("/api/agents/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
            assertEquals(404, r.statusCode(), id + ": " + r.body());
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null), id);
            assertEquals(Map.of("error", "no agent " + id, "code", "NOT_FOUND"), json(r.body()), id);
        }
    }
}
