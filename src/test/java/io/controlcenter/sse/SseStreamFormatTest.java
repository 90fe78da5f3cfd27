package io.controlcenter.sse;

import java.time.Duration;
import java.util.List;

import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The stream's headers and wire format: comment first, then id/event/data lines, multi-line data split. */
class SseStreamFormatTest extends SseTestSupport {

    @Test
    void theStreamIsAnEventStreamInTheSseWireFormat() {
        start();
        SseStream client = connect("");
        var headers = client.response.headers();
        assertEquals("text/event-stream", headers.firstValue("content-type").orElse(null));
        assertEquals("no-cache", headers.firstValue("cache-control").orElse(null));
        assertEquals("no", headers.firstValue("x-accel-buffering").orElse(null));
        assertEquals("chunked", headers.firstValue("transfer-encoding").orElse(null));

        hub.broadcast(new SseMessage(7, "fleet.update", "{\"agents\":[]}"));
        hub.broadcast(new SseMessage(8, "chat", "line one\nline two\r\nline three\r", "s1"));
        client.awaitEvents(2, Duration.ofSeconds(5));

        assertEquals(List.of(": connected", "",
                "id: 7", "event: fleet.update", "data: {\"agents\":[]}", "",
                "id: 8", "event: chat", "data: line one", "data: line two", "data: line three", "data: ", ""),
                client.lines);
        assertEquals(new SseStream.Event("8", "chat", "line one\nline two\nline three\n"), client.events.get(1));
    }
}
