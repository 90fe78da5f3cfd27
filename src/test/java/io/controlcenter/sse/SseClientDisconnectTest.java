package io.controlcenter.sse;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Clients that go away are removed from the count and no longer written to; the others carry on. */
class SseClientDisconnectTest extends SseTestSupport {

    @Test
    void clientsThatDisconnectAreRemoved() throws Exception {
        start();
        SseStream stays = connect("");
        SseStream leaves = connect("?session=s1");
        Socket raw = new Socket("127.0.0.1", app.port());
        raw.getOutputStream().write("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        await("3 clients", Duration.ofSeconds(5), () -> hub.getClientsConnected() == 3);

        hub.broadcast(message(1, "s1"));
        stays.awaitEvents(1, Duration.ofSeconds(5));
        leaves.awaitEvents(1, Duration.ofSeconds(5));

        leaves.close();
        await("2 clients after an HTTP client closed its stream", Duration.ofSeconds(5),
                () -> hub.getClientsConnected() == 2);
        raw.close();
        await("1 client after a socket closed", Duration.ofSeconds(5), () -> hub.getClientsConnected() == 1);

        long sentBefore = hub.getMessagesSent();
        hub.broadcast(message(2, "s1"));
        hub.broadcast(message(3, null));
        stays.awaitEvents(3, Duration.ofSeconds(5));
        assertEquals(List.of(1L, 2L, 3L), stays.ids());
        assertEquals(sentBefore + 2, hub.getMessagesSent(), "written only to the client still connected");
        assertEquals(0, hub.getSlowClientsDropped());
    }
}
