package io.controlcenter.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import io.controlcenter.support.EventLoops;
import io.controlcenter.support.SseReader;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;

import static io.controlcenter.support.SseReader.bytes;
import static io.controlcenter.support.SseReader.indexOf;
import static io.controlcenter.support.SseReader.number;
import static io.controlcenter.support.SseReader.startsWith;

/**
 * Dashboards: SSE clients of GET /api/events on Vert.x, parsing as little as possible: the id line, the event name,
 * and for session.update only the label the load gateway put in ({@code "label":"b<n>"}), which tells the client
 * which sessions.changed it is and, looked up in the gateway's send times, how long it took. With several gateways the
 * message's {@code "gateway":"NAME"} (its data's first field) says whose label it is: each client counts each gateway's
 * labels apart, and a client of {@code ?gateway=NAME} only that gateway's.
 * <p>
 * A dashboard gets every stored event (at 5,000 events/s about 2,500 messages/s, most of them chat), so 1,000 of them
 * get millions of messages a second: each stream is read where it arrives ({@link SseReader}), and only the data of
 * session.update and fleet.update is kept and read.
 */
final class SseLoad implements AutoCloseable {

    /** Connections to one Control Center at most: each dashboard holds one for good (1,000 in latency phase 3b). */
    private static final int MAX_CONNECTIONS = 4_096;
    private static final String SESSION_UPDATE = "session.update";
    private static final String FLEET_UPDATE = "fleet.update";
    private static final byte[] SESSION_UPDATE_LINE = bytes(SESSION_UPDATE + "\n");
    private static final byte[] FLEET_UPDATE_LINE = bytes(FLEET_UPDATE + "\n");
    private static final byte[] FROM_SYNC = bytes("\"source\":\"websocket\"");
    private static final byte[] LABEL = bytes("\"label\":\"b");
    private static final byte[] GATEWAY = bytes("\"gateway\":\"");

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    /** The event loops the dashboards are opened on, in turn (all would be on one otherwise). */
    private final Context[] loops = EventLoops.contexts(vertx, 2);
    private final HttpClient http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(MAX_CONNECTIONS)
            .setDefaultHost("127.0.0.1").setKeepAlive(true));
    private final int port;
    /** The gateways by name: a client's counts of a gateway are its {@link Track} of that number. */
    private final Map<String, Integer> gateways = new HashMap<>();
    /** Send time of each label, per gateway. */
    private final List<long[]> sendNanos;
    final List<Client> clients = new CopyOnWriteArrayList<>();
    private volatile boolean closing;

    /** Dashboards of the gateways {@code names}, whose send times of each label are {@code sendNanos}, in that order. */
    SseLoad(int port, List<String> names, List<long[]> sendNanos) {
        this.port = port;
        this.sendNanos = List.copyOf(sendNanos);
        names.forEach(n -> gateways.put(n, gateways.size()));
    }

    /** Opens {@code n} more clients of every gateway; returns when each has its first message (the fleet.update). */
    void open(int n) throws Exception {
        open(n, null);
    }

    /** Opens {@code n} more clients of {@code gateway} ({@code ?gateway=}), or of every gateway when null. */
    void open(int n, String gateway) throws Exception {
        open(n, gateway, port);
    }

    /**
     * As {@link #open(int, String)}, on the Control Center listening on {@code port} (another instance of a cluster
     * on the same database: {@link ClusterBench}).
     */
    void open(int n, String gateway, int port) throws Exception {
        if (clients.stream().filter(c -> c.port == port).count() + n > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("more than " + MAX_CONNECTIONS + " dashboards of one Control Center");
        }
        List<Client> opened = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Client c = new Client(clients.size() + 1, gateway == null ? -1 : gateways.get(gateway), port,
                    "/api/events" + (gateway == null ? "" : "?gateway=" + gateway));
            clients.add(c);
            opened.add(c);
            loops[c.number % loops.length].runOnContext(v -> connect(c));
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

    /**
     * Opens the client's stream: again after Control Center dropped it (too slow: more than {@code sse.client-buffer}
     * messages waiting), with {@code Last-Event-ID}, as the dashboard page does, so it catches up from the event log
     * and counts on; how often is reported ({@link #reconnects}).
     */
    private void connect(Client c) {
        SseReader reader = new SseReader(List.of(SESSION_UPDATE, FLEET_UPDATE), c::onMessage);
        http.request(HttpMethod.GET, c.port, "127.0.0.1", c.path)
                .compose(req -> {
                    req.putHeader("Accept", "text/event-stream");
                    if (c.lastId > 0) {
                        req.putHeader("Last-Event-ID", Long.toString(c.lastId));
                    }
                    return req.send();
                })
                .onSuccess(res -> {
                    res.handler(reader::onData);
                    res.exceptionHandler(e -> dropped(c, e));
                    res.endHandler(v -> dropped(c, null));
                })
                .onFailure(e -> c.error = e);
    }

    private void dropped(Client c, Throwable e) {
        if (closing || c.ended) {
            return;
        }
        if (e == null && c.lastId == 0) {
            c.ended = true; // ended before its first message: Control Center stopped
            return;
        }
        c.reconnects++;
        connect(c);
    }

    /** How many times dashboards were dropped and reconnected (with Last-Event-ID) since they opened. */
    long reconnects() {
        return clients.stream().mapToLong(c -> c.reconnects).sum();
    }

    /** Starts a new count on every client: each gateway's labels from {@code firstLabels[g]} on, latencies when asked. */
    void reset(long[] firstLabels, boolean latencies) {
        clients.forEach(c -> c.reset(firstLabels, latencies));
    }

    /** Waits until every client has every label below {@code endLabels[g]} of its gateways; false when the wait ran out. */
    boolean awaitLabels(long[] endLabels, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (clients.stream().allMatch(c -> c.complete(endLabels))) {
                return true;
            }
            Thread.sleep(2);
        }
        return false;
    }

    /** Latencies of gateway {@code g}'s labels at every client since the last reset, in nanoseconds, sorted. */
    long[] latencies(int g) {
        return latencies(g, -1);
    }

    /** As {@link #latencies(int)}, at the clients of the Control Center on {@code port} only (-1: all). */
    long[] latencies(int g, int port) {
        // each client's under its lock: a dashboard that reconnected may still be catching up meanwhile
        List<long[]> parts = new ArrayList<>();
        for (Client c : clients) {
            if (c.watches(g) && (port < 0 || c.port == port)) {
                synchronized (c) {
                    parts.add(Arrays.copyOf(c.tracks[g].latencies, c.tracks[g].latencyCount));
                }
            }
        }
        long[] all = new long[parts.stream().mapToInt(part -> part.length).sum()];
        int at = 0;
        for (long[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        Arrays.sort(all);
        return all;
    }

    @Override
    public void close() throws Exception {
        closing = true;
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** What one client got of one gateway; written on the client's event loop, read under the client's lock. */
    static final class Track {
        BitSet seen = new BitSet();
        long firstLabel;
        /** labels below it (from firstLabel) all received: advanced lazily */
        long contiguous;
        long lastLabel = -1;
        long duplicates;
        /** A label after a larger one of the same gateway. */
        long outOfOrder;
        boolean recordLatency;
        long[] latencies = new long[1024];
        int latencyCount;
        volatile long fleetUpdatesFromSync;
        volatile long lastFleetUpdateNanos;

        void reset(long first, boolean latency) {
            seen = new BitSet();
            firstLabel = first;
            contiguous = first;
            lastLabel = -1;
            duplicates = 0;
            outOfOrder = 0;
            recordLatency = latency;
            latencyCount = 0;
        }

        long missing(long endLabel) {
            long n = endLabel - firstLabel;
            return n - seen.get(0, (int) Math.max(0, n)).cardinality();
        }
    }

    /** One dashboard; its counters are written on its event loop and read by the benchmark thread. */
    final class Client {
        final int number;
        /** The gateway it asked for ({@code ?gateway=}), or -1: all. */
        final int gateway;
        final Track[] tracks = new Track[sendNanos.size()];
        /** The port of the Control Center it is a dashboard of. */
        final int port;
        volatile Throwable error;
        volatile boolean ended;
        /** Times Control Center dropped it and it reconnected. */
        volatile long reconnects;
        /** Its request: /api/events, with ?gateway= when it watches one. */
        final String path;
        volatile long messages;
        volatile long lastId;
        /** Messages whose id was not above the one before. */
        private long idsOutOfOrder;
        Client(int number, int gateway, int port, String path) {
            this.number = number;
            this.gateway = gateway;
            this.port = port;
            this.path = path;
            Arrays.setAll(tracks, g -> new Track());
        }

        boolean watches(int g) {
            return gateway < 0 || gateway == g;
        }

        synchronized void reset(long[] first, boolean latency) {
            idsOutOfOrder = 0;
            for (int g = 0; g < tracks.length; g++) {
                tracks[g].reset(first[g], latency);
            }
        }

        synchronized boolean complete(long[] endLabels) {
            for (int g = 0; g < tracks.length; g++) {
                Track t = tracks[g];
                while (watches(g) && t.contiguous < endLabels[g] && t.seen.get((int) (t.contiguous - t.firstLabel))) {
                    t.contiguous++;
                }
                if (watches(g) && t.contiguous < endLabels[g]) {
                    return false;
                }
            }
            return true;
        }

        /** Labels below {@code endLabels[g]} of gateway {@code g} (all of its gateways when g is -1) not received. */
        synchronized long missing(long[] endLabels, int g) {
            long n = 0;
            for (int i = 0; i < tracks.length; i++) {
                n += watches(i) && (g < 0 || g == i) ? tracks[i].missing(endLabels[i]) : 0;
            }
            return n;
        }

        /** Labels received twice, of gateway {@code g} or all (-1). */
        synchronized long duplicates(int g) {
            return sum(g, t -> t.duplicates);
        }

        /** Ids not in order (g -1 only), and labels after a larger one of the same gateway (of g, or all). */
        synchronized long outOfOrder(int g) {
            return (g < 0 ? idsOutOfOrder : 0) + sum(g, t -> t.outOfOrder);
        }

        private long sum(int g, ToLongFunction<Track> f) {
            long n = 0;
            for (int i = 0; i < tracks.length; i++) {
                n += g < 0 || g == i ? f.applyAsLong(tracks[i]) : 0;
            }
            return n;
        }

        /** A complete message (what {@link #reader} kept of it: {@code m}'s first {@code n} bytes), counted and read. */
        synchronized void onMessage(byte[] m, int n, long now) {
            if (n == 0 || m[0] == ':') {
                return; // ": connected", ": heartbeat"
            }
            messages++;
            int at = 0;
            if (startsWith(m, n, 0, SseReader.ID)) {
                long id = number(m, n, SseReader.ID.length);
                if (id <= lastId) {
                    idsOutOfOrder++;
                }
                lastId = id;
                at = SseReader.nextLine(m, n, 0);
            }
            if (!startsWith(m, n, at, SseReader.EVENT)) {
                return;
            }
            int name = at + SseReader.EVENT.length;
            if (startsWith(m, n, name, SESSION_UPDATE_LINE)) {
                int label = indexOf(m, n, LABEL, name);
                int g = gatewayOf(m, n, name);
                if (label >= 0 && g >= 0) {
                    label(tracks[g], g, number(m, n, label + LABEL.length), now);
                }
            } else if (startsWith(m, n, name, FLEET_UPDATE_LINE) && indexOf(m, n, FROM_SYNC, name) >= 0) {
                int g = gatewayOf(m, n, name);
                if (g >= 0) {
                    tracks[g].fleetUpdatesFromSync++;
                    tracks[g].lastFleetUpdateNanos = now;
                }
            }
        }

        private void label(Track t, int g, long label, long now) {
            if (label < t.firstLabel) {
                return;
            }
            int bit = (int) (label - t.firstLabel);
            if (t.seen.get(bit)) {
                t.duplicates++;
                return;
            }
            t.seen.set(bit);
            if (label < t.lastLabel) {
                t.outOfOrder++;
            }
            t.lastLabel = label;
            if (t.recordLatency) {
                if (t.latencyCount == t.latencies.length) {
                    t.latencies = Arrays.copyOf(t.latencies, t.latencies.length * 2);
                }
                t.latencies[t.latencyCount++] = now - sendNanos.get(g)[(int) label];
            }
        }
    }

    /**
     * The number of the gateway the message in {@code m}'s first {@code n} bytes names (its data's first field, after
     * {@code from}), or -1; with one gateway, that one.
     */
    private int gatewayOf(byte[] m, int n, int from) {
        if (sendNanos.size() == 1) {
            return 0;
        }
        int at = indexOf(m, n, GATEWAY, from);
        if (at < 0) {
            return -1;
        }
        int start = at + GATEWAY.length;
        int end = start;
        while (end < n && m[end] != '"') {
            end++;
        }
        Integer g = gateways.get(new String(m, start, end - start, StandardCharsets.ISO_8859_1));
        return g == null ? -1 : g;
    }
}
