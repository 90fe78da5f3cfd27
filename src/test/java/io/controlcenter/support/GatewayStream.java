package io.controlcenter.support;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A stream of session changes on the test gateway that, unlike {@link EventFeed}, keeps the gateway's truth: change
 * i sets session {@code agent:main:s<i % sessions>}'s label to {@code n=i} (updatedAt and ts {@code t0 + i}) in the
 * gateway's model ({@link FakeFleet#sessions}, what sessions.list answers), then sends it as {@code sessions.changed}
 * on the gateway's connection of the moment when it has one past hello-ok. A change made while Control Center is not
 * connected (or the gateway is down) is only in the model, as on a real gateway: the next sync must bring it.
 */
public final class GatewayStream implements AutoCloseable {

    private final FakeGateway gateway;
    private final FakeFleet fleet;
    private final int sessions;
    private final long intervalNanos;
    private final long t0 = System.currentTimeMillis() + 60_000;
    private final AtomicInteger changes = new AtomicInteger();
    private final AtomicInteger sent = new AtomicInteger();
    /** The label of each change written to a connection, with the number of that connection (1 for the first). */
    private final Map<String, Integer> sentLabels = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread thread = new Thread(this::run, "gateway-stream");
    private volatile boolean stopped;
    private volatile boolean paused;
    private volatile boolean holding;

    public GatewayStream(FakeGateway gateway, FakeFleet fleet, int sessions, long intervalMs) {
        this.gateway = gateway;
        this.fleet = fleet;
        this.sessions = sessions;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        thread.setDaemon(true);
    }

    public GatewayStream start() {
        thread.start();
        return this;
    }

    private void run() {
        long next = System.nanoTime();
        for (int i = 0; !stopped; i++) {
            next += intervalNanos;
            LockSupport.parkNanos(next - System.nanoTime());
            while (paused && !stopped) {
                holding = true;
                LockSupport.parkNanos(1_000_000);
                next = System.nanoTime();
            }
            holding = false;
            String key = "agent:main:s" + (i % sessions);
            Map<String, Object> row = FakeFleet.session(key, "main", t0 + i);
            row.put("label", "n=" + i);
            synchronized (fleet) {
                fleet.sessions.put(key, row);
            }
            changes.incrementAndGet();
            FakeGateway.Conn conn = gateway.connections.isEmpty() ? null : gateway.last();
            if (conn != null && conn.helloSent && !conn.ws.isClosed()) {
                // sent: handed to the kernel, which delivers it even when the gateway dies right after
                int change = i;
                int connection = gateway.connections.size();
                conn.sendText(conn.eventText("sessions.changed", FakeFleet.sessionsChanged(row, "patch", t0 + i)))
                        .onSuccess(v -> {
                            sent.incrementAndGet();
                            sentLabels.put("n=" + change, connection);
                        });
            }
        }
    }

    /** Holds the stream (no change is made) until {@link #resume}; returns once no change is under way. */
    public void pause() {
        paused = true;
        ControlCenterApp.await("the stream paused", java.time.Duration.ofSeconds(5), () -> holding);
    }

    public void resume() {
        paused = false;
    }

    /** Changes made in the gateway's model so far. */
    public int changes() {
        return changes.get();
    }

    /** Changes sent as events on a live connection (written to its socket) so far. */
    public int sent() {
        return sent.get();
    }

    /** Waits until {@code n} more changes have been made. */
    public void awaitMore(int n) {
        int target = changes() + n;
        ControlCenterApp.await(n + " more changes", java.time.Duration.ofSeconds(60), () -> changes() >= target);
    }

    /** The labels of the changes written to a connection, each with the number of that connection. */
    public Map<String, Integer> sentLabels() {
        return Map.copyOf(sentLabels);
    }

    /** The label of each session in the gateway's model, by key. */
    public Map<String, Object> truth() {
        synchronized (fleet) {
            Map<String, Object> labels = new java.util.TreeMap<>();
            fleet.sessions.forEach((k, row) -> labels.put(k, row.get("label")));
            return labels;
        }
    }

    public void stop() throws InterruptedException {
        stopped = true;
        thread.join();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
