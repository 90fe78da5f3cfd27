package io.controlcenter.gateway;

import io.vertx.core.Vertx;

/**
 * Closes a connection on which nothing has arrived for two tick intervals (the gateway ticks every
 * {@code policy.tickIntervalMs}). Reading paused for backpressure is not silence. Event-loop confined.
 */
final class TickWatchdog {

    private final Vertx vertx;
    private final Runnable onSilence;
    private long lastFrameNanos = System.nanoTime();
    private long lastCheckNanos;
    private long intervalMs;
    private long timer = -1;
    private boolean paused;

    /** {@code onSilence} gets called once, on the event loop, with the silence in ms readable by {@link #silentMs()}. */
    TickWatchdog(Vertx vertx, Runnable onSilence) {
        this.vertx = vertx;
        this.onSilence = onSilence;
    }

    /**
     * Starts watching after hello-ok, at a quarter of the tick interval (50 ms to 1 s). A check that comes more than a
     * tick interval late means this process stood still (a long GC pause, a starved CPU), not the gateway: the frames
     * that arrived meanwhile are read before the next check judges the silence.
     */
    void start(long tickIntervalMs) {
        intervalMs = tickIntervalMs;
        long check = Math.max(50, Math.min(1_000, tickIntervalMs / 4));
        lastCheckNanos = System.nanoTime();
        timer = vertx.setPeriodic(check, t -> {
            long now = System.nanoTime();
            boolean late = (now - lastCheckNanos) / 1_000_000 > check + intervalMs;
            lastCheckNanos = now;
            if (!paused && !late && silentMs() > 2 * intervalMs) {
                stop();
                onSilence.run();
            }
        });
    }

    /** A frame arrived. */
    void frame() {
        lastFrameNanos = System.nanoTime();
    }

    void paused(boolean now) {
        paused = now;
        if (!now) {
            frame(); // the time reading was paused is not silence
        }
    }

    long silentMs() {
        return (System.nanoTime() - lastFrameNanos) / 1_000_000;
    }

    long intervalMs() {
        return intervalMs;
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
