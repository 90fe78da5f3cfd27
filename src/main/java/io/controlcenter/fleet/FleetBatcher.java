package io.controlcenter.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.controlcenter.gateway.Frame;
import io.controlcenter.gateway.Json;
import io.controlcenter.ops.Meters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.controlcenter.gateway.OpenClawConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the ordered streams of fleet events and sync snapshots, one per gateway, into batches for
 * {@code fleet.batch.endpoint} (one transaction each, then the push). One writer thread takes whatever has queued up
 * while the previous batch was written and waits at most {@code maxDelayMs} for more, up to {@code maxBatch}: batches
 * grow with the load (by size) and a lone event waits no longer than the delay (by time). Each gateway has its own
 * bounded queue, and a batch takes a fair share of each: a gateway that floods fills only its own queue, and the
 * others' events go into the next batch. When the database is slow or down, {@link #submit} blocks, and so that
 * gateway's connection pauses reading instead of dropping events. One writer keeps the event log's ids in the order
 * the dashboards receive them.
 */
@ManagedResource(description = "Fleet event batches to PostgreSQL")
public class FleetBatcher extends ServiceSupport implements CamelContextAware, MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(FleetBatcher.class);

    private final int maxBatch;
    private final long maxDelayNanos;
    /** The smallest queue a gateway gets. */
    static final int MIN_QUEUE = 100;
    private final int queueSize;
    /** Per gateway. */
    private final Map<String, BlockingQueue<Object>> queues = new ConcurrentHashMap<>();
    /** One permit per queued item, whichever gateway's. */
    private final Semaphore available = new Semaphore(0);
    private int nextQueue;
    private final String target;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong items = new AtomicLong();
    private final AtomicLong lastBatchSize = new AtomicLong();
    private CamelContext camelContext;
    private ProducerTemplate template;
    private Thread writer;
    private volatile boolean running;

    /**
     * {@code queueSize} is what all gateways may have waiting together: each of the {@code gateways} gets an equal share
     * (at least {@link #MIN_QUEUE}), so the memory it holds does not grow with their number.
     */
    public FleetBatcher(int queueSize, int gateways, int maxBatch, long maxDelayMs, String target) {
        this.queueSize = Math.max(MIN_QUEUE, queueSize / Math.max(1, gateways));
        this.maxBatch = maxBatch;
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMs);
        this.target = target;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /** Queues a gateway event or lifecycle exchange of the openclaw: consumer; blocks while the queue is full. */
    public void submit(Exchange exchange) throws InterruptedException {
        var in = exchange.getMessage();
        String type = in.getHeader(OpenClawConstants.FRAME_TYPE, String.class);
        Map<String, Object> body = Json.map(in.getBody());
        Map<String, Object> payload = OpenClawConstants.FRAME_EVENT.equals(type) ? Json.map(body.get("payload")) : body;
        Long receivedAt = in.getHeader(OpenClawConstants.RECEIVED_AT, Long.class);
        // the payload's JSON for the event log: as received when the body is still the frame as parsed, else made
        // here, on the gateway's thread, not on the single writer thread
        String event = in.getHeader(OpenClawConstants.EVENT, String.class);
        Frame frame = exchange.getProperty(OpenClawConstants.FRAME, Frame.class);
        String json = payload == null || event == null || event.startsWith("gateway.") ? null
                : frame != null && frame.fields() == body && frame.payloadJson() != null ? frame.payloadJson()
                : Json.write(payload);
        String gateway = in.getHeader(OpenClawConstants.GATEWAY, String.class);
        put(gateway, FleetEvent.prepare(gateway, event, in.getHeader(OpenClawConstants.SEQ, Long.class),
                receivedAt == null ? System.currentTimeMillis() : receivedAt, payload, json));
    }

    /** Queues what a sync read, behind the events that arrived while it ran. */
    public void submitSnapshot(FleetSnapshot snapshot) throws InterruptedException {
        put(snapshot.getGateway(), snapshot);
    }

    /** Queues session rows a sync has read so far (stored before the sync's snapshot, which follows them). */
    public void submitSessions(FleetSnapshot.SessionsPage page) throws InterruptedException {
        put(page.gateway(), page);
    }

    private void put(String gateway, Object item) throws InterruptedException {
        queues.computeIfAbsent(String.valueOf(gateway), g -> new ArrayBlockingQueue<>(queueSize)).put(item);
        available.release();
    }

    @Override
    protected void doStart() {
        template = camelContext.createProducerTemplate();
        running = true;
        writer = new Thread(this::writeLoop, "fleet-batcher");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        writer.join(TimeUnit.SECONDS.toMillis(30));
        if (getQueued() > 0) {
            LOG.warn("Stopped with {} fleet events not yet written; the next sync restores the state", getQueued());
        }
        template.close();
    }

    private void writeLoop() {
        List<Object> batch = new ArrayList<>(maxBatch);
        while (running || available.availablePermits() > 0 || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    if (!available.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    available.release();
                    collect(batch);
                }
                write(batch);
                batch = new ArrayList<>(maxBatch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (OutOfMemoryError e) {
                // the batch is kept and tried again: the queues hold the gateways back meanwhile
                LOG.error("Out of memory while storing a batch of {} fleet events; trying it again in 1 s. Give "
                        + "Control Center more heap (-Xmx) or lower fleet.batch.queue-size and "
                        + "gateway.frame-queue.high-watermark", batch.size());
                pause(1_000);
            }
        }
    }

    /** What has queued up, and what comes within {@code maxDelay}, up to {@code maxBatch}. */
    private void collect(List<Object> batch) throws InterruptedException {
        take(batch);
        long deadline = System.nanoTime() + maxDelayNanos;
        while (batch.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !available.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                break;
            }
            available.release();
            take(batch);
        }
    }

    /**
     * Moves queued items into {@code batch} (each gateway's in order) until it is full or nothing waits: each round
     * takes an equal share of the room left from every gateway with items, starting with a different one each time.
     */
    private void take(List<Object> batch) {
        List<BlockingQueue<Object>> all = List.copyOf(queues.values());
        int taken = 0;
        int before;
        do {
            before = taken;
            int share = Math.max(1, (maxBatch - batch.size()) / all.size());
            for (int i = 0; i < all.size() && batch.size() < maxBatch; i++) {
                BlockingQueue<Object> queue = all.get(Math.floorMod(nextQueue + i, all.size()));
                taken += queue.drainTo(batch, Math.min(share, maxBatch - batch.size()));
            }
        } while (taken > before && batch.size() < maxBatch);
        nextQueue++;
        available.acquireUninterruptibly(taken); // each item's permit follows its put at once
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Hands the batch to the route; its error handler retries while the database is down, so this returns when stored.
     * A batch that failed for lack of memory is not skipped: the error goes up and the batch is tried again.
     */
    private void write(List<Object> batch) {
        Exchange result = template.send(target, e -> e.getMessage().setBody(batch));
        for (Throwable t = result.getException(); t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                throw oom;
            }
        }
        if (result.getException() != null) {
            LOG.error("A batch of {} fleet events could not be written and was skipped: {}", batch.size(),
                    result.getException().getMessage(), result.getException());
        }
        batches.incrementAndGet();
        items.addAndGet(batch.size());
        lastBatchSize.set(batch.size());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        String name = Meters.PREFIX + "fleet.";
        FunctionCounter.builder(name + "persisted", this, FleetBatcher::getItems)
                .description("Fleet events and sync snapshots stored in PostgreSQL").register(registry);
        Gauge.builder(name + "queued", this, FleetBatcher::getQueued)
                .description("Fleet events and snapshots waiting to be stored").register(registry);
    }

    @ManagedAttribute(description = "Items waiting to be written")
    public int getQueued() {
        return queues.values().stream().mapToInt(BlockingQueue::size).sum();
    }

    @ManagedAttribute(description = "Batches written")
    public long getBatches() {
        return batches.get();
    }

    @ManagedAttribute(description = "Items written")
    public long getItems() {
        return items.get();
    }

    @ManagedAttribute(description = "Size of the last batch")
    public long getLastBatchSize() {
        return lastBatchSize.get();
    }
}
