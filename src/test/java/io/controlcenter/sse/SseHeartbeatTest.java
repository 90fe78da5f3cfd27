package io.controlcenter.sse;

import java.time.Duration;

import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An idle stream carries a heartbeat comment every sse.heartbeat. */
class SseHeartbeatTest extends SseTestSupport {

    @Test
    void anIdleStreamReceivesHeartbeatComments() {
        start("sse.heartbeat", "200");
        assertEquals(200, hub.getHeartbeatMillis());
        SseStream client = connect("");
        long start = System.nanoTime();
        await("3 heartbeats", Duration.ofSeconds(5),
                () -> client.comments.stream().filter("heartbeat"::equals).count() >= 3);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 350, "3 heartbeats after " + ms + " ms with a 200 ms heartbeat");
        assertTrue(client.events.isEmpty(), "heartbeats are comments, not events: " + client.events);
    }
}
