package io.controlcenter.gateway;

import java.util.function.DoubleSupplier;

/** Exponential reconnect delay: initial, doubled per failed attempt up to max, each spread by ±jitter. */
final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private final double jitter;
    private final DoubleSupplier random;
    private int attempt;

    Backoff(long initialMs, long maxMs, double jitter, DoubleSupplier random) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.jitter = jitter;
        this.random = random;
    }

    /** The delay before the next attempt; each call doubles the base for the call after it. */
    long next() {
        long base = initialMs << Math.min(attempt, 30);
        base = base <= 0 || base > maxMs ? maxMs : base;
        attempt++;
        double spread = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Math.min(maxMs, Math.round(base * spread));
    }

    /** After a successful hello-ok the next delay starts at the initial one again. */
    void reset() {
        attempt = 0;
    }
}
