package io.controlcenter.sse;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Two clients each receive 10,000 broadcast messages, complete and in order. */
class SseTwoClientsReceiveAllInOrderTest extends SseTestSupport {

    @Test
    void bothClientsReceiveEveryMessageInOrder() {
        start();
        SseStream a = connect("");
        SseStream b = connect("");
        assertEquals(2, hub.getClientsConnected());

        int n = 10_000;
        for (long id = 1; id <= n; id++) {
            hub.broadcast(new SseMessage(id, "agent.update", "{\"agent\":\"a" + id + "\",\"seq\":" + id + "}"));
        }

        List<Long> expected = LongStream.rangeClosed(1, n).boxed().toList();
        for (SseStream client : List.of(a, b)) {
            client.awaitEvents(n, Duration.ofSeconds(30));
            assertEquals(expected, client.ids());
            SseStream.Event last = client.events.get(n - 1);
            assertEquals("agent.update", last.event());
            assertEquals("{\"agent\":\"a" + n + "\",\"seq\":" + n + "}", last.data());
        }
        assertEquals(n, hub.getMessagesBroadcast());
        assertEquals(2L * n, hub.getMessagesSent());
        assertEquals(0, hub.getSlowClientsDropped());
    }
}
