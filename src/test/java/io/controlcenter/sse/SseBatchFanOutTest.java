package io.controlcenter.sse;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broadcast batch goes to each client as one unit of the messages its filter accepts: every client receives exactly
 * those, once, in order; a batch that straddles what the snapshot covered sends only the rest (and the messages
 * without an id), in order; and the slow-client limit (sse.client-buffer) still counts messages, not batches.
 */
class SseBatchFanOutTest extends SseTestSupport {

    private static final String[] GATEWAYS = {"gw-a", "gw-b"};
    private static final String[] SESSIONS = {null, "s1", "s2", "s3"};

    @Test
    void eachClientReceivesWhatItsFilterAcceptsOnceInOrder() {
        start();
        hub.setGateways(List.of(GATEWAYS));
        SseStream all = connect("");
        SseStream gateway = connect("?gateway=gw-a");
        SseStream session = connect("?gateway=gw-a&session=s1");
        await("3 clients", Duration.ofSeconds(5), () -> hub.getClientsConnected() == 3);

        // batches of 1 to 80 mixed messages: two gateways, sessions or none, some without an id (0)
        Random random = new Random(18);
        List<SseMessage> broadcast = new ArrayList<>();
        long id = 0;
        int seq = 0;
        for (int b = 0; b < 25; b++) {
            List<SseMessage> batch = new ArrayList<>();
            int size = b == 0 ? 1 : 1 + random.nextInt(80);
            for (int i = 0; i < size; i++) {
                seq++;
                long messageId = random.nextInt(6) == 0 ? 0 : ++id;
                batch.add(new SseMessage(messageId, "session.update", "{\"seq\":" + seq + "}",
                        GATEWAYS[random.nextInt(2)], SESSIONS[random.nextInt(SESSIONS.length)]));
            }
            if (b == 12) {
                batch.forEach(hub::broadcast); // batches of one as well
            } else {
                hub.broadcast(batch);
            }
            broadcast.addAll(batch);
        }
        // one last message every client accepts: a stream keeps its order, so anything sent twice or that should not
        // have been sent would have come before it
        SseMessage last = new SseMessage(++id, "session.update", "{\"seq\":" + ++seq + "}", "gw-a", "s1");
        hub.broadcast(List.of(last));
        broadcast.add(last);

        List<String> toAll = expected(broadcast, m -> true);
        List<String> toGateway = expected(broadcast, m -> "gw-a".equals(m.gateway()));
        List<String> toSession = expected(broadcast, m -> "gw-a".equals(m.gateway()) && "s1".equals(m.sessionKey()));
        assertTrue(toSession.size() > 20 && toGateway.size() > toSession.size() + 100 && toAll.size() > 800,
                toAll.size() + " / " + toGateway.size() + " / " + toSession.size());
        received(all, toAll);
        received(gateway, toGateway);
        received(session, toSession);

        assertEquals(broadcast.size(), hub.getMessagesBroadcast());
        long sent = toAll.size() + toGateway.size() + toSession.size();
        await(sent + " sent", Duration.ofSeconds(5), () -> hub.getMessagesSent() == sent);
        assertEquals(0, hub.getSlowClientsDropped());
    }

    @Test
    void aBatchStraddlingTheSnapshotSendsOnlyWhatTheSnapshotDidNotCover() {
        start();
        hub.setSnapshot(filter -> List.of(new SseMessage(5, "fleet.update", "{\"snapshot\":5}")));
        SseStream client = connect("");
        hub.broadcast(List.of(message(1, null), message(2, null))); // covered by the snapshot: skipped whole
        hub.broadcast(List.of(message(3, null), unnumbered("a"), message(4, null), message(5, null), message(6, null),
                unnumbered("b"), message(7, null)));
        hub.broadcast(List.of(unnumbered("c")));
        hub.broadcast(List.of(message(8, null)));
        client.awaitEvents(6, Duration.ofSeconds(5));
        await("8 received", Duration.ofSeconds(5), () -> client.events.stream().anyMatch(e -> "8".equals(e.id())));
        assertEquals(List.of("5 {\"snapshot\":5}", "null {\"tag\":\"a\"}", "6 {\"n\":6}",
                "null {\"tag\":\"b\"}", "7 {\"n\":7}", "null {\"tag\":\"c\"}", "8 {\"n\":8}"),
                client.events.stream().map(e -> e.id() + " " + e.data()).toList());
        // the snapshot and the 6 live messages it did not cover
        await("7 sent (" + hub.getMessagesSent() + ")", Duration.ofSeconds(5), () -> hub.getMessagesSent() == 7);
    }

    @Test
    void theClientBufferCountsTheMessagesOfABatch() throws Exception {
        int buffer = 50;
        start("sse.client-buffer", String.valueOf(buffer));
        // receives one message of each batch below: its arrival says the batch has been fanned out
        SseStream signal = connect("?session=signal");
        try (Socket slow = notReading(); Socket later = new Socket()) {
            await("2 clients", Duration.ofSeconds(5), () -> hub.getClientsConnected() == 2);

            // as many messages as the limit, in one batch: the slow client is kept (the limit is checked when the
            // batch is offered, before broadcast returns)
            hub.broadcast(batch(1, buffer));
            signal.awaitEvents(1, Duration.ofSeconds(5));
            assertEquals(0, hub.getSlowClientsDropped());
            assertEquals(2, hub.getClientsConnected());

            // a client with nothing waiting yet, and one batch of one message more than the limit: dropped, although
            // the batch is one offer
            connectNotReading(later);
            await("3 clients", Duration.ofSeconds(5), () -> hub.getClientsConnected() == 3);
            hub.broadcast(batch(buffer + 1, buffer + 1));
            signal.awaitEvents(2, Duration.ofSeconds(5));
            assertEquals(2, hub.getSlowClientsDropped(), String.valueOf(hub.recentDrops()));
            assertEquals(1, hub.getClientsConnected(), "the signal client, which accepted one message, stays");
            assertTrue(hub.recentDrops().stream().anyMatch(d -> d.remote().endsWith(":" + later.getLocalPort())),
                    String.valueOf(hub.recentDrops()));
            assertEquals(List.of((long) buffer, 2L * buffer + 1), signal.ids());
            later.setSoTimeout(10_000);
            assertTrue(readsToTheEnd(later.getInputStream()), "the dropped client's connection is still open");
        }
    }

    /** A message without an id (never skipped as already sent). */
    private static SseMessage unnumbered(String tag) {
        return new SseMessage(0, "session.update", "{\"tag\":\"" + tag + "\"}");
    }

    /** {@code size} messages from id {@code from}, the last one for the signal client's session. */
    private static List<SseMessage> batch(long from, int size) {
        List<SseMessage> batch = new ArrayList<>();
        for (long id = from; id < from + size; id++) {
            batch.add(message(id, id == from + size - 1 ? "signal" : "other"));
        }
        return batch;
    }

    private static List<String> expected(List<SseMessage> broadcast, Predicate<SseMessage> filter) {
        return broadcast.stream().filter(filter).map(SseMessage::data).toList();
    }

    /** Waits for the last expected message, then compares everything received with what was expected. */
    private static void received(SseStream client, List<String> expected) {
        client.awaitEvents(expected.size(), Duration.ofSeconds(10));
        String last = expected.get(expected.size() - 1);
        await("the last message", Duration.ofSeconds(10),
                () -> client.events.stream().anyMatch(e -> e.data().equals(last)));
        assertEquals(expected, client.events.stream().map(SseStream.Event::data).toList());
    }

    /** A client of the stream that never reads, with a tiny receive window. */
    private Socket notReading() throws IOException {
        Socket s = new Socket();
        connectNotReading(s);
        return s;
    }

    private void connectNotReading(Socket s) throws IOException {
        s.setReceiveBufferSize(1024);
        s.connect(new InetSocketAddress("127.0.0.1", app.port()));
        s.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean readsToTheEnd(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        try {
            while (in.read(buf) >= 0) {
                // what the kernel still holds
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
