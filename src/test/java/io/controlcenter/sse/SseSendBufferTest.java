package io.controlcenter.sse;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dashboard that reads for a while and then stops (a frozen browser tab) is dropped once {@code sse.client-buffer}
 * messages wait for it beyond what its socket's limited send buffer ({@code sse.socket-send-buffer}, 256 kB by default)
 * took: within about 1.5 MB here (1 MB of it the messages waiting), where the system's own buffer, grown while it
 * read, took 5 MB (half a minute of a busy stream) before Control Center saw it fall behind.
 */
class SseSendBufferTest extends SseTestSupport {

    private static final int BUFFER = 1_000;
    private static final String PAD = "x".repeat(1000);

    @Test
    void aDashboardThatStopsReadingIsDroppedSoonAfter() throws Exception {
        start("sse.client-buffer", String.valueOf(BUFFER));
        assertEquals(262_144, hub.getSettings().socketSendBuffer(), "the default");
        SseStream fast = connect("");
        try (Socket tab = new Socket()) {
            tab.setReceiveBufferSize(64 * 1024);
            tab.connect(new InetSocketAddress("127.0.0.1", app.port()));
            tab.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            await("2 clients", Duration.ofSeconds(5), () -> hub.getClientsConnected() == 2);
            tab.setSoTimeout(10_000);
            InputStream in = tab.getInputStream();

            // it reads 4 MB as they come (the system grows the connection's buffers meanwhile), then stops
            long sent = 0;
            long read = 0;
            byte[] buf = new byte[256 * 1024];
            while (sent < 4_000) {
                for (int i = 0; i < 10; i++) {
                    hub.broadcast(message(++sent));
                }
                long wanted = sent * PAD.length(); // less than was sent: each message is longer than PAD
                while (read < wanted) {
                    int n = in.read(buf);
                    assertTrue(n > 0, "dropped while it read, after " + sent + " messages");
                    read += n;
                }
                // the other dashboard, on another event loop, keeps up too (within half its buffer)
                fast.awaitEvents((int) Math.max(0, sent - BUFFER / 2), Duration.ofSeconds(10));
            }
            fast.awaitEvents((int) sent, Duration.ofSeconds(10));
            long stoppedAt = sent;
            while (hub.getSlowClientsDropped() == 0) {
                for (int i = 0; i < 10; i++) {
                    hub.broadcast(message(++sent));
                }
                fast.awaitEvents((int) sent, Duration.ofSeconds(10));
                assertTrue(sent - stoppedAt < 20_000, "never dropped (20 MB sent since it stopped reading)");
            }
            // BUFFER messages (1 MB) waiting, besides what the sockets and Vert.x's write queue hold (~0.6 MB)
            long kb = (sent - stoppedAt) * (PAD.length() + 40) / 1024;
            System.out.println("SseSendBufferTest: dropped after " + kb + " kB sent since it stopped reading");
            assertTrue(kb < 2048, "dropped after " + kb + " kB sent since it stopped reading");
            assertEquals(1, hub.getClientsConnected(), "the fast dashboard stays");
        }
    }

    private static SseMessage message(long id) {
        return new SseMessage(id, "agent.update", "{\"n\":" + id + ",\"pad\":\"" + PAD + "\"}");
    }
}
