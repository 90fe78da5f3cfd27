package io.controlcenter.sse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.LongStream;

import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading is disconnected once sse.client-buffer messages wait for it, counted and logged once,
 * while a fast client keeps receiving everything.
 */
class SseSlowClientDroppedTest extends SseTestSupport {

    private static final int BUFFER = 500;
    private static final int ROUND = 100;
    private static final String PAYLOAD = "x".repeat(4096);

    @Test
    void aClientThatDoesNotReadIsDroppedAndTheOthersAreNotSlowed() throws Exception {
        start("sse.client-buffer", String.valueOf(BUFFER));
        SseStream fast = connect("");
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(stderr, log), true, StandardCharsets.UTF_8));
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(1024); // tiny window, and it never reads
            slow.connect(new InetSocketAddress("127.0.0.1", app.port()));
            slow.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            await("2 clients", Duration.ofSeconds(5), () -> hub.getClientsConnected() == 2);

            // the producer goes on at the fast client's pace until the slow one has been dropped, then a bit more
            long sent = 0;
            long afterDrop = -1;
            while (afterDrop < 0 || sent < afterDrop + 5 * ROUND) {
                for (int i = 0; i < ROUND; i++) {
                    sent++;
                    hub.broadcast(new SseMessage(sent, "agent.update", "{\"n\":" + sent + ",\"pad\":\"" + PAYLOAD + "\"}"));
                }
                fast.awaitEvents((int) sent, Duration.ofSeconds(10));
                if (afterDrop < 0 && hub.getSlowClientsDropped() > 0) {
                    afterDrop = sent;
                }
                assertTrue(sent < 50_000, "the slow client was never dropped (200 MB sent)");
            }

            assertEquals(1, hub.getSlowClientsDropped());
            assertEquals(1, hub.getClientsConnected());
            // what the dashboard's "needs attention" lists: when, and which client
            assertEquals(1, hub.recentDrops().size());
            assertTrue(hub.recentDrops().get(0).remote().endsWith(":" + slow.getLocalPort()), String.valueOf(hub.recentDrops()));
            assertEquals(sent, hub.getMessagesBroadcast());
            Thread.sleep(200);
            assertEquals(LongStream.rangeClosed(1, sent).boxed().toList(), fast.ids(), "the fast client got everything");
            // dropped after at most: kernel socket buffers (a few MB on loopback) + Vert.x's write queue + BUFFER
            assertTrue(afterDrop * PAYLOAD.length() < 64L * 1024 * 1024, "dropped only after " + afterDrop + " messages");

            // the server closed the slow connection: reading what the kernel still holds ends in EOF or a reset
            slow.setSoTimeout(10_000);
            assertTrue(readsToTheEnd(slow.getInputStream()), "the slow client's connection is still open");

            String warnings = log.toString(StandardCharsets.UTF_8);
            String port = String.valueOf(slow.getLocalPort());
            long warns = warnings.lines().filter(l -> l.contains("WARN") && l.contains("too slow")).count();
            assertEquals(1, warns, warnings);
            assertTrue(warnings.lines().anyMatch(l -> l.contains("too slow") && l.contains(":" + port)),
                    "the warning names the client " + port + ": " + warnings);
        } finally {
            System.setErr(stderr);
        }
    }

    private static boolean readsToTheEnd(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        try {
            while (in.read(buf) >= 0) {
                Arrays.fill(buf, (byte) 0);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** Copies what is written to stderr into a buffer as well, to read the log. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
        }
    }
}
