package io.controlcenter.db;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How often the embedded server may be restarted when it dies ({@code db.embedded.restart.*}): at most {@code limit}
 * restarts within {@code period}, the first after {@code delay}, each further one within the period after twice the
 * delay of the one before (capped at the period). One more death within the period than the limit allows means the
 * server cannot be kept running here: Control Center gives up and exits.
 *
 * @param limit  restarts allowed within the period; 0: never restart
 * @param period the window the restarts are counted in
 * @param delay  the wait before the first restart of the window
 */
public record RestartPolicy(int limit, Duration period, Duration delay) {

    /** The restarts made so far (their {@link System#nanoTime()}), counted within the policy's period. */
    public static final class History {
        private final Deque<Long> times = new ArrayDeque<>();

        synchronized void add(long nanos) {
            times.addLast(nanos);
        }

        /** How many restarts lie within {@code period} before {@code now}; forgets older ones. */
        synchronized int within(Duration period, long now) {
            while (!times.isEmpty() && now - times.peekFirst() > period.toNanos()) {
                times.removeFirst();
            }
            return times.size();
        }
    }

    /** True when {@code recent} restarts within the period leave no room for one more. */
    boolean exhausted(int recent) {
        return recent >= limit;
    }

    /** The wait before the next restart when {@code recent} restarts lie within the period: delay × 2^recent. */
    Duration delayAfter(int recent) {
        Duration d = delay.multipliedBy(1L << Math.min(recent, 30));
        return d.compareTo(period) > 0 ? period : d;
    }

    /** The settings that say so, for messages. */
    String describe() {
        return "db.embedded.restart.limit=" + limit + " restart(s) within db.embedded.restart.period=" + period.toSeconds()
                + " s";
    }
}
