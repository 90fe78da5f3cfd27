package io.controlcenter.sse;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link SseHub#broadcast(List)}: the messages of a stored batch, each encoded once (the wire bytes every client
 * shares), and the {@link Unit} each client's filter gets of it, built once per distinct filter. Clients without a
 * filter (the common case) all share the one unit of the whole batch, so a batch costs one offer per client instead
 * of one per client and message. Used by the broadcasting thread only.
 */
final class SseBatch {

    /** A filter's unit when it accepts none of the batch: the client gets nothing. */
    private static final Unit NONE = new Unit(new SseClient.Encoded[0], 0, Long.MAX_VALUE);

    /**
     * What one client receives of a batch, in order, queued with one offer and written together: the messages, their
     * bytes in all, and the smallest id above 0 among them ({@link Long#MAX_VALUE} if none), for the client to tell
     * without looking at each message that none was already sent by its replay or snapshot. Shared by every client
     * it goes to: never modified.
     */
    record Unit(SseClient.Encoded[] messages, int bytes, long smallestId) {

        int size() {
            return messages.length;
        }
    }

    private final SseMessage[] messages;
    private final int size;
    private final SseClient.Encoded[] encoded;
    private Unit all;
    private Map<SseFilter, Unit> filtered;

    SseBatch(List<SseMessage> messages) {
        this.messages = messages.toArray(new SseMessage[0]); // any List, read by index once per distinct filter
        int n = 0;
        for (SseMessage m : this.messages) {
            if (m != null) {
                n++;
            }
        }
        this.size = n;
        this.encoded = new SseClient.Encoded[this.messages.length];
    }

    /** The messages in the batch (nulls are not messages). */
    int size() {
        return size;
    }

    /** What a client with {@code filter} receives of the batch; null when nothing. */
    Unit unitFor(SseFilter filter) {
        Unit unit;
        if (filter.gateway() == null && filter.sessionKey() == null) {
            if (all == null) {
                all = build(null);
            }
            unit = all;
        } else {
            if (filtered == null) {
                filtered = new HashMap<>();
            }
            unit = filtered.computeIfAbsent(filter, this::build);
        }
        return unit == NONE ? null : unit;
    }

    /** The unit of the messages {@code filter} accepts (null: all), encoding each the first time it is needed. */
    private Unit build(SseFilter filter) {
        SseClient.Encoded[] picked = new SseClient.Encoded[filter == null ? size : messages.length];
        int n = 0;
        int bytes = 0;
        long smallest = Long.MAX_VALUE;
        for (int i = 0; i < encoded.length; i++) {
            SseMessage m = messages[i];
            if (m == null || filter != null && !filter.accepts(m)) {
                continue;
            }
            SseClient.Encoded e = encoded[i];
            if (e == null) {
                e = encoded[i] = SseClient.Encoded.of(m);
            }
            picked[n++] = e;
            bytes += e.bytes().length;
            if (e.id() > 0 && e.id() < smallest) {
                smallest = e.id();
            }
        }
        if (n == 0) {
            return NONE;
        }
        if (n < picked.length) {
            picked = Arrays.copyOf(picked, n);
        }
        return new Unit(picked, bytes, smallest);
    }
}
