package io.controlcenter.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Context;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each frame of the gateway connection into an exchange, strictly in arrival order on one thread. While the
 * routes fall behind by more than the high watermark, reading from the socket pauses (TCP pushes back on the gateway).
 */
public class OpenClawConsumer extends DefaultConsumer implements GatewayListener {

    /** How long stopping waits for the socket to close (Vert.x closes it after 10 s of close handshake at most). */
    static final int CLOSE_WAIT_SECONDS = 15;
    private static final Logger LOG = LoggerFactory.getLogger(OpenClawConsumer.class);

    private final OpenClawEndpoint endpoint;
    private final AtomicInteger queued = new AtomicInteger();
    private final int highWatermark;
    private ExecutorService executor;
    /** Whether reading from the socket is paused: written on the event loop only ({@link #checkReading}). */
    private volatile boolean paused;
    private final AtomicBoolean checkScheduled = new AtomicBoolean();

    public OpenClawConsumer(OpenClawEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.highWatermark = endpoint.getClient().getConfiguration().frameQueueHighWatermark();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // One thread with a FIFO queue. Not a Camel thread pool: its profiles hand a task that finds the queue full
        // (or no queue) back to the caller, which would run frames on the event loop, out of order. The high
        // watermark pauses the socket instead, so this queue stays bounded in practice.
        String name = "openclaw-" + endpoint.getGateway();
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        endpoint.getClient().attach(this);
    }

    /**
     * Closes the connection and returns once its socket is closed (at most {@link #CLOSE_WAIT_SECONDS}): when this
     * consumer stops because the instance no longer leads the gateway, the lock or lease is released after this, so the
     * next leader never connects while this connection is still open.
     */
    @Override
    protected void doStop() throws Exception {
        CompletableFuture<Void> closed = endpoint.getClient().detach();
        if (!Context.isOnEventLoopThread()) {
            try {
                closed.get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                LOG.warn("Gateway {}: the connection did not close within {} s", endpoint.getGateway(),
                        CLOSE_WAIT_SECONDS);
            }
        }
        if (executor != null) { // null when the start failed before this consumer started (stopped all the same)
            executor.shutdown();
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        }
        super.doStop();
    }

    @Override
    public void onConnected(long connection, String connId, Map<String, Object> hello) {
        deliver(lifecycle(OpenClawConstants.LIFECYCLE_CONNECTED, connId, hello), null);
    }

    @Override
    public void onFrame(long connection, String connId, Frame frame, long receivedAt) {
        if (frame.event() != null && OpenClawConstants.FRAME_EVENT.equals(frame.type()) && endpoint.skips(frame.event())) {
            return; // counted and checked for gaps already: no route uses it (skipEvents)
        }
        Exchange exchange = createExchange(false);
        Message in = exchange.getMessage();
        in.setHeader(OpenClawConstants.GATEWAY, endpoint.getGateway());
        in.setHeader(OpenClawConstants.FRAME_TYPE, frame.type());
        in.setHeader(OpenClawConstants.CONN_ID, connId);
        in.setHeader(OpenClawConstants.RECEIVED_AT, receivedAt);
        if (frame.event() != null) {
            in.setHeader(OpenClawConstants.EVENT, frame.event());
        }
        if (frame.seq() != null) {
            in.setHeader(OpenClawConstants.SEQ, frame.seq());
        }
        if (frame.id() != null) {
            in.setHeader(OpenClawConstants.REQUEST_ID, frame.id());
        }
        in.setBody(frame.fields());
        exchange.setProperty(OpenClawConstants.FRAME, frame);
        deliver(exchange, null);
    }

    @Override
    public void onResync(long connection, String connId, long expected, long received) {
        deliver(lifecycle(OpenClawConstants.LIFECYCLE_RESYNC, connId, Map.of("expected", expected, "received", received)),
                null);
    }

    @Override
    public void onDisconnected(long connection, int code, String reason, GatewayState state) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("reason", reason);
        body.put("state", state.name().toLowerCase());
        // calls of that connection fail only after every frame it delivered has been handled
        deliver(lifecycle(OpenClawConstants.LIFECYCLE_DISCONNECTED, null, body),
                () -> endpoint.getClient().failPendingCalls(connection, code, reason));
    }

    private Exchange lifecycle(String name, String connId, Map<String, Object> body) {
        Exchange exchange = createExchange(false);
        Message in = exchange.getMessage();
        in.setHeader(OpenClawConstants.GATEWAY, endpoint.getGateway());
        in.setHeader(OpenClawConstants.FRAME_TYPE, OpenClawConstants.FRAME_LIFECYCLE);
        in.setHeader(OpenClawConstants.EVENT, name);
        in.setHeader(OpenClawConstants.RECEIVED_AT, System.currentTimeMillis());
        if (connId != null) {
            in.setHeader(OpenClawConstants.CONN_ID, connId);
        }
        in.setBody(body);
        return exchange;
    }

    private void deliver(Exchange exchange, Runnable after) {
        if (queued.incrementAndGet() > highWatermark && !paused) {
            adjustReading();
        }
        executor.execute(() -> {
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error handling gateway frame", exchange, exchange.getException());
            }
            releaseExchange(exchange, false);
            if (after != null) {
                after.run();
            }
            if (queued.decrementAndGet() < highWatermark / 2 && paused) {
                adjustReading();
            }
        });
    }

    /**
     * Pauses or resumes reading from the socket, decided on the connection's event loop from the frames waiting then.
     * Both decisions are made there, one at a time: when this thread paused and the frame thread resumed on their own,
     * a resume could reach the socket before the pause it answered, and the socket stayed paused for good (a flooding
     * gateway's events stopped; TenGatewaysTest, once in CI).
     */
    private void adjustReading() {
        if (checkScheduled.compareAndSet(false, true)) {
            endpoint.getClient().onEventLoop(this::checkReading);
        }
    }

    private void checkReading() {
        checkScheduled.set(false);
        GatewayClient client = endpoint.getClient();
        if (!paused && queued.get() > highWatermark) {
            paused = true;
            client.pause(true);
        }
        // read after writing paused: the frame thread's decrement either is seen here or sees paused and asks again
        if (paused && queued.get() < highWatermark / 2) {
            paused = false;
            client.pause(false);
        }
    }
}
