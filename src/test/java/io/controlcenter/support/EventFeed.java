package io.controlcenter.support;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady stream of {@code sessions.changed} events from the test gateway on its latest connection, one every
 * {@code intervalMs} until {@link #stop()}, on session {@code agent:main:s0}, the i-th labelled {@code n=i} (a
 * dashboard's {@code session.update} carries the label, so a test sees which events arrived, once each and in order).
 * Events are sent on schedule whatever Control Center does with them (when it stops reading, TCP and the gateway's
 * socket hold them, as on a real gateway).
 */
public final class EventFeed implements AutoCloseable {

    /** At most this many events, should a test never stop the stream. */
    private static final int MAX = 1_000_000;
    private final FakeGateway.Conn connection;
    private final long intervalNanos;
    private final String labelPrefix;
    /** Gateway time of the events: after the sync's listing, as on a real gateway. */
    private final long t0 = System.currentTimeMillis() + 60_000;
    private final AtomicInteger sent = new AtomicInteger();
    /** When each event was handed to the gateway's socket (System.nanoTime), for latencies. */
    private final long[] sentAtNanos = new long[MAX];
    private final Thread sender = new Thread(this::send, "event-feed");
    private volatile boolean stopped;

    public EventFeed(FakeGateway.Conn connection, long intervalMs) {
        this(connection, intervalMs, "");
    }

    /** A stream whose i-th event is labelled {@code <labelPrefix>n=i} (to tell two streams on one session apart). */
    public EventFeed(FakeGateway.Conn connection, long intervalMs, String labelPrefix) {
        this.connection = connection;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        this.labelPrefix = labelPrefix;
        sender.setDaemon(true);
    }

    public EventFeed start() {
        sender.start();
        return this;
    }

    private void send() {
        long start = System.nanoTime();
        for (int i = 0; i < MAX && !stopped; i++) {
            LockSupport.parkNanos(start + i * intervalNanos - System.nanoTime());
            Map<String, Object> row = FakeFleet.session("agent:main:s0", "main", t0 + i);
            row.put("label", labelPrefix + label(i));
            String text = connection.eventText("sessions.changed", FakeFleet.sessionsChanged(row, "patch", t0 + i));
            sentAtNanos[i] = System.nanoTime();
            connection.sendText(text);
            sent.incrementAndGet();
        }
    }

    /** The label of the i-th event (0-based). */
    public static String label(int i) {
        return "n=" + i;
    }

    /** When the i-th event was sent (System.nanoTime). */
    public long sentAtNanos(int i) {
        return sentAtNanos[i];
    }

    /** Events sent so far. */
    public int sent() {
        return sent.get();
    }

    /** Waits until the stream has run for {@code ms} more milliseconds (by the events sent meanwhile). */
    public void awaitMore(long ms) {
        int n = sent() + (int) (TimeUnit.MILLISECONDS.toNanos(ms) / intervalNanos);
        ControlCenterApp.await(n + " events sent", java.time.Duration.ofMillis(ms + 30_000), () -> sent() >= n);
    }

    /** Ends the stream; returns how many events were sent. */
    public int stop() throws InterruptedException {
        stopped = true;
        sender.join();
        return sent();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
