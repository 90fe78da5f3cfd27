package io.controlcenter.sse;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The clients dropped for being too slow: how many, and the latest few with when (the dashboard's "needs attention"). */
final class SlowClients {

    static final int RECENT = 20;

    private final AtomicLong dropped = new AtomicLong();
    private final Deque<SseHub.SlowClient> recent = new ArrayDeque<>();

    void dropped(String remote) {
        dropped.incrementAndGet();
        synchronized (recent) {
            recent.addLast(new SseHub.SlowClient(Instant.now(), remote));
            if (recent.size() > RECENT) {
                recent.removeFirst();
            }
        }
    }

    long count() {
        return dropped.get();
    }

    /** The latest drops, oldest first. */
    List<SseHub.SlowClient> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }
}
