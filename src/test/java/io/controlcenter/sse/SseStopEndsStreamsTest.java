package io.controlcenter.sse;

import java.time.Duration;

import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Stopping the application ends open streams normally (the response ends; it is not cut off). */
class SseStopEndsStreamsTest extends SseTestSupport {

    @Test
    void stoppingCamelEndsOpenStreams() {
        start();
        SseStream client = connect("");
        hub.broadcast(message(1, null));
        client.awaitEvents(1, Duration.ofSeconds(5));

        app.close();
        await("the stream ended", Duration.ofSeconds(10), () -> client.ended || client.error != null);
        assertNull(client.error, "the response was cut off instead of ended");
        assertEquals(1, client.events.size());
        app = null;
    }
}
