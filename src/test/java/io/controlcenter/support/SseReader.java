package io.controlcenter.support;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

/**
 * One SSE stream read where it arrives, chunk by chunk, without copying it into records or strings: each chunk is
 * searched for line ends (Netty's indexOf, eight bytes at a time); of a message only its first lines (id, event) are
 * kept, and all of it only for the events named, whose data the {@link Handler} reads; the rest is passed over to the
 * blank line that ends it (a string of every line allocated ~1 GB a second at 900 dashboards, and the reader's own
 * garbage collection pauses were a good part of the latency it measured). Messages are CC's wire form ({@code id:}, {@code event:}, {@code data:} lines, {@code \n}
 * line ends); a comment (": heartbeat") is kept as its first line. Not thread-safe: one stream, one event loop.
 */
public final class SseReader {

    /** What to do with a complete message: its kept bytes are {@code m}'s first {@code n}, its end came at {@code nanos}. */
    @FunctionalInterface
    public interface Handler {
        void message(byte[] m, int n, long nanos);
    }

    public static final byte[] ID = bytes("id: ");
    public static final byte[] EVENT = bytes("event: ");
    private static final byte[] NEWLINE = bytes("\n");
    /** Bytes kept of a message at first; a buffer grown beyond {@code 64 * KEPT} by a large one is let go after it. */
    private static final int KEPT = 1024;

    /** The event lines ({@code NAME\n}) of the messages kept whole. */
    private final List<byte[]> keepWhole;
    private final Handler handler;
    private byte[] kept = new byte[KEPT];
    private int keptLength;
    private int lineStart;
    /** Whether the message's lines so far are all id lines: the event line, still to come, decides the rest. */
    private boolean readingHead = true;
    /** Whether the rest of the message is kept, or only passed over to its end. */
    private boolean keepingAll;
    /** Whether the last byte received ended a line: then a newline ends the message. */
    private boolean atLineStart = true;

    /** A reader keeping the messages of the events {@code keepWhole} whole, giving every message to {@code handler}. */
    public SseReader(List<String> keepWhole, Handler handler) {
        this.keepWhole = keepWhole.stream().map(e -> bytes(e + "\n")).toList();
        this.handler = handler;
    }

    /** The next chunk of the stream: complete messages go to the handler, the start of an incomplete one is kept. */
    public void onData(Buffer chunk) {
        long now = System.nanoTime();
        ByteBuf b = chunk.getByteBuf();
        int at = b.readerIndex();
        int end = b.writerIndex();
        while (at < end) {
            int nl = b.indexOf(at, end, (byte) '\n');
            if (nl < 0) {
                keep(b, at, end);
                atLineStart = false;
                return;
            }
            if (nl == at && atLineStart) {
                handler.message(kept, keptLength, now); // a blank line: the message is complete
                keptLength = 0;
                lineStart = 0;
                readingHead = true;
                keepingAll = false;
                if (kept.length > 64 * KEPT) {
                    kept = new byte[KEPT];
                }
            } else {
                keep(b, at, nl + 1);
                if (readingHead) {
                    headLine();
                }
                atLineStart = true;
            }
            at = nl + 1;
        }
    }

    /** Appends bytes {@code from} to {@code to} of the chunk to the message's kept bytes, while they are kept. */
    private void keep(ByteBuf b, int from, int to) {
        if (!readingHead && !keepingAll) {
            return;
        }
        int n = to - from;
        if (keptLength + n > kept.length) {
            kept = Arrays.copyOf(kept, Math.max(kept.length * 2, keptLength + n));
        }
        b.getBytes(from, kept, keptLength, n);
        keptLength += n;
    }

    /** The line just kept, of the message's first ones: after an id line, read on; an event line decides. */
    private void headLine() {
        if (startsWith(kept, keptLength, lineStart, EVENT)) {
            int name = lineStart + EVENT.length;
            keepingAll = keepWhole.stream().anyMatch(e -> startsWith(kept, keptLength, name, e));
            readingHead = false;
        } else if (!startsWith(kept, keptLength, lineStart, ID)) {
            readingHead = false; // a comment, or data without an event line: nothing more to read in it
        }
        lineStart = keptLength;
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Where the line after the one at {@code at} starts ({@code n} when there is none). */
    public static int nextLine(byte[] m, int n, int at) {
        int nl = indexOf(m, n, NEWLINE, at);
        return nl < 0 ? n : nl + 1;
    }

    /** Whether {@code m}'s first {@code n} bytes hold {@code what} at {@code at}. */
    public static boolean startsWith(byte[] m, int n, int at, byte[] what) {
        if (at + what.length > n) {
            return false;
        }
        for (int i = 0; i < what.length; i++) {
            if (m[at + i] != what[i]) {
                return false;
            }
        }
        return true;
    }

    /** Where {@code what} is first in {@code m}'s first {@code n} bytes from {@code from} on, or -1. */
    public static int indexOf(byte[] m, int n, byte[] what, int from) {
        for (int at = from; at + what.length <= n; at++) {
            if (m[at] == what[0] && startsWith(m, n, at, what)) {
                return at;
            }
        }
        return -1;
    }

    /** The decimal digits at {@code from} as a number (they end at the first other byte). */
    public static long number(byte[] m, int n, int from) {
        long v = 0;
        for (int at = from; at < n && m[at] >= '0' && m[at] <= '9'; at++) {
            v = v * 10 + (m[at] - '0');
        }
        return v;
    }
}
