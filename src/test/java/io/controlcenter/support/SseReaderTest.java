package io.controlcenter.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The dashboards' reader of the fault tests and benchmarks gives every message once, whole for the events it keeps
 * and by its first lines for the others, wherever the stream's chunks end.
 */
class SseReaderTest {

    private static final String UPDATE_7 = "id: 7\nevent: session.update\ndata: {\"key\":\"a=b\",\"label\":\"n=5\"}\n";
    private static final String UPDATE_9 = "id: 9\nevent: session.update\ndata: {\"label\":\"n=123\"}\n";
    private static final String STREAM = ": connected\n\n"
            + UPDATE_7 + "\n"
            + "id: 8\nevent: agent\ndata: {\"label\":\"n=17\",\"u\":\"?q=1\"}\n\n"
            + UPDATE_9 + "\n";
    /** What the reader gives: comments and others by their first lines, session.update whole. */
    private static final List<String> MESSAGES =
            List.of(": connected\n", UPDATE_7, "id: 8\nevent: agent\n", UPDATE_9);

    @Test
    void givesEveryMessageOnceWhereverTheChunksEnd() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int cut1 = 0; cut1 <= bytes.length; cut1++) {
            for (int cut2 = cut1; cut2 <= bytes.length; cut2 += 7) {
                List<String> got = new ArrayList<>();
                SseReader reader = reader(got);
                reader.onData(Buffer.buffer().appendBytes(bytes, 0, cut1));
                reader.onData(Buffer.buffer().appendBytes(bytes, cut1, cut2 - cut1));
                reader.onData(Buffer.buffer().appendBytes(bytes, cut2, bytes.length - cut2));
                assertEquals(MESSAGES, got, "chunks end at " + cut1 + " and " + cut2);
            }
        }
    }

    @Test
    void givesThemByteByByte() {
        List<String> got = new ArrayList<>();
        SseReader reader = reader(got);
        for (byte b : STREAM.getBytes(StandardCharsets.UTF_8)) {
            reader.onData(Buffer.buffer(new byte[] {b}));
        }
        assertEquals(MESSAGES, got);
    }

    @Test
    void readsALabelsNumberInAKeptMessage() {
        byte[] m = UPDATE_9.getBytes(StandardCharsets.UTF_8);
        byte[] label = SseReader.bytes("\"label\":\"n=");
        int at = SseReader.indexOf(m, m.length, label, 0);
        assertEquals(123, SseReader.number(m, m.length, at + label.length));
        assertEquals(-1, SseReader.indexOf(m, m.length, SseReader.bytes("\"key\""), 0));
    }

    private static SseReader reader(List<String> got) {
        return new SseReader(List.of("session.update"),
                (m, n, nanos) -> got.add(new String(m, 0, n, StandardCharsets.UTF_8)));
    }
}
