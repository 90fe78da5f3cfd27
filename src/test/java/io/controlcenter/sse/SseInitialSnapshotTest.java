package io.controlcenter.sse;

import java.time.Duration;
import java.util.List;

import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client without Last-Event-ID first receives the snapshot, then live messages newer than it; one with
 * Last-Event-ID receives the replay instead.
 */
class SseInitialSnapshotTest extends SseTestSupport {

    @Test
    void aNewClientReceivesTheSnapshotFirst() throws Exception {
        start();
        hub.setSnapshot(session -> List.of(new SseMessage(5, "fleet.update", "{\"agents\":[\"main\"]}")));
        hub.setReplay((lastId, limit) -> lastId < 5 ? List.of(message(5, null)) : List.of());
        SseStream fresh = connect("");
        SseStream resuming = connect("", "Last-Event-ID", "4");
        for (long id = 4; id <= 10; id++) { // 4 and 5 are older than or in the snapshot: not sent again
            hub.broadcast(message(id, null));
        }
        // waits for the last one: a stream keeps its order, so anything sent twice would have come before it
        fresh.awaitEvents(6, Duration.ofSeconds(5));
        resuming.awaitEvents(6, Duration.ofSeconds(5));
        await("10 received by both", Duration.ofSeconds(5), () -> fresh.ids().contains(10L) && resuming.ids().contains(10L));
        assertEquals(List.of(5L, 6L, 7L, 8L, 9L, 10L), fresh.ids());
        assertEquals("fleet.update", fresh.events.get(0).event());
        assertEquals("{\"agents\":[\"main\"]}", fresh.events.get(0).data());
        assertEquals(List.of(5L, 6L, 7L, 8L, 9L, 10L), resuming.ids());
        assertEquals("session.update", resuming.events.get(0).event());
    }
}
