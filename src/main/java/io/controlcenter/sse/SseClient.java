package io.controlcenter.sse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open event stream. Broadcasts are queued from any thread into a bounded inbox ({@link #offer}), one
 * {@link SseBatch.Unit} per broadcast batch (the batch's messages this client accepts): one offer per batch, not per
 * message, because per-message offers to 1,000 clients at ~2,500 messages/s were ~2.5 million a second on the
 * broadcasting thread, plus as many polls on the event loops. The inbox's bound ({@code sse.client-buffer}) still
 * counts messages. Everything else runs on the event loop of the client's connection: the replay or snapshot first,
 * then the inbox, written while Vert.x's write queue has room and resumed by its drain handler.
 */
final class SseClient {

    private static final Logger LOG = LoggerFactory.getLogger(SseClient.class);
    private static final byte[] CONNECTED = ": connected\n\n".getBytes();
    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes();
    /** Bytes written at once at most. */
    private static final int CHUNK = 64 * 1024;

    private enum Mode { REPLAY, SNAPSHOT, LIVE }

    /** A message encoded once for all the clients it goes to. */
    record Encoded(long id, byte[] bytes) {
        static Encoded of(SseMessage m) {
            return new Encoded(m.id(), m.wireBytes());
        }
    }

    private final SseHub hub;
    private final HttpServerResponse response;
    private final Context context;
    private final SseFilter filter;
    private final String remote;
    private final int limit;
    private final ConcurrentLinkedQueue<SseBatch.Unit> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The connection took no more (Vert.x's write queue full): the drain handler pumps, an offer need not. */
    private volatile boolean awaitingDrain;

    // event-loop confined
    private final ArrayDeque<Encoded> preface = new ArrayDeque<>();
    private Mode mode = Mode.LIVE;
    private SseReplay replay;
    private SseSnapshot snapshot;
    private boolean fetching;
    private long cursor;
    /** Largest id already covered by the replay or snapshot: live messages up to it are not sent again. */
    private long sentUpTo;
    private long heartbeatTimer = -1;

    SseClient(SseHub hub, HttpServerResponse response, Context context, SseFilter filter, String remote, int limit) {
        this.hub = hub;
        this.response = response;
        this.context = context;
        this.filter = filter;
        this.remote = remote;
        this.limit = limit;
    }

    String remote() {
        return remote;
    }

    SseFilter filter() {
        return filter;
    }

    boolean accepts(SseMessage m) {
        return filter.accepts(m);
    }

    /** On the event loop, once registered: the first comment, the heartbeat, then replay, snapshot or live. */
    void begin(Long lastEventId, SseReplay replay, SseSnapshot snapshot, long heartbeatMs) {
        response.write(Buffer.buffer(CONNECTED));
        heartbeatTimer = context.owner().setPeriodic(heartbeatMs, t -> heartbeat());
        if (lastEventId != null && replay != null) {
            this.replay = replay;
            mode = Mode.REPLAY;
            cursor = lastEventId;
            sentUpTo = lastEventId;
        } else {
            // no replay source: a resuming client gets the snapshot too, and nothing it already has
            sentUpTo = lastEventId == null ? 0 : lastEventId;
            if (snapshot != null) {
                this.snapshot = snapshot;
                mode = Mode.SNAPSHOT;
            }
        }
        pump();
    }

    /**
     * From the broadcasting thread: the messages of one batch this client accepts. False when more than the limit
     * ({@code sse.client-buffer}) in messages would be waiting: the client is too slow and must go.
     */
    boolean offer(SseBatch.Unit unit) {
        if (closed.get()) {
            return true;
        }
        if (queued.addAndGet(unit.size()) > limit) {
            return false;
        }
        inbox.add(unit);
        // a reader that stopped costs no task per batch: the drain handler takes what waits (added before this check)
        if (!awaitingDrain && pumpScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> pump());
        }
        return true;
    }

    /**
     * Writes what is waiting while the connection takes it; the drain handler calls it again. Messages waiting
     * together go out as one write (up to {@link #CHUNK} bytes): a write per message cost most of the event loop's
     * time under load (BENCHMARKS.md). The write wraps the messages' encoded bytes, shared by every client, instead
     * of copying them into a buffer per client (a quarter of all allocation under load). A unit goes out whole, in
     * the same write, even when that takes the write over {@link #CHUNK}.
     */
    void pump() {
        pumpScheduled.set(false);
        awaitingDrain = false;
        if (closed.get()) {
            return;
        }
        List<byte[]> chunk = new ArrayList<>();
        int bytes = 0;
        while (!response.writeQueueFull()) {
            Encoded e = preface.poll();
            if (e != null) {
                chunk.add(e.bytes());
                bytes += e.bytes().length;
            } else {
                if (mode != Mode.LIVE) {
                    if (!fetching) {
                        fetch();
                    }
                    break;
                }
                SseBatch.Unit unit = inbox.poll();
                if (unit == null) {
                    break;
                }
                queued.addAndGet(-unit.size());
                bytes += add(unit, chunk);
            }
            if (bytes >= CHUNK) {
                write(chunk);
                chunk.clear();
                bytes = 0;
            }
        }
        write(chunk);
        awaitingDrain = response.writeQueueFull();
    }

    /** Adds the unit's messages to {@code chunk}, in order, but those the replay or snapshot sent; their bytes. */
    private int add(SseBatch.Unit unit, List<byte[]> chunk) {
        Encoded[] messages = unit.messages();
        if (unit.smallestId() > sentUpTo) { // none already sent: the usual case
            for (Encoded e : messages) {
                chunk.add(e.bytes());
            }
            return unit.bytes();
        }
        int bytes = 0;
        for (Encoded e : messages) {
            if (e.id() <= 0 || e.id() > sentUpTo) {
                chunk.add(e.bytes());
                bytes += e.bytes().length;
            }
        }
        return bytes;
    }

    private void write(List<byte[]> chunk) {
        if (!chunk.isEmpty()) {
            hub.countSent(chunk.size());
            response.write(Buffer.buffer(Unpooled.wrappedBuffer(chunk.toArray(new byte[0][]))));
        }
    }

    /** The next replay page, or the snapshot, on a worker thread; written in order, before any live message. */
    private void fetch() {
        fetching = true;
        Mode fetchingFor = mode;
        long after = cursor;
        Future<List<SseMessage>> page = context.executeBlocking(() -> fetchingFor == Mode.REPLAY
                ? replay.since(after, SseHub.REPLAY_PAGE) : snapshot.snapshot(filter), false);
        page.onComplete(ar -> {
            fetching = false;
            if (closed.get()) {
                return;
            }
            if (ar.failed()) {
                LOG.warn("SSE client {}: {} failed ({}); closing the stream so it reconnects", remote,
                        fetchingFor == Mode.REPLAY ? "replay after id " + after : "snapshot", String.valueOf(ar.cause()));
                hub.closed(this);
                disconnect();
                return;
            }
            List<SseMessage> messages = ar.result() == null ? List.of() : ar.result();
            if (fetchingFor == Mode.REPLAY) {
                for (SseMessage m : messages) {
                    if (m.id() > cursor) {
                        cursor = m.id();
                        if (accepts(m)) {
                            preface.add(Encoded.of(m));
                        }
                    }
                }
                sentUpTo = Math.max(sentUpTo, cursor);
                if (messages.size() < SseHub.REPLAY_PAGE) {
                    mode = Mode.LIVE;
                } else if (cursor == after) {
                    LOG.warn("SSE client {}: the replay source returned a full page without a newer id than {}; "
                            + "going live", remote, after);
                    mode = Mode.LIVE;
                }
            } else {
                for (SseMessage m : messages) {
                    sentUpTo = Math.max(sentUpTo, m.id());
                    if (accepts(m)) {
                        preface.add(Encoded.of(m));
                    }
                }
                mode = Mode.LIVE;
            }
            pump();
        });
    }

    private void heartbeat() {
        if (!closed.get() && !response.writeQueueFull()) {
            response.write(Buffer.buffer(HEARTBEAT));
        }
    }

    /** Marks it closed; true only for the first caller. */
    boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    /** The connection is gone (the client left, or an error): forget what was waiting. */
    void onClosed() {
        closed.set(true);
        context.runOnContext(v -> release());
    }

    /** Drops the connection without ending the stream (a slow client: its unsent data is thrown away). */
    void disconnect() {
        closed.set(true);
        context.runOnContext(v -> {
            release();
            response.close();
        });
    }

    /** Ends the stream normally (Camel stops). */
    Future<Void> end() {
        closed.set(true);
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            release();
            if (!response.ended() && !response.closed()) {
                response.end().onComplete(done);
            } else {
                done.tryComplete();
            }
        });
        return done.future();
    }

    private void release() {
        if (heartbeatTimer >= 0) {
            context.owner().cancelTimer(heartbeatTimer);
            heartbeatTimer = -1;
        }
        preface.clear();
        inbox.clear();
        queued.set(0);
    }

    @Override
    public String toString() {
        return remote + filter;
    }
}
