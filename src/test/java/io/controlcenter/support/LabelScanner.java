package io.controlcenter.support;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Finds the {@link EventFeed} labels ({@code "label":"n=<i>"}) in one SSE stream as its chunks arrive, the first of
 * each line only, without copying the stream into lines or strings: it jumps from one {@code '='} to the next (Netty's
 * indexOf, eight bytes at a time) and looks at the bytes before it, across chunk boundaries. A reader that made a
 * string of every line allocated ~1 GB a second at 900 dashboards, and its own garbage collection pauses (7–28 ms,
 * twice a second) were a good part of the latency it measured. Not thread-safe: one stream, one event loop.
 */
final class LabelScanner implements Handler<Buffer> {

    /** Where a label {@code i} arrived (System.nanoTime when its chunk came). */
    @FunctionalInterface
    interface Sink {
        void label(int i, long nanos);
    }

    /** What precedes the {@code '='} of a label. */
    private static final byte[] BEFORE = "\"label\":\"n".getBytes(StandardCharsets.US_ASCII);

    private final Sink sink;
    /** The last bytes of the chunks before (as many as {@link #BEFORE} has at most). */
    private final byte[] tail = new byte[BEFORE.length];
    private int tailLength;
    /** The digits of a label's number so far; -1: not in one. */
    private int number = -1;
    /** Whether this line had its label: the rest of it is passed over. */
    private boolean lineDone;

    LabelScanner(Sink sink) {
        this.sink = sink;
    }

    @Override
    public void handle(Buffer chunk) {
        long now = System.nanoTime();
        ByteBuf b = chunk.getByteBuf();
        int start = b.readerIndex();
        int end = b.writerIndex();
        int at = start;
        while (at < end) {
            if (number >= 0) {
                byte c = b.getByte(at++);
                if (c >= '0' && c <= '9') {
                    number = number * 10 + (c - '0');
                    continue;
                }
                if (c == '"') {
                    sink.label(number, now);
                    lineDone = true;
                }
                number = -1;
            } else if (lineDone) {
                int nl = b.indexOf(at, end, (byte) '\n');
                lineDone = nl < 0;
                at = nl < 0 ? end : nl + 1;
            } else {
                int eq = b.indexOf(at, end, (byte) '=');
                if (eq < 0) {
                    break;
                }
                if (labelBefore(b, start, eq)) {
                    number = 0;
                }
                at = eq + 1;
            }
        }
        keepTail(b, start, end);
    }

    /** Whether the bytes before {@code eq} (in this chunk from {@code start}, then in the tail) are {@link #BEFORE}. */
    private boolean labelBefore(ByteBuf b, int start, int eq) {
        for (int k = 1; k <= BEFORE.length; k++) {
            int pos = eq - k;
            byte c;
            if (pos >= start) {
                c = b.getByte(pos);
            } else if (start - pos <= tailLength) {
                c = tail[tailLength - (start - pos)];
            } else {
                return false;
            }
            if (c != BEFORE[BEFORE.length - k]) {
                return false;
            }
        }
        return true;
    }

    private void keepTail(ByteBuf b, int start, int end) {
        int n = end - start;
        if (n >= tail.length) {
            b.getBytes(end - tail.length, tail);
            tailLength = tail.length;
            return;
        }
        int keep = Math.min(tailLength, tail.length - n); // the newest of the old tail, then the chunk
        System.arraycopy(tail, tailLength - keep, tail, 0, keep);
        b.getBytes(start, tail, keep, n);
        tailLength = keep + n;
    }
}
