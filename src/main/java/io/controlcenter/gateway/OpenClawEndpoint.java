package io.controlcenter.gateway;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code openclaw:<gateway>}: as a consumer, every frame of the gateway connection in arrival order; as a producer,
 * an RPC call ({@code ?method=agents.list}), or one of the operations correlate, status, reconnect.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "openclaw", title = "OpenClaw gateway", syntax = "openclaw:gateway",
             category = { Category.NETWORKING })
public class OpenClawEndpoint extends DefaultEndpoint {

    /** What the producer does. */
    public enum Operation {
        /** Call {@code method} with the body as params; the reply body is the response payload. */
        call,
        /** Complete the pending call a {@code res} frame (the body) answers. */
        correlate,
        /** The connection status as a map. */
        status,
        /** Reconnect now, also out of a fatal failure; the reply is the status. */
        reconnect
    }

    @UriPath(description = "Gateway name, as configured in gateway.name")
    private final String gateway;
    private final GatewayClient client;
    @UriParam(defaultValue = "call")
    private Operation operation = Operation.call;
    @UriParam(description = "RPC method; the OpenClawMethod header overrides it")
    private String method;
    @UriParam(description = "RPC timeout in ms; 0 = gateway.rpc-timeout")
    private long timeout;
    @UriParam(description = "Wait for the answer on the calling thread, so that the route goes on there: a seda route "
            + "with one consumer then takes its next exchange only when this one is done (fleet-sync)")
    private boolean synchronous;
    @UriParam(description = "The answer's payload as the JSON text the gateway sent instead of maps and lists: for a "
            + "large answer that a bean reads as it needs (the sync's sessions.list pages), which saves building it. The "
            + "body is then a PayloadText, a CharSequence over the frame's text (toString() gives the payload's JSON)")
    private boolean rawPayload;
    @UriParam(description = "Event names the consumer does not hand to the route (comma-separated): events no route "
            + "uses, such as agent (half of a busy gateway's events), then cost no more than reading their frame; their "
            + "seq still counts for gaps")
    private String skipEvents;
    private Set<String> skipped = Set.of();

    OpenClawEndpoint(String uri, OpenClawComponent component, String gateway, GatewayClient client) {
        super(uri, component);
        this.gateway = gateway;
        this.client = client;
    }

    @Override
    public Producer createProducer() {
        return new OpenClawProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        OpenClawConsumer consumer = new OpenClawConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getGateway() {
        return gateway;
    }

    public GatewayClient getClient() {
        return client;
    }

    public Operation getOperation() {
        return operation;
    }

    public void setOperation(Operation operation) {
        this.operation = operation;
    }

    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        this.method = method;
    }

    public long getTimeout() {
        return timeout;
    }

    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    public boolean isSynchronous() {
        return synchronous;
    }

    public void setSynchronous(boolean synchronous) {
        this.synchronous = synchronous;
    }

    public boolean isRawPayload() {
        return rawPayload;
    }

    public void setRawPayload(boolean rawPayload) {
        this.rawPayload = rawPayload;
    }

    public String getSkipEvents() {
        return skipEvents;
    }

    public void setSkipEvents(String skipEvents) {
        this.skipEvents = skipEvents;
        this.skipped = skipEvents == null ? Set.of() : Arrays.stream(skipEvents.split(","))
                .map(String::trim).filter(name -> !name.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether events named {@code event} are not handed to the route ({@link #setSkipEvents}). */
    boolean skips(String event) {
        return skipped.contains(event);
    }
}
