package io.controlcenter.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The slow-dashboard fault's reader finds each label once, wherever the stream's chunks end. */
class LabelScannerTest {

    private static final String STREAM = ": connected\n\n"
            + "id: 7\nevent: session.update\ndata: {\"key\":\"a=b\",\"label\":\"n=5\",\"x\":\"label\\\"=\"}\n\n"
            + "id: 8\nevent: session.update\ndata: {\"label\":\"n=17\",\"session\":{\"label\":\"n=17\"}}\n\n"
            + "event: agent\ndata: {\"label\":\"m=3\",\"u\":\"?q=1\"}\n\n"
            + "id: 9\nevent: session.update\ndata: {\"label\":\"n=123\"}\n\n";

    @Test
    void findsEveryLabelOnceWhereverTheChunksEnd() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int cut1 = 0; cut1 <= bytes.length; cut1++) {
            for (int cut2 = cut1; cut2 <= bytes.length; cut2 += 7) {
                List<Integer> found = new ArrayList<>();
                LabelScanner scanner = new LabelScanner((i, nanos) -> found.add(i));
                scanner.handle(Buffer.buffer().appendBytes(bytes, 0, cut1));
                scanner.handle(Buffer.buffer().appendBytes(bytes, cut1, cut2 - cut1));
                scanner.handle(Buffer.buffer().appendBytes(bytes, cut2, bytes.length - cut2));
                assertEquals(List.of(5, 17, 123), found, "chunks end at " + cut1 + " and " + cut2);
            }
        }
    }

    @Test
    void findsThemByteByByte() {
        List<Integer> found = new ArrayList<>();
        LabelScanner scanner = new LabelScanner((i, nanos) -> found.add(i));
        for (byte b : STREAM.getBytes(StandardCharsets.UTF_8)) {
            scanner.handle(Buffer.buffer(new byte[] {b}));
        }
        assertEquals(List.of(5, 17, 123), found);
    }
}
