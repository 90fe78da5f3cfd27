package io.controlcenter.sse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.stream.LongStream;

import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client reconnecting with Last-Event-ID first receives what it missed from the replay source, then live messages,
 * with no gap and no duplicate although messages keep being stored and broadcast while the replay pages are read.
 */
class SseReplayThenLiveTest extends SseTestSupport {

    private static final long SEEN = 1_000;
    private static final long STORED = 3_000;

    /** The event log: each message is stored before it is broadcast, as the routes do with PostgreSQL. */
    private final List<SseMessage> log = new ArrayList<>();
    private final AtomicInteger replayCalls = new AtomicInteger();
    private final AtomicLong newestReplayed = new AtomicLong();
    private final AtomicBoolean replayDone = new AtomicBoolean();
    private final AtomicLong produced = new AtomicLong(STORED);
    private volatile boolean stop;

    private final SseReplay slowLog = (lastId, limit) -> {
        replayCalls.incrementAndGet();
        sleep(40); // a database round trip, during which broadcasts go on
        List<SseMessage> page;
        synchronized (log) {
            page = log.stream().filter(m -> m.id() > lastId).limit(limit).toList();
        }
        page.forEach(m -> newestReplayed.accumulateAndGet(m.id(), Math::max));
        if (page.size() < limit) {
            replayDone.set(true);
        }
        return page;
    };

    @Test
    void lastEventIdHeaderReplaysThenGoesLiveWithoutGapOrDuplicate() throws Exception {
        replayThenLive(id -> connect("", "Last-Event-ID", String.valueOf(id)));
    }

    @Test
    void lastEventIdQueryParameterDoesTheSame() throws Exception {
        replayThenLive(id -> connect("?lastEventId=" + id));
    }

    private void replayThenLive(LongFunction<SseStream> connect) throws Exception {
        start();
        hub.setReplay(slowLog);
        hub.setSnapshot(session -> List.of(new SseMessage(999_999, "fleet.update", "{}"))); // only for new clients
        for (long id = 1; id <= STORED; id++) {
            store(message(id, null));
        }

        SseStream client = connect.apply(SEEN); // registered: from now on every broadcast is queued for it
        Thread producer = new Thread(() -> {
            while (!stop) {
                long id = produced.incrementAndGet();
                SseMessage m = message(id, null);
                store(m);
                hub.broadcast(m);
                if (id % 5 == 0) {
                    sleep(1);
                }
            }
        });
        producer.start();
        await("replay finished", Duration.ofSeconds(20), replayDone::get);
        long atReplayEnd = produced.get();
        await("500 live messages after the replay", Duration.ofSeconds(10), () -> produced.get() > atReplayEnd + 500);
        stop = true;
        producer.join();
        // one last message: the stream keeps its order, so anything sent twice would have come before it
        long last = produced.incrementAndGet();
        SseMessage marker = message(last, null);
        store(marker);
        hub.broadcast(marker);

        client.awaitEvents((int) (last - SEEN), Duration.ofSeconds(30));
        await("the last message", Duration.ofSeconds(10), () -> client.ids().contains(last));
        assertNull(client.error);
        assertEquals(LongStream.rangeClosed(SEEN + 1, last).boxed().toList(), client.ids(),
                "every id after " + SEEN + " up to " + last + ", once, in order");

        // the handover was really exercised: several pages; the replay returned messages that had also been queued
        // live (broadcast after the client registered), and live messages followed the replay
        assertTrue(replayCalls.get() >= 5, "replay pages read: " + replayCalls.get());
        assertTrue(newestReplayed.get() > STORED, "newest replayed " + newestReplayed.get());
        assertTrue(last > newestReplayed.get(), "newest replayed " + newestReplayed.get() + ", last " + last);
    }

    private void store(SseMessage m) {
        synchronized (log) {
            log.add(m);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
