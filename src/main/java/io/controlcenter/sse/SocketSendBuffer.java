package io.controlcenter.sse;

import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one event stream's connection may hold unsent outside its inbox ({@code sse.socket-send-buffer}).
 * <p>
 * The socket send buffer: left to the system, it grows to megabytes (Linux: {@code net.ipv4.tcp_wmem}, 4 MB): a
 * dashboard that stops reading keeps taking its share of every message for half a minute before Control Center sees
 * it fall behind, and meanwhile costs as much as one that reads (RELIABILITY.md, slow dashboards). Limited (256 kB by
 * default), the stream stops taking data within seconds of the reader stopping, and what waits for it is counted
 * against {@code sse.client-buffer}.
 * <p>
 * Netty's write queue above the socket ({@link #WATER_MARK}: unwritable above 16 kB, writable again below 8 kB, where
 * Netty's default is 64 / 32 kB): a slow dashboard's socket is full most of the time, and each message written to it
 * meanwhile waits in that queue as a handful of objects (the HTTP chunk, its promises, a pooled buffer) that live for
 * seconds, until the dashboard reads or is dropped. With 64 kB that was ~35 kB of live objects per slow dashboard, which
 * every young collection copied: with 100 slow ones of 1,000, the collections' pauses doubled (3.5 → 6.5 ms) and the
 * other dashboards' p99 rose by 5–17 ms. With 16 kB fewer messages wait there and more in the inbox, where they are
 * shared by every client and written together when the socket takes them again.
 */
final class SocketSendBuffer {

    private static final Logger LOG = LoggerFactory.getLogger(SocketSendBuffer.class);
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(8 * 1024, 16 * 1024);

    private SocketSendBuffer() {
    }

    /** Limits {@code connection}'s socket send buffer to {@code bytes}, and Netty's queue above it; 0: the system's. */
    static void limit(HttpConnection connection, int bytes) {
        if (bytes <= 0) {
            return;
        }
        // Vert.x has no per-connection option for them: its connections are Netty channels (ConnectionBase)
        if (connection instanceof ConnectionBase base) {
            base.channel().config().setOption(ChannelOption.SO_SNDBUF, bytes);
            base.channel().config().setWriteBufferWaterMark(WATER_MARK);
        } else {
            LOG.debug("SSE: the send buffer of {} cannot be limited", connection);
        }
    }
}
