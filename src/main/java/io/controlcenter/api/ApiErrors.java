package io.controlcenter.api;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.controlcenter.cluster.LeaderUnavailableException;
import io.controlcenter.gateway.GatewayRpcException;
import io.controlcenter.gateway.OpenClawConstants;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error mapping of every API route (route configuration {@code api-errors}, routes/api.yaml): the exception a
 * request failed with becomes its HTTP status and the body {@code {error, code}}, which the REST binding writes as
 * JSON. A bad parameter or body is 400, a wrong API token 401, an unknown id 404, a conflict 409, the gateway down
 * (or, with several instances, no instance leading it that answers) 503, no answer from it 504, its own refusals their status (400, 403, 404) or 502; anything else 500, logged. Bound
 * as {@code apiErrors}.
 */
public class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private final String primary;

    /** {@code primary}: the gateway a failed call went to when the request's route did not say (the default one). */
    public ApiErrors(String primary) {
        this.primary = primary;
    }

    /** The reply to a failed request: sets its status and returns {@code {error, code}}. */
    public Map<String, Object> reply(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        // the gateway the request addressed, as its route set it (header OpenClawGateway)
        Error error = of(caught, exchange.getMessage().getHeader(OpenClawConstants.GATEWAY, primary, String.class));
        if (error.status() == 500) {
            LOG.warn("{} {} failed", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), caught);
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, error.status());
        // not the request's, when the request failed before the route began (a body the binding could not read)
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return body(error.message(), error.code());
    }

    /** The error body of the API: {@code {error, code}}. */
    static Map<String, Object> body(String message, String code) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("code", code);
        return body;
    }

    /**
     * Status, code and message of a failure of a request to {@code gateway}: the first exception of a kind we know, from
     * the outermost cause in.
     */
    static Error of(Throwable failure, String gateway) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof GatewayRpcException rpc) {
                return new Error(status(rpc.getCode()), rpc.getCode(), message(gateway, rpc));
            } else if (t instanceof LeaderUnavailableException leader) {
                return new Error(503, leader.getCode(), t.getMessage());
            } else if (t instanceof NotFoundException) {
                return new Error(404, "NOT_FOUND", t.getMessage());
            } else if (t instanceof UnauthorizedException) {
                return new Error(401, "UNAUTHORIZED", t.getMessage());
            } else if (t instanceof ConflictException) {
                return new Error(409, "CONFLICT", t.getMessage());
            } else if (t instanceof JsonProcessingException) { // the REST binding could not read the request body
                return new Error(400, "INVALID_REQUEST", "the body is not a JSON object");
            } else if (t instanceof IllegalArgumentException) {
                return new Error(400, "INVALID_REQUEST", t.getMessage());
            }
        }
        return new Error(500, "INTERNAL", failure == null ? "unknown error" : failure.getMessage());
    }

    private static int status(String code) {
        return switch (code) {
            case GatewayRpcException.NOT_CONNECTED -> 503;
            case GatewayRpcException.TIMEOUT, GatewayRpcException.CONNECTION_CLOSED -> 504;
            case "INVALID_REQUEST" -> 400;
            case "FORBIDDEN" -> 403;
            case "NOT_FOUND" -> 404;
            default -> 502;
        };
    }

    /** What a failed gateway call says; for a scope the gateway did not grant, which one and what to do. */
    public static String message(String gateway, GatewayRpcException e) {
        if (!"MISSING_SCOPE".equals(e.getDetailCode())) {
            return e.getMessage();
        }
        Object scope = e.getDetails().get("missingScope");
        return "gateway " + gateway + " did not grant Control Center " + scope + ", which " + e.getMethod()
                + " needs: add " + scope + " to gateway.scopes (GATEWAY_SCOPES), restart, and approve the scope "
                + "upgrade on the gateway host (openclaw devices list; openclaw devices approve <requestId>)";
    }

    /** An HTTP status, the code dashboards switch on, and the reason. */
    record Error(int status, String code, String message) {
    }
}
