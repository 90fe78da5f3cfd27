package io.controlcenter.sse;

import java.time.Duration;
import java.util.List;

import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ?session=KEY receives only that session's messages; a client without it receives everything. */
class SseSessionFilterTest extends SseTestSupport {

    @Test
    void aSessionClientReceivesOnlyItsSessionsMessages() throws Exception {
        start();
        SseStream one = connect("?session=agent%3Amain%3Aone");
        SseStream two = connect("?session=agent:main:two");
        SseStream all = connect("");

        String[] keys = {null, "agent:main:one", "agent:main:two"}; // by id % 3
        for (long id = 1; id <= 300; id++) {
            hub.broadcast(message(id, keys[(int) (id % 3)]));
        }

        // one last message for each client: a stream keeps its order, so what must not come would have come before it
        hub.broadcast(message(301, keys[1]));
        hub.broadcast(message(302, keys[2]));
        hub.broadcast(message(303, null));
        all.awaitEvents(303, Duration.ofSeconds(10));
        one.awaitEvents(101, Duration.ofSeconds(10));
        two.awaitEvents(101, Duration.ofSeconds(10));
        assertEquals(ids(1, 303, 1), all.ids());
        assertEquals(ids(1, 301, 3), one.ids());
        assertEquals(ids(2, 302, 3), two.ids());
    }

    private static List<Long> ids(long from, long to, long step) {
        return java.util.stream.LongStream.iterate(from, i -> i <= to, i -> i + step).boxed().toList();
    }
}
