package io.controlcenter.gateway;

import java.util.Map;

/**
 * A failed gateway call. Gateway errors carry the gateway's {code, message, details, retryable, retryAfterMs}; calls
 * that never got an answer use our own codes: {@code NOT_CONNECTED}, {@code TIMEOUT}, {@code CONNECTION_CLOSED}.
 */
public class GatewayRpcException extends RuntimeException {

    public static final String NOT_CONNECTED = "NOT_CONNECTED";
    public static final String TIMEOUT = "TIMEOUT";
    public static final String CONNECTION_CLOSED = "CONNECTION_CLOSED";

    private final String method;
    private final String code;
    private final Map<String, Object> details;
    private final boolean retryable;
    private final Long retryAfterMs;

    public GatewayRpcException(String method, String code, String message, Map<String, Object> details,
                               boolean retryable, Long retryAfterMs) {
        super(method + ": " + code + ": " + message, null, false, false);
        this.method = method;
        this.code = code;
        this.details = details;
        this.retryable = retryable;
        this.retryAfterMs = retryAfterMs;
    }

    /** From the {@code error} object of a {@code res} frame. */
    public static GatewayRpcException fromError(String method, Map<String, Object> error) {
        String code = Json.string(error, "code");
        String message = Json.string(error, "message");
        return new GatewayRpcException(method, code == null ? "UNKNOWN" : code, message == null ? "" : message,
                Json.map(error == null ? null : error.get("details")),
                error != null && Boolean.TRUE.equals(error.get("retryable")), Json.number(error, "retryAfterMs"));
    }

    public String getMethod() {
        return method;
    }

    public String getCode() {
        return code;
    }

    /** {@code details.code} when the gateway gave one (e.g. AUTH_TOKEN_MISMATCH, MISSING_SCOPE), else null. */
    public String getDetailCode() {
        return Json.string(details, "code");
    }

    public Map<String, Object> getDetails() {
        return details;
    }

    public boolean isRetryable() {
        return retryable;
    }

    public Long getRetryAfterMs() {
        return retryAfterMs;
    }
}
