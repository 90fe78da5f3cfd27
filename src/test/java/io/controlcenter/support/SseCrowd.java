package io.controlcenter.support;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToLongFunction;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.parsetools.RecordParser;

/**
 * Many dashboards on GET /api/events, on Vert.x: fast ones read every message and record, for each session.update of
 * an {@link EventFeed} event ({@code "label":"n=<i>"}), the time from the gateway's send to its arrival in a histogram
 * (0.1 ms buckets); slow ones read the first bytes, then stop reading, as a dashboard in a frozen browser tab, until
 * Control Center drops them.
 */
public final class SseCrowd implements AutoCloseable {

    private static final String LABEL = "\"label\":\"n=";
    private static final int BUCKETS = 200_000; // 0.1 ms each: up to 20 s

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final HttpClient http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(2000)
            .setDefaultHost("127.0.0.1").setKeepAlive(false));
    private final int port;
    private final IntToLongFunction sentAtNanos;
    private volatile AtomicIntegerArray histogram = new AtomicIntegerArray(BUCKETS);
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong fastEnded = new AtomicLong();

    /** Dashboards of Control Center on {@code port}; {@code sentAtNanos}: when event i was sent. */
    public SseCrowd(int port, IntToLongFunction sentAtNanos) {
        this.port = port;
        this.sentAtNanos = sentAtNanos;
    }

    /** Opens {@code n} clients, slow or not; returns when every one has its response headers. */
    public void open(int n, boolean slow) throws Exception {
        for (int i = 0; i < n; i++) {
            http.request(HttpMethod.GET, port, "127.0.0.1", "/api/events").compose(r -> r.send()).onSuccess(resp -> {
                resp.endHandler(v -> fastEnded.incrementAndGet()); // a paused (slow) one never reads its end
                resp.exceptionHandler(e -> { });
                if (slow) {
                    resp.handler(b -> resp.pause()); // the first bytes, then nothing more is read (nor its end)
                    return;
                }
                RecordParser lines = RecordParser.newDelimited("\n", line -> line(line.toString()));
                resp.handler(lines);
            }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private void line(String line) {
        int at = line.startsWith("data:") ? line.indexOf(LABEL) : -1;
        if (at < 0) {
            return;
        }
        int from = at + LABEL.length();
        int to = line.indexOf('"', from);
        long now = System.nanoTime();
        int i = Integer.parseInt(line.substring(from, to));
        int bucket = (int) Math.min(BUCKETS - 1, (now - sentAtNanos.applyAsLong(i)) / 100_000);
        histogram.incrementAndGet(bucket);
        received.incrementAndGet();
    }

    /** Starts a new measurement: latencies recorded from now on. */
    public void reset() {
        histogram = new AtomicIntegerArray(BUCKETS);
        received.set(0);
    }

    /** Messages received by fast clients since the last reset. */
    public long received() {
        return received.get();
    }

    /** The latency (ms) under which {@code fraction} of the fast clients' messages since the last reset arrived. */
    public double percentileMs(double fraction) {
        AtomicIntegerArray h = histogram;
        long total = 0;
        for (int b = 0; b < BUCKETS; b++) {
            total += h.get(b);
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += h.get(b);
            if (seen >= rank && total > 0) {
                return (b + 1) / 10.0;
            }
        }
        return Double.NaN;
    }

    /** Fast clients whose stream has ended (dropped, or Control Center gone). */
    public long fastEnded() {
        return fastEnded.get();
    }

    @Override
    public void close() throws Exception {
        http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
