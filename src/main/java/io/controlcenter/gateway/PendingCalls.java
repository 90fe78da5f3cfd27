package io.controlcenter.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls to one gateway waiting for their {@code res}, by request id: each answered by its response, failed by its
 * timeout, or failed when the connection it went out on is gone.
 */
final class PendingCalls {

    private static final Logger LOG = LoggerFactory.getLogger(PendingCalls.class);

    /** One call: its method, its future, and the connection it was written to (-1 until written). */
    static final class Call {
        final String id;
        final String method;
        final CompletableFuture<Object> future = new CompletableFuture<>();
        /** Answered with the payload's JSON text as received. */
        final boolean rawPayload;
        volatile long connection = -1;

        Call(String id, String method, boolean rawPayload) {
            this.id = id;
            this.method = method;
            this.rawPayload = rawPayload;
        }
    }

    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong lateResponses = new AtomicLong();
    private final Vertx vertx;
    private final String gateway;

    PendingCalls(Vertx vertx, String gateway) {
        this.vertx = vertx;
        this.gateway = gateway;
    }

    /** A new call waiting for its answer, failed with TIMEOUT after {@code timeoutMs}. */
    Call open(String method, long timeoutMs, boolean rawPayload) {
        Call call = new Call("cc-" + ids.incrementAndGet(), method, rawPayload);
        calls.put(call.id, call);
        long timer = vertx.setTimer(timeoutMs, t -> fail(call.id, new GatewayRpcException(method,
                GatewayRpcException.TIMEOUT, "no response from gateway " + gateway + " within " + timeoutMs + " ms",
                null, true, null)));
        call.future.whenComplete((r, e) -> vertx.cancelTimer(timer));
        return call;
    }

    /**
     * Completes the call a {@code res} frame answers: with its payload, or the payload's text as received when the call
     * asked for it and {@code frame} is what {@code res} was parsed from. Returns false for an unknown id (late or
     * foreign).
     */
    boolean complete(Map<String, Object> res, Frame frame) {
        String id = Json.string(res, "id");
        Call call = id == null ? null : calls.remove(id);
        if (call == null) {
            lateResponses.incrementAndGet();
            LOG.debug("Gateway {}: response to unknown or timed-out request {}", gateway, id);
            return false;
        }
        if (Boolean.TRUE.equals(res.get("ok"))) {
            boolean asText = call.rawPayload && frame != null && frame.fields() == res && frame.payloadText() != null;
            call.future.complete(asText ? frame.payloadText() : res.get("payload"));
        } else {
            call.future.completeExceptionally(GatewayRpcException.fromError(call.method, Json.map(res.get("error"))));
        }
        return true;
    }

    /** Fails the calls written to connection {@code connection}, which closed with {@code code} and {@code reason}. */
    void failFor(long connection, int code, String reason) {
        List<Call> lost = new ArrayList<>();
        calls.values().forEach(call -> {
            if (call.connection == connection) {
                lost.add(call);
            }
        });
        for (Call call : lost) {
            fail(call.id, new GatewayRpcException(call.method, GatewayRpcException.CONNECTION_CLOSED,
                    "connection to gateway " + gateway + " closed (" + code + " " + reason + ") before the response",
                    null, true, null));
        }
    }

    void fail(String id, GatewayRpcException e) {
        Call call = calls.remove(id);
        if (call != null) {
            call.future.completeExceptionally(e);
        }
    }

    int size() {
        return calls.size();
    }

    long lateResponses() {
        return lateResponses.get();
    }
}
