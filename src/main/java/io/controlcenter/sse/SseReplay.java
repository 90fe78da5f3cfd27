package io.controlcenter.sse;

import java.util.List;

/**
 * Where a reconnecting client's missed messages come from (the event log). Called on a Vert.x worker thread; may
 * block.
 */
@FunctionalInterface
public interface SseReplay {

    /**
     * At most {@code limit} messages with id greater than {@code lastId}, in ascending id order. The hub asks again
     * after the last id returned until a page has fewer than {@code limit} messages.
     */
    List<SseMessage> since(long lastId, int limit);
}
