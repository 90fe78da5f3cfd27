package io.controlcenter.sse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.controlcenter.ops.Meters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Server-Sent Events hub: {@code GET /api/events} (setting {@code sse.path}) on Camel's own HTTP server, and
 * {@link #broadcast(SseMessage)} for the routes ({@code bean: {ref: sseHub, method: broadcast}}).
 * <p>
 * Broadcasting never blocks, and fans out per batch, not per message: {@link #broadcast(List)} encodes each message of
 * a stored batch once, and queues to each client, with one offer, the messages of the batch its filter matches (all
 * the clients without a filter share one such unit). Offering each message to each client was ~2.5 million offers a
 * second on the fleet batcher's thread with 1,000 dashboards at 5,000 gateway events/s (~2,500 stored messages/s),
 * and dashboards fell 13 seconds behind. Each client is written on its connection's event loop while Vert.x's write
 * queue has room. A client with more than {@code sse.client-buffer} messages waiting (counted in messages, not units)
 * is disconnected (it reconnects with {@code Last-Event-ID} and catches up from the replay source); one batch of more
 * messages than that drops every client it goes to, so the limit must stay above the largest batch. A client that
 * sends {@code Last-Event-ID} first receives the messages after that id from the {@link SseReplay}, one without it
 * (or when no replay source is set) the {@link SseSnapshot}; live messages that arrive meanwhile are held and sent
 * after, those the replay or snapshot already covered (by id) skipped.
 */
@ManagedResource(description = "Server-Sent Events hub (GET /api/events)")
public class SseHub extends ServiceSupport implements CamelContextAware, MeterBinder {

    public static final String BEAN_NAME = "sseHub";
    public static final String LAST_EVENT_ID = "Last-Event-ID";
    /** Messages asked from the replay source at a time. */
    static final int REPLAY_PAGE = 500;
    private static final Logger LOG = LoggerFactory.getLogger(SseHub.class);

    private final SseSettings settings;
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private final AtomicLong messagesBroadcast = new AtomicLong();
    private final LongAdder messagesSent = new LongAdder();
    private final SlowClients slowClients = new SlowClients();
    private volatile SseReplay replay;
    private volatile SseSnapshot snapshot;
    /** The gateways {@code ?gateway=} may name; null: any. */
    private volatile List<String> gateways;
    private CamelContext camelContext;
    private Route route;

    public SseHub(SseSettings settings) {
        this.settings = settings;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** Where reconnecting clients' missed messages come from; {@code null}: no replay. */
    public void setReplay(SseReplay replay) {
        this.replay = replay;
    }

    /** What new clients receive first; {@code null}: nothing. */
    /** The gateway names {@code ?gateway=} may ask for; another answers 404. */
    public void setGateways(List<String> gateways) {
        this.gateways = gateways;
    }

    public void setSnapshot(SseSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    public SseSettings getSettings() {
        return settings;
    }

    /** Attaches the stream to Camel's HTTP server router, which exists once the server has started. */
    @Override
    protected void doStart() {
        VertxPlatformHttpRouter router = router();
        if (router == null) {
            LOG.warn("SSE: Camel's HTTP server is not running (camel.server.enabled); GET {} is not served",
                    settings.path());
            return;
        }
        route = router.get(settings.path()).handler(this::accept);
        // listed in Camel's "HTTP endpoints summary" with the platform-http routes
        camelContext.getComponent("platform-http", PlatformHttpComponent.class)
                .addHttpEndpoint(settings.path(), "GET", null, "text/event-stream", null);
        LOG.info("SSE: GET {} (heartbeat {} ms, client buffer {} messages)", settings.path(), settings.heartbeatMs(),
                settings.clientBuffer());
    }

    /** Ends every open stream (clients see the end of the response) and detaches the route. */
    @Override
    protected void doStop() {
        if (route != null) {
            route.remove();
            route = null;
            PlatformHttpComponent http = camelContext.hasComponent("platform-http") instanceof PlatformHttpComponent c
                    ? c : null;
            if (http != null) {
                http.removeHttpEndpoint(settings.path());
            }
        }
        List<Future<Void>> ends = new ArrayList<>();
        for (SseClient c : clients) {
            if (c.markClosed()) {
                ends.add(c.end());
            }
        }
        clients.clear();
        if (!ends.isEmpty() && !Context.isOnEventLoopThread()) {
            try {
                Future.join(ends).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("SSE: not every stream ended cleanly: {}", e.toString());
            }
        }
        LOG.info("SSE: stopped; {} open streams ended", ends.size());
    }

    private VertxPlatformHttpRouter router() {
        MainHttpServer server = camelContext.hasService(MainHttpServer.class);
        if (server != null && server.getRouter() != null) {
            return server.getRouter();
        }
        return CamelContextHelper.findSingleByType(camelContext, VertxPlatformHttpRouter.class);
    }

    /** Sends {@code message} to every client whose filter it matches, as a batch of one. Never blocks. */
    public synchronized void broadcast(SseMessage message) {
        if (message != null) {
            broadcast(List.of(message));
        }
    }

    /**
     * Sends the messages of one stored batch, in order, to every client, each the messages its filter matches. Never
     * blocks. One offer per client, whatever the batch's size ({@link SseBatch}); synchronized: batches from several
     * callers reach every client in the same order.
     */
    public synchronized void broadcast(List<SseMessage> messages) {
        if (messages == null || messages.isEmpty()) {
            return;
        }
        SseBatch batch = new SseBatch(messages);
        messagesBroadcast.addAndGet(batch.size());
        for (SseClient c : clients) {
            SseBatch.Unit unit = batch.unitFor(c.filter());
            if (unit != null && !c.offer(unit)) {
                tooSlow(c);
            }
        }
    }

    private void tooSlow(SseClient c) {
        if (c.markClosed()) {
            clients.remove(c);
            slowClients.dropped(c.remote());
            LOG.warn("SSE client {} is too slow: more than {} messages waiting (sse.client-buffer); disconnected",
                    c, settings.clientBuffer());
            c.disconnect();
        }
    }

    private void accept(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        if (!isStarted()) {
            response.setStatusCode(503).end();
            return;
        }
        SseRequest asked = SseRequest.of(request, response, gateways);
        if (asked == null) {
            return;
        }
        SseFilter filter = asked.filter();
        Long lastEventId = asked.lastEventId();
        response.setStatusCode(200).setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        SocketSendBuffer.limit(request.connection(), settings.socketSendBuffer());
        SseClient client = new SseClient(this, response, Vertx.currentContext(), filter,
                String.valueOf(request.remoteAddress()), settings.clientBuffer());
        response.closeHandler(v -> closed(client));
        response.exceptionHandler(e -> closed(client));
        response.drainHandler(v -> client.pump());
        clients.add(client); // from now on it receives every broadcast: the replay below can leave no gap
        LOG.debug("SSE client {} connected (Last-Event-ID {})", client, lastEventId);
        client.begin(lastEventId, replay, snapshot, settings.heartbeatMs());
    }

    void closed(SseClient client) {
        if (clients.remove(client)) {
            LOG.debug("SSE client {} disconnected", client);
        }
        client.onClosed();
    }

    void countSent(int messages) {
        messagesSent.add(messages);
    }

    /** A client disconnected for being too slow: when, and its address. */
    public record SlowClient(Instant at, String remote) {
    }

    /** The latest clients dropped for being too slow (at most {@value SlowClients#RECENT}), oldest first. */
    public List<SlowClient> recentDrops() {
        return slowClients.recent();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        String name = Meters.PREFIX + "sse.";
        Gauge.builder(name + "clients", this, SseHub::getClientsConnected)
                .description("Clients connected to the event stream").register(registry);
        FunctionCounter.builder(name + "messages.broadcast", this, SseHub::getMessagesBroadcast)
                .description("Messages pushed to the hub (after they were stored)").register(registry);
        FunctionCounter.builder(name + "messages.sent", this, SseHub::getMessagesSent)
                .description("Messages written to clients (live, replayed and snapshot)").register(registry);
        FunctionCounter.builder(name + "slow.clients.dropped", this, SseHub::getSlowClientsDropped)
                .description("Clients disconnected because more than sse.client-buffer messages were waiting")
                .register(registry);
    }

    @ManagedAttribute(description = "Clients connected to the event stream")
    public int getClientsConnected() {
        return clients.size();
    }

    @ManagedAttribute(description = "Messages broadcast since start")
    public long getMessagesBroadcast() {
        return messagesBroadcast.get();
    }

    @ManagedAttribute(description = "Messages written to clients since start (live, replayed and snapshot)")
    public long getMessagesSent() {
        return messagesSent.sum();
    }

    @ManagedAttribute(description = "Clients disconnected because more than sse.client-buffer messages were waiting")
    public long getSlowClientsDropped() {
        return slowClients.count();
    }

    @ManagedAttribute(description = "Path of the event stream (sse.path)")
    public String getPath() {
        return settings.path();
    }

    @ManagedAttribute(description = "Heartbeat interval in milliseconds (sse.heartbeat)")
    public long getHeartbeatMillis() {
        return settings.heartbeatMs();
    }

    @ManagedAttribute(description = "Messages a client may have waiting before it is disconnected (sse.client-buffer)")
    public int getClientBuffer() {
        return settings.clientBuffer();
    }
}
