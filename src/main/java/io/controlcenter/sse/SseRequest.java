package io.controlcenter.sse;

import java.util.List;
import java.util.Map;

import io.controlcenter.gateway.Json;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * What a client of {@code GET /api/events} asks for: its filter ({@code ?gateway=}, {@code ?session=}) and where to
 * resume ({@code Last-Event-ID}, or {@code ?lastEventId=} for a client that cannot send headers). A request that
 * cannot be served is answered here, {@code {error, code}} as every API error, and is null.
 */
record SseRequest(SseFilter filter, Long lastEventId) {

    /** The request, or null when it was answered with an error ({@code gateways}: the names allowed, null: any). */
    static SseRequest of(HttpServerRequest request, HttpServerResponse response, List<String> gateways) {
        SseFilter filter = new SseFilter(blankToNull(request.getParam("gateway")), blankToNull(request.getParam("session")));
        if (filter.gateway() != null && gateways != null && !gateways.contains(filter.gateway())) {
            refuse(response, 404, "no gateway " + filter.gateway() + " (gateways: " + String.join(", ", gateways) + ")",
                    "NOT_FOUND");
            return null;
        }
        String last = blankToNull(request.getHeader(SseHub.LAST_EVENT_ID));
        if (last == null) {
            last = blankToNull(request.getParam("lastEventId"));
        }
        try {
            return new SseRequest(filter, last == null ? null : Long.parseLong(last.trim()));
        } catch (NumberFormatException e) {
            refuse(response, 400, "Last-Event-ID must be a number", "INVALID_REQUEST");
            return null;
        }
    }

    private static void refuse(HttpServerResponse response, int status, String error, String code) {
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Json.write(Map.of("error", error, "code", code)));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
