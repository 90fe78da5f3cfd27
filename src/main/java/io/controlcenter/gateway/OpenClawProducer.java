package io.controlcenter.gateway;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Calls the gateway without holding a thread while it waits (unless the endpoint is {@code synchronous}); also
 * correlation, status and reconnect.
 */
public class OpenClawProducer extends DefaultAsyncProducer {

    private final OpenClawEndpoint endpoint;

    public OpenClawProducer(OpenClawEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        GatewayClient client = endpoint.getClient();
        try {
            switch (endpoint.getOperation()) {
                case correlate -> client.complete(exchange.getMessage().getMandatoryBody(Map.class),
                        exchange.getProperty(OpenClawConstants.FRAME, Frame.class));
                case status -> exchange.getMessage().setBody(client.status());
                case reconnect -> {
                    client.reconnect();
                    exchange.getMessage().setBody(client.status());
                }
                case call -> {
                    return call(client, exchange, callback);
                }
            }
        } catch (Exception e) {
            exchange.setException(e);
        }
        callback.done(true);
        return true;
    }

    private boolean call(GatewayClient client, Exchange exchange, AsyncCallback callback) throws IOException {
        String method = exchange.getMessage().getHeader(OpenClawConstants.METHOD, endpoint.getMethod(), String.class);
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException(endpoint.getEndpointUri()
                    + ": no RPC method (set ?method= or the " + OpenClawConstants.METHOD + " header)");
        }
        Object body = exchange.getMessage().getBody();
        Object params = body instanceof String text && !text.isBlank() ? Json.parseObject(text)
                : body instanceof String ? null : body;
        CompletableFuture<Object> answer = client.call(method, params, endpoint.getTimeout(),
                endpoint.isRawPayload());
        if (endpoint.isSynchronous()) {
            try {
                exchange.getMessage().setBody(answer.join()); // bounded by the call's timeout
            } catch (CompletionException | CancellationException e) {
                exchange.setException(cause(e));
            }
            callback.done(true);
            return true;
        }
        answer.whenComplete((result, error) -> {
            if (error != null) {
                exchange.setException(cause(error));
            } else {
                exchange.getMessage().setBody(result);
            }
            callback.done(false);
        });
        return false;
    }

    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
