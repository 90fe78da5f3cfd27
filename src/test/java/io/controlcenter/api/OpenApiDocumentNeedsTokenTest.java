package io.controlcenter.api;

import java.net.http.HttpResponse;

import io.controlcenter.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With CC_API_TOKEN set, the OpenAPI document is guarded like the rest of /api. */
class OpenApiDocumentNeedsTokenTest extends GatewayTestSupport {

    private static final String TOKEN = "openapi-test-token";
    private static final String PATH = "/api/openapi.json";

    @Test
    void theDocumentNeedsTheToken() {
        start("api.token", TOKEN);
        awaitConnected();
        HttpResponse<String> none = app.get(PATH);
        assertEquals(401, none.statusCode(), none.body());
        assertEquals("Bearer realm=\"control-center\"", none.headers().firstValue("WWW-Authenticate").orElse(null));
        assertFalse(none.body().contains("/api/agents"), none.body());
        assertEquals(401, app.authorization("Bearer " + TOKEN + "x").get(PATH).statusCode());
        HttpResponse<String> ok = app.authorization("Bearer " + TOKEN).get(PATH);
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.body().contains("\"/api/agents\""), ok.body());
    }
}
