package io.controlcenter.sse;

import java.util.List;

/**
 * Where the messages a route sends to {@code sse:} go, once stored. With one instance (no bean {@value #BEAN_NAME}):
 * straight to the dashboards connected here ({@link SseHub#broadcast(List)}). With several, every instance pushes what
 * any instance stored in the event log's order, and a bean of this name takes the route's messages instead.
 */
@FunctionalInterface
public interface SsePublisher {

    String BEAN_NAME = "ssePublisher";

    /** The messages of one stored batch, in order. */
    void publish(List<SseMessage> messages);
}
