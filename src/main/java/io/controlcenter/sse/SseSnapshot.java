package io.controlcenter.sse;

import java.util.List;

/**
 * What a client that connects without {@code Last-Event-ID} receives first, e.g. one {@code fleet.update} with the
 * whole fleet. Called on a Vert.x worker thread; may block. Live messages with an id up to the largest id in the
 * snapshot are not sent again after it.
 */
@FunctionalInterface
public interface SseSnapshot {

    /** The snapshot for a client of {@code sessionKey} ({@code null}: a client of the whole stream). */
    List<SseMessage> snapshot(String sessionKey);
}
