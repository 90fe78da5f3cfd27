package io.controlcenter.sse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.controlcenter.support.SseStream;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP server's connections are spread over event loops ({@code http.event-loops}, io.controlcenter.api
 * .HttpEventLoops): new connections are served on more than one thread, each path the same, and stopping Control
 * Center still ends every open stream normally, whichever server it came through.
 */
class SseStreamsOnSeveralEventLoopsTest extends SseTestSupport {

    private static final String PROBE = "/test/event-loop";

    @Test
    void connectionsAreSpreadOverTheEventLoopsAndEveryStreamEndsAtStop() {
        start("http.event-loops", "2");
        assertTrue(threadsServing(8).size() >= 2, "8 connections served on one event loop");

        List<SseStream> streams = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            streams.add(connect(""));
        }
        hub.broadcast(message(1, null));
        for (SseStream s : streams) {
            s.awaitEvents(1, Duration.ofSeconds(5));
        }
        app.close();
        app = null;
        for (SseStream s : streams) {
            await("every stream ended", Duration.ofSeconds(10), () -> s.ended || s.error != null);
            assertNull(s.error, "a response was cut off instead of ended");
            assertEquals(1, s.events.size());
        }
    }

    @Test
    void oneEventLoopWhenAskedFor() {
        start("http.event-loops", "1");
        assertEquals(1, threadsServing(8).size());
    }

    /** The threads that served {@code n} requests, each on a new connection. */
    private Set<String> threadsServing(int n) {
        app.context().hasService(MainHttpServer.class).getRouter().get(PROBE)
                .handler(ctx -> ctx.response().end(Thread.currentThread().getName()));
        Set<String> threads = new HashSet<>();
        for (int i = 0; i < n; i++) {
            threads.add(getOnNewConnection(PROBE));
        }
        return threads;
    }

    private String getOnNewConnection(String path) {
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
