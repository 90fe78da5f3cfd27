package io.controlcenter.sse;

import io.netty.channel.ChannelOption;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket send buffer of one event stream ({@code sse.socket-send-buffer}). Left to the system, it grows to
 * megabytes (Linux: {@code net.ipv4.tcp_wmem}, 4 MB): a dashboard that stops reading keeps taking its share of every
 * message for half a minute before Control Center sees it fall behind, and meanwhile costs as much as one that reads
 * (RELIABILITY.md, slow dashboards). Limited (256 kB by default), the stream stops taking data within seconds of the
 * reader stopping, and what waits for it is counted against {@code sse.client-buffer}.
 */
final class SocketSendBuffer {

    private static final Logger LOG = LoggerFactory.getLogger(SocketSendBuffer.class);

    private SocketSendBuffer() {
    }

    /** Limits {@code connection}'s socket send buffer to {@code bytes}; 0 leaves it to the system. */
    static void limit(HttpConnection connection, int bytes) {
        if (bytes <= 0) {
            return;
        }
        // Vert.x has no per-connection option for it: its connections are Netty channels (ConnectionBase)
        if (connection instanceof ConnectionBase base) {
            base.channel().config().setOption(ChannelOption.SO_SNDBUF, bytes);
        } else {
            LOG.debug("SSE: the send buffer of {} cannot be limited", connection);
        }
    }
}
