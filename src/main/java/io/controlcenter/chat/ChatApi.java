package io.controlcenter.chat;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.controlcenter.api.ApiErrors;
import io.controlcenter.api.ConflictException;
import io.controlcenter.api.NotFoundException;
import io.controlcenter.gateway.GatewayRpcException;
import io.controlcenter.gateway.Json;
import io.controlcenter.gateway.OpenClawConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The chat API of routes/api-chat.yaml: requests checked and turned into gateway calls, answers shaped, a failed send
 * recorded against its run ({@link ApiErrors} answers the failures). Each request is about the gateway its route named
 * in the header {@link OpenClawConstants#GATEWAY} (the path's, or the default one). Bound as {@code chatApi}.
 */
public class ChatApi {

    /** Exchange property: the run a send is about (so a failed send is recorded against it). */
    public static final String RUN_ID = "ChatRunId";
    /** Exchange property: true when a send repeats a known idempotency key and nothing goes to the gateway. */
    public static final String DUPLICATE = "ChatDuplicate";
    private static final int MAX_KEY = 256;

    private final ChatStore store;
    private final ChatTracker tracker;

    public ChatApi(ChatStore store, ChatTracker tracker) {
        this.store = store;
        this.tracker = tracker;
    }

    /**
     * POST /api/sessions/{key}/messages: records the run, then the body becomes chat.send's params. A key already
     * used for this session starts nothing: property {@link #DUPLICATE} and the run as it stands.
     */
    public void send(Exchange exchange) throws SQLException {
        Message in = exchange.getMessage();
        String gateway = gateway(in);
        String sessionKey = sessionKey(in);
        Map<String, Object> body = body(in);
        String message = text(body, "message", true);
        String key = text(body, "idempotencyKey", false);
        if (key == null) {
            key = UUID.randomUUID().toString();
        } else if (key.length() > MAX_KEY) {
            throw new IllegalArgumentException("idempotencyKey is longer than " + MAX_KEY + " characters");
        }
        ChatStore.Recorded recorded = store.recordSend(gateway, key, sessionKey, "send", message);
        if (!recorded.created()) {
            Map<String, Object> run = recorded.run();
            if (!sessionKey.equals(run.get("sessionKey"))) {
                throw new ConflictException("idempotencyKey " + key + " was used for session " + run.get("sessionKey"));
            }
            exchange.setProperty(DUPLICATE, true);
            in.setBody(accepted(run, "duplicate"));
            return;
        }
        tracker.expectRun(gateway, key);
        exchange.setProperty(RUN_ID, key);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("sessionKey", sessionKey);
        params.put("message", message);
        params.put("idempotencyKey", key);
        in.setBody(params);
    }

    /** The gateway's chat.send answer ({runId, status}) as the API's 202 body. */
    public Map<String, Object> sent(Exchange exchange) {
        Map<String, Object> res = Json.map(exchange.getMessage().getBody());
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("runId", exchange.getProperty(RUN_ID, String.class));
        run.put("sessionKey", sessionKey(exchange.getMessage()));
        return accepted(run, res == null ? null : Json.string(res, "status"));
    }

    private static Map<String, Object> accepted(Map<String, Object> run, String status) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runId", run.get("runId"));
        out.put("sessionKey", run.get("sessionKey"));
        out.put("status", status);
        if (run.get("state") != null) {
            out.put("state", run.get("state"));
        }
        return out;
    }

    /**
     * GET /api/sessions/{key}/history?limit=&offset=&cursor=: chat.history's params ({@code offset}: the page before,
     * from the previous answer's {@code nextOffset}).
     */
    public Map<String, Object> historyParams(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("sessionKey", sessionKey(in));
        number(in, "limit", 1, 1000, params);
        number(in, "offset", 0, Integer.MAX_VALUE, params);
        String cursor = in.getHeader("cursor", String.class);
        if (cursor != null && !cursor.isBlank()) {
            params.put("cursor", cursor);
        }
        return params;
    }

    /** Query parameter {@code name}, when present, as a number from {@code min} to {@code max} into {@code params}. */
    private static void number(Message in, String name, int min, int max, Map<String, Object> params) {
        String value = in.getHeader(name, String.class);
        if (value != null && !value.isBlank()) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n < min || n > max) {
                    throw new NumberFormatException();
                }
                params.put(name, n);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number from " + min + " to " + max);
            }
        }
    }

    /**
     * The gateway's chat.history result for the API (see {@link ChatHistory#forApi}); the replies of runs Control
     * Center did not start are marked {@code proactive: true}, as their chat events were.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> history(Exchange exchange) throws SQLException {
        Map<String, Object> history = ChatHistory.forApi(Json.map(exchange.getMessage().getBody()));
        List<Map<String, Object>> messages = (List<Map<String, Object>>) history.get("messages");
        Set<String> runIds = messages.stream().filter(m -> !"user".equals(m.get("role")))
                .map(m -> (String) m.get("runId")).filter(Objects::nonNull).collect(Collectors.toSet());
        Set<String> proactive = store.proactive(gateway(exchange.getMessage()), runIds);
        messages.stream().filter(m -> !"user".equals(m.get("role")) && proactive.contains(m.get("runId")))
                .forEach(m -> m.put("proactive", true));
        return history;
    }

    /** POST /api/sessions/{key}/abort {runId?}: chat.abort's params. */
    public Map<String, Object> abortParams(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("sessionKey", sessionKey(in));
        String runId = text(body(in), "runId", false);
        if (runId != null) {
            params.put("runId", runId);
        }
        return params;
    }

    /** POST /api/sessions/{key}/inject {message, label?}: chat.inject's params; its run is ours. */
    public Map<String, Object> injectParams(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, Object> body = body(in);
        Map<String, Object> params = new LinkedHashMap<>();
        String sessionKey = sessionKey(in);
        params.put("sessionKey", sessionKey);
        params.put("message", text(body, "message", true));
        String label = text(body, "label", false);
        if (label != null) {
            params.put("label", label);
        }
        tracker.expectInject(gateway(in), sessionKey);
        return params;
    }

    /** chat.inject's answer {ok, messageId} with the run id its chat event carries. */
    public Map<String, Object> injected(Exchange exchange) {
        Map<String, Object> res = Json.map(exchange.getMessage().getBody());
        Map<String, Object> out = new LinkedHashMap<>();
        String messageId = Json.string(res, "messageId");
        out.put("sessionKey", sessionKey(exchange.getMessage()));
        out.put("messageId", messageId);
        out.put("runId", messageId == null ? null : "inject-" + messageId);
        return out;
    }

    /** GET /api/runs/{runId}: the run and its messages; a missing run is a 404. */
    public Map<String, Object> run(Exchange exchange) throws SQLException {
        String runId = exchange.getMessage().getHeader("runId", String.class);
        Map<String, Object> run = store.run(gateway(exchange.getMessage()), runId);
        if (run == null) {
            throw new NotFoundException("no run " + runId);
        }
        return run;
    }

    /**
     * A send the gateway refused or never answered (routes/api-chat.yaml, before the error is answered): recorded
     * against its run. When the gateway may have taken it (no answer in time), the reconcile after the next connect
     * ({@link ChatReconcile}) settles it.
     */
    public void sendFailed(Exchange exchange) {
        GatewayRpcException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, GatewayRpcException.class);
        boolean maybeTaken = GatewayRpcException.TIMEOUT.equals(e.getCode())
                || GatewayRpcException.CONNECTION_CLOSED.equals(e.getCode());
        String gateway = gateway(exchange.getMessage());
        store.sendFailed(gateway, exchange.getProperty(RUN_ID, String.class), ApiErrors.message(gateway, e), !maybeTaken);
    }

    // ------------------------------------------------------------------------------------------------

    /** The gateway the request addresses, as its route set it. */
    private static String gateway(Message in) {
        String gateway = in.getHeader(OpenClawConstants.GATEWAY, String.class);
        if (gateway == null) {
            throw new IllegalStateException("the route did not say which gateway the request addresses (header "
                    + OpenClawConstants.GATEWAY + ")");
        }
        return gateway;
    }

    private static String sessionKey(Message in) {
        String key = in.getHeader("key", String.class);
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("no session key in the path");
        }
        return key;
    }

    /** The request body, which the REST binding has read from JSON: an object, or nothing. */
    private static Map<String, Object> body(Message in) {
        Object body = in.getBody();
        if (body instanceof Map<?, ?>) {
            return Json.map(body);
        }
        String text = in.getBody(String.class);
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        throw new IllegalArgumentException("the body is not a JSON object");
    }

    private static String text(Map<String, Object> body, String field, boolean required) {
        Object v = body.get(field);
        if (v == null || (v instanceof String s && s.isBlank())) {
            if (required) {
                throw new IllegalArgumentException(field + " is required");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return s;
    }
}
