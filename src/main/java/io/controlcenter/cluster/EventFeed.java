package io.controlcenter.cluster;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.controlcenter.fleet.FleetStore;
import io.controlcenter.ops.Meters;
import io.controlcenter.sse.SseHub;
import io.controlcenter.sse.SseMessage;
import io.controlcenter.sse.SsePublisher;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgChannel;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With several instances, what every instance's dashboards receive: every message stored in the event log by any
 * instance, once each and in the event log's order. Each batch announces its committed id range on
 * {@link EventLog#CHANNEL} ({@code LISTEN/NOTIFY}, ranges not rows: a payload holds 8,000 bytes at most); one thread
 * reads the rows up to the newest id announced from the event log and pushes them to the {@link SseHub}. Vert.x's
 * {@link PgSubscriber} listens and reconnects by itself; after each (re)connect whatever was committed meanwhile is read.
 * The messages this instance stored come back the same way (one path: {@link #publish} ignores the route's copy).
 */
public final class EventFeed extends ServiceSupport implements SsePublisher, MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);
    /** Messages read and pushed at a time. */
    static final int PAGE = 1_000;

    private final CamelContext context;
    private final FleetStore store;
    private final SseHub hub;
    private final PgConnectOptions options;
    private final long connectTimeoutMs;
    private final AtomicLong announced = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong notifications = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private volatile long pushed;
    private volatile boolean failing;
    private Vertx vertx;
    private boolean ownVertx;
    private ExecutorService reader;
    private PgSubscriber subscriber;

    public EventFeed(CamelContext context, FleetStore store, SseHub hub, PgConnectOptions options, long connectTimeoutMs) {
        this.context = context;
        this.store = store;
        this.hub = hub;
        this.options = options;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    /** The route's copy of what this instance stored: it arrives through the event log like every other instance's. */
    @Override
    public void publish(List<SseMessage> ignored) {
        // one path for every instance's messages, in the event log's order
    }

    /** The Vert.x to listen on (Camel's HTTP server's); null: one of its own. Before it starts. */
    public void setVertx(Vertx shared) {
        vertx = shared;
    }

    /** Listens, starting after the newest event stored now (what came before, a dashboard gets by replay or snapshot). */
    @Override
    protected void doStart() throws Exception {
        if (vertx == null) {
            vertx = Vertx.vertx();
            ownVertx = true;
        }
        pushed = store.lastEventId();
        announced.set(pushed);
        reader = context.getExecutorServiceManager().newSingleThreadExecutor(this, "event-feed");
        subscriber = PgSubscriber.subscriber(vertx, options)
                .reconnectPolicy(retries -> Math.min(5_000L, 100L << Math.min(retries, 6)));
        PgChannel channel = subscriber.channel(FleetStore.COMMITS_CHANNEL);
        channel.subscribeHandler(v -> catchUp());
        channel.handler(this::announced);
        subscriber.connect().toCompletionStage().toCompletableFuture().get(connectTimeoutMs, TimeUnit.MILLISECONDS);
        LOG.info("Cluster: dashboards here get what every instance stores (LISTEN {}), from event {}", FleetStore.COMMITS_CHANNEL,
                pushed);
    }

    @Override
    protected void doStop() throws Exception {
        if (subscriber != null) {
            subscriber.close();
            subscriber = null;
        }
        if (reader != null) {
            context.getExecutorServiceManager().shutdownGraceful(reader);
            reader = null;
        }
        if (ownVertx) {
            vertx.close();
            vertx = null;
        }
    }

    /** A batch committed ids {@code first-last}. */
    private void announced(String payload) {
        notifications.incrementAndGet();
        int dash = payload.indexOf('-');
        try {
            announced.accumulateAndGet(Long.parseLong(payload.substring(dash + 1)), Math::max);
        } catch (NumberFormatException e) {
            LOG.warn("Cluster: NOTIFY {} '{}' ignored: not an id range", FleetStore.COMMITS_CHANNEL, payload);
            return;
        }
        scheduleDrain();
    }

    /** (Re)subscribed: notifications sent while not listening are lost, so read up to the newest event stored. */
    private void catchUp() {
        ExecutorService r = reader;
        if (r != null && !r.isShutdown()) {
            r.execute(() -> {
                try {
                    announced.accumulateAndGet(store.lastEventId(), Math::max);
                } catch (SQLException | RuntimeException e) {
                    failed(e);
                }
                drain();
            });
        }
    }

    private void scheduleDrain() {
        ExecutorService r = reader;
        if (r != null && !r.isShutdown() && drainScheduled.compareAndSet(false, true)) {
            r.execute(this::drain);
        }
    }

    /** On the reader thread: pushes every message up to the newest id announced, in order, a page at a time. */
    private void drain() {
        drainScheduled.set(false);
        try {
            while (pushed < announced.get()) {
                long target = announced.get();
                List<SseMessage> page = store.between(pushed, target, PAGE);
                hub.broadcast(page);
                messages.addAndGet(page.size());
                pushed = page.size() < PAGE ? target : page.get(page.size() - 1).id();
            }
            if (failing) {
                failing = false;
                LOG.info("Cluster: the event log is read again; dashboards here are up to date (event {})", pushed);
            }
        } catch (RuntimeException e) {
            failed(e);
            vertx.setTimer(1_000, t -> scheduleDrain());
        }
    }

    private void failed(Exception e) {
        if (!failing) {
            failing = true;
            LOG.warn("Cluster: cannot read the event log for the dashboards here ({}); trying again every second",
                    e.getMessage());
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        String name = Meters.PREFIX + "cluster.feed.";
        FunctionCounter.builder(name + "notifications", notifications, AtomicLong::get)
                .description("Batches announced by any instance (NOTIFY " + FleetStore.COMMITS_CHANNEL + ")").register(registry);
        FunctionCounter.builder(name + "messages", messages, AtomicLong::get)
                .description("Messages read from the event log and pushed to the dashboards here").register(registry);
        Gauge.builder(name + "behind", this, f -> Math.max(0, f.announced.get() - f.pushed))
                .description("Event-log ids announced but not yet pushed here").register(registry);
    }
}
