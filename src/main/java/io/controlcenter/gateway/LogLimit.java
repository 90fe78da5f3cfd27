package io.controlcenter.gateway;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a gateway that sends rubbish from flooding the log: the first message of a kind is logged, then at most one a
 * window, saying how many like it were left out meanwhile (the counters have every one). Confined to one connection's
 * event loop.
 */
final class LogLimit {

    private final long windowNanos;
    private final String windowText;
    /** kind -> {when its window began (nanoTime), messages left out in it} */
    private final Map<String, long[]> kinds = new HashMap<>();

    LogLimit(long windowMs) {
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMs);
        this.windowText = windowMs % 1000 == 0 ? windowMs / 1000 + " s" : windowMs + " ms";
    }

    /**
     * Null when this message of {@code kind} is to be left out; else what to append to it: "" or how many were left
     * out since the last one logged.
     */
    String allow(String kind) {
        long now = System.nanoTime();
        long[] window = kinds.get(kind);
        if (window == null) {
            kinds.put(kind, new long[] {now, 0});
            return "";
        }
        if (now - window[0] < windowNanos) {
            window[1]++;
            return null;
        }
        long left = window[1];
        window[0] = now;
        window[1] = 0;
        return left == 0 ? "" : " (and " + left + " more like it in the last " + windowText + ", not logged)";
    }
}
