package io.controlcenter.sse;

import java.util.List;

/**
 * What a client that connects without {@code Last-Event-ID} receives first, e.g. one {@code fleet.update} with the
 * whole fleet. Called on a Vert.x worker thread; may block. Live messages with an id up to the largest id in the
 * snapshot are not sent again after it.
 */
@FunctionalInterface
public interface SseSnapshot {

    /** The snapshot for a client that asked for {@code filter}'s messages (the hub filters what it returns too). */
    List<SseMessage> snapshot(SseFilter filter);
}
