package io.controlcenter.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.parsetools.RecordParser;

/**
 * Dashboards: SSE clients of GET /api/events on Vert.x, parsing as little as possible: the id line, the event name,
 * and for session.update only the label the load gateway put in ({@code "label":"b<n>"}), which tells the client
 * which sessions.changed it is and, looked up in the gateway's send times, how long it took.
 */
final class SseLoad implements AutoCloseable {

    private static final String LABEL = "\"label\":\"b";

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final HttpClient http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(1000)
            .setDefaultHost("127.0.0.1").setKeepAlive(true));
    private final int port;
    private final long[] sendNanos;
    final List<Client> clients = new CopyOnWriteArrayList<>();

    SseLoad(int port, long[] sendNanos) {
        this.port = port;
        this.sendNanos = sendNanos;
    }

    /** Opens {@code n} more clients; returns when each has its first message (the fleet.update snapshot). */
    void open(int n) throws Exception {
        List<Client> opened = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Client c = new Client(clients.size() + 1);
            clients.add(c);
            opened.add(c);
            http.request(HttpMethod.GET, port, "127.0.0.1", "/api/events")
                    .compose(req -> req.putHeader("Accept", "text/event-stream").send())
                    .onSuccess(res -> {
                        RecordParser parser = RecordParser.newDelimited("\n\n", c::onRecord);
                        res.handler(parser);
                        res.exceptionHandler(e -> c.error = e);
                        res.endHandler(v -> c.ended = true);
                    })
                    .onFailure(e -> c.error = e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (Client c : opened) {
            while (c.messages == 0) {
                if (c.error != null || System.nanoTime() > deadline) {
                    throw new IllegalStateException("SSE client " + c.number + " did not get its first message: " + c.error);
                }
                Thread.sleep(5);
            }
        }
    }

    /** Starts a new count on every client: labels from {@code firstLabel} on, latencies when asked. */
    void reset(long firstLabel, boolean latencies) {
        clients.forEach(c -> c.reset(firstLabel, latencies));
    }

    /** Waits until every client has every label below {@code endLabel}; false when the wait ran out. */
    boolean awaitLabels(long endLabel, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (clients.stream().allMatch(c -> c.complete(endLabel))) {
                return true;
            }
            Thread.sleep(2);
        }
        return false;
    }

    /** Latencies of every client since the last reset, in nanoseconds, sorted. */
    long[] latencies() {
        int n = clients.stream().mapToInt(c -> c.latencyCount).sum();
        long[] all = new long[n];
        int at = 0;
        for (Client c : clients) {
            System.arraycopy(c.latencies, 0, all, at, c.latencyCount);
            at += c.latencyCount;
        }
        Arrays.sort(all);
        return all;
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** One dashboard; its counters are written on its event loop and read by the benchmark thread. */
    final class Client {
        final int number;
        volatile Throwable error;
        volatile boolean ended;
        volatile long messages;
        volatile long lastId;
        volatile long outOfOrder;
        volatile long duplicates;
        volatile long sessionUpdates;
        volatile long fleetUpdatesFromSync;
        volatile long lastFleetUpdateNanos;
        private BitSet seen = new BitSet();
        private long firstLabel;
        /** labels below it (from firstLabel) all received: advanced lazily */
        private volatile long contiguous;
        private boolean recordLatency;
        long[] latencies = new long[1024];
        volatile int latencyCount;

        Client(int number) {
            this.number = number;
        }

        synchronized void reset(long first, boolean latency) {
            seen = new BitSet();
            firstLabel = first;
            contiguous = first;
            duplicates = 0;
            outOfOrder = 0;
            sessionUpdates = 0;
            recordLatency = latency;
            latencyCount = 0;
        }

        synchronized boolean complete(long endLabel) {
            long c = contiguous;
            while (c < endLabel && seen.get((int) (c - firstLabel))) {
                c++;
            }
            contiguous = c;
            return c >= endLabel;
        }

        synchronized long missing(long endLabel) {
            long n = endLabel - firstLabel;
            return n - seen.get(0, (int) Math.max(0, n)).cardinality();
        }

        private synchronized void onRecord(Buffer record) {
            long now = System.nanoTime();
            if (record.length() == 0 || record.getByte(0) == ':') {
                return; // ": connected", ": heartbeat"
            }
            String s = record.toString(StandardCharsets.ISO_8859_1);
            messages++;
            long id = 0;
            if (s.startsWith("id: ")) {
                int nl = s.indexOf('\n');
                id = Long.parseLong(s, 4, nl, 10);
                if (id <= lastId) {
                    outOfOrder++;
                }
                lastId = id;
            }
            int ev = s.indexOf("event: ");
            if (s.startsWith("session.update", ev + 7)) {
                int at = s.indexOf(LABEL);
                if (at < 0) {
                    return;
                }
                int from = at + LABEL.length();
                int to = s.indexOf('"', from);
                long label = Long.parseLong(s, from, to, 10);
                sessionUpdates++;
                if (label < firstLabel) {
                    return;
                }
                int bit = (int) (label - firstLabel);
                if (seen.get(bit)) {
                    duplicates++;
                    return;
                }
                seen.set(bit);
                if (recordLatency) {
                    if (latencyCount == latencies.length) {
                        latencies = Arrays.copyOf(latencies, latencies.length * 2);
                    }
                    latencies[latencyCount] = now - sendNanos[(int) label];
                    latencyCount++;
                }
            } else if (s.startsWith("fleet.update", ev + 7) && s.contains("\"source\":\"websocket\"")) {
                fleetUpdatesFromSync++;
                lastFleetUpdateNanos = now;
            }
        }
    }
}
