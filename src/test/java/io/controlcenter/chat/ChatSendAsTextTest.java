package io.controlcenter.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A browser's fetch with a string body sends JSON as {@code text/plain} (no CORS preflight): it is read as JSON, and
 * the answer is JSON, refusals too.
 */
class ChatSendAsTextTest extends ChatTestSupport {

    @Test
    void jsonSentAsTextPlainIsReadAndAnsweredAsJson() throws Exception {
        startChat();
        HttpResponse<String> r = postText("{\"message\": \"from a browser\", \"idempotencyKey\": \"fetch-1\"}");
        assertEquals(202, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));
        assertEquals("fetch-1", json(r.body()).get("runId"));
        assertEquals("from a browser", chat.sends.get(0).get("message"));

        HttpResponse<String> bad = postText("from a browser");
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("application/json", bad.headers().firstValue("Content-Type").orElse(null));
        assertEquals("the body is not a JSON object", json(bad.body()).get("error"));
    }

    private HttpResponse<String> postText(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/sessions/" + SESSION + "/messages"))
                .header("Content-Type", "text/plain;charset=UTF-8").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
