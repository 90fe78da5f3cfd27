package io.controlcenter.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToLongFunction;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;

/**
 * Many dashboards on GET /api/events, on Vert.x: fast ones read every message and record, for each session.update of
 * an {@link EventFeed} event ({@code "label":"n=<i>"}, read by an {@link SseReader}), the time from the gateway's
 * send to its arrival in a histogram (0.1 ms buckets); slow ones read {@value #SLOW_BYTES_PER_SECOND} bytes a second, as
 * a dashboard behind a poor link, until Control Center drops them.
 */
public final class SseCrowd implements AutoCloseable {

    private static final int BUCKETS = 200_000; // 0.1 ms each: up to 20 s
    private static final int EVENT_LOOPS = 2;
    /** What a slow client reads a second: about a tenth of the stream at 200 events/s (~150 kB/s). */
    public static final int SLOW_BYTES_PER_SECOND = 15_000;
    /** What precedes the number of an {@link EventFeed} label. */
    private static final byte[] LABEL = SseReader.bytes("\"label\":\"n=");

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS));
    private final HttpClient http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(2000)
            .setDefaultHost("127.0.0.1").setKeepAlive(false));
    /** The event loops clients are opened on, in turn. */
    private final Context[] loops = EventLoops.contexts(vertx, EVENT_LOOPS);
    private int opened;
    private final int port;
    private final IntToLongFunction sentAtNanos;
    private volatile AtomicIntegerArray histogram = new AtomicIntegerArray(BUCKETS);
    private final AtomicLong received = new AtomicLong();
    /** Per second since the reset (up to 20), latencies in 1 ms buckets up to 1 s: where in a window the tail is. */
    private volatile AtomicIntegerArray timeline = new AtomicIntegerArray(20 * 1000);
    private volatile long resetAt = System.nanoTime();
    private final AtomicLong fastEnded = new AtomicLong();

    /** Dashboards of Control Center on {@code port}; {@code sentAtNanos}: when event i was sent. */
    public SseCrowd(int port, IntToLongFunction sentAtNanos) {
        this.port = port;
        this.sentAtNanos = sentAtNanos;
    }

    /**
     * Opens {@code n} clients, slow or not, spread over the crowd's event loops (requests made from outside Vert.x would
     * all go to one); returns when every one has its response headers.
     */
    public void open(int n, boolean slow) throws Exception {
        open(n, slow ? Kind.SLOW : Kind.MEASURED, null);
    }

    /**
     * Opens {@code n} clients that read every message as the fast ones do but record nothing (in place of slow ones:
     * the same number of clients, none slow); closing the result closes them. One that Control Center drops before
     * counts in {@link #fastEnded()}.
     */
    public AutoCloseable openUnmeasured(int n) throws Exception {
        List<HttpConnection> connections = new CopyOnWriteArrayList<>();
        AtomicBoolean closing = new AtomicBoolean();
        open(n, Kind.UNMEASURED, new Unmeasured(connections, closing));
        return () -> {
            closing.set(true);
            for (HttpConnection c : connections) {
                c.close();
            }
        };
    }

    private enum Kind { MEASURED, UNMEASURED, SLOW }

    private record Unmeasured(List<HttpConnection> connections, AtomicBoolean closing) {
    }

    private void open(int n, Kind kind, Unmeasured unmeasured) throws Exception {
        for (int i = 0; i < n; i++) {
            Context loop = loops[opened++ % loops.length];
            CompletableFuture<Void> headers = new CompletableFuture<>();
            loop.runOnContext(v -> request(kind, unmeasured).onComplete(ar -> {
                if (ar.succeeded()) {
                    headers.complete(null);
                } else {
                    headers.completeExceptionally(ar.cause());
                }
            }));
            headers.get(30, TimeUnit.SECONDS);
        }
    }

    private Future<Void> request(Kind kind, Unmeasured unmeasured) {
        return http.request(HttpMethod.GET, port, "127.0.0.1", "/api/events").compose(r -> r.send()).map(resp -> {
            if (kind == Kind.SLOW) {
                // each chunk read, then nothing more for as long as it takes at SLOW_BYTES_PER_SECOND
                resp.handler(b -> {
                    resp.pause();
                    vertx.setTimer(Math.max(1, b.length() * 1000L / SLOW_BYTES_PER_SECOND), t -> resp.resume());
                });
                resp.exceptionHandler(e -> { });
                return null;
            }
            // its end, or its connection closed under it (Control Center dropping it): counted once
            AtomicBoolean ended = new AtomicBoolean();
            AtomicBoolean closing = kind == Kind.UNMEASURED ? unmeasured.closing() : new AtomicBoolean();
            resp.endHandler(v -> countEnd(ended, closing));
            resp.exceptionHandler(e -> countEnd(ended, closing));
            if (kind == Kind.UNMEASURED) {
                unmeasured.connections().add(resp.request().connection());
            }
            boolean measured = kind == Kind.MEASURED; // an unmeasured one does the same work but the histogram's
            SseReader reader = new SseReader(List.of("session.update"), (m, n, nanos) -> {
                int at = SseReader.indexOf(m, n, LABEL, 0);
                if (at >= 0) {
                    label((int) SseReader.number(m, n, at + LABEL.length), nanos, measured);
                }
            });
            resp.handler(reader::onData);
            return null;
        });
    }

    private void countEnd(AtomicBoolean ended, AtomicBoolean closing) {
        if (!closing.get() && ended.compareAndSet(false, true)) {
            fastEnded.incrementAndGet();
        }
    }

    private void label(int i, long nanos, boolean measured) {
        if (measured) {
            long latency = nanos - sentAtNanos.applyAsLong(i);
            histogram.incrementAndGet((int) Math.min(BUCKETS - 1, latency / 100_000));
            int second = (int) Math.min(19, Math.max(0, (nanos - resetAt) / 1_000_000_000L));
            timeline.incrementAndGet(second * 1000 + (int) Math.min(999, latency / 1_000_000));
            received.incrementAndGet();
        }
    }

    /** Starts a new measurement: latencies recorded from now on. */
    public void reset() {
        histogram = new AtomicIntegerArray(BUCKETS);
        timeline = new AtomicIntegerArray(20 * 1000);
        resetAt = System.nanoTime();
        received.set(0);
    }

    /** Messages received by fast clients since the last reset. */
    public long received() {
        return received.get();
    }

    /** The latency (ms) under which {@code fraction} of the fast clients' messages since the last reset arrived. */
    public double percentileMs(double fraction) {
        int b = bucketOf(histogram, 0, BUCKETS, fraction);
        return b < 0 ? Double.NaN : (b + 1) / 10.0;
    }

    /** The p99 (ms, 1 ms grain; -1: nothing arrived) of each second since the last reset, up to {@code seconds} (20). */
    public List<Integer> p99PerSecond(int seconds) {
        AtomicIntegerArray t = timeline;
        List<Integer> out = new ArrayList<>();
        for (int sec = 0; sec < Math.min(20, seconds); sec++) {
            int b = bucketOf(t, sec * 1000, 1000, 0.99);
            out.add(b < 0 ? -1 : b + 1);
        }
        return out;
    }

    /** The bucket (0-based, of {@code n} from {@code from}) under which {@code fraction} of the counts are; -1: none. */
    private static int bucketOf(AtomicIntegerArray h, int from, int n, double fraction) {
        long total = 0;
        for (int b = 0; b < n; b++) {
            total += h.get(from + b);
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int b = 0; b < n && total > 0; b++) {
            seen += h.get(from + b);
            if (seen >= rank) {
                return b;
            }
        }
        return -1;
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
