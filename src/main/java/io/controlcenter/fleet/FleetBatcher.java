package io.controlcenter.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
 * Turns the ordered stream of fleet events and sync snapshots into batches for {@code direct:fleet-batch} (one
 * transaction each, then the push). One writer thread takes whatever has queued up while the previous batch was
 * written and waits at most {@code maxDelayMs} for more, up to {@code maxBatch}: batches grow with the load (by size)
 * and a lone event waits no longer than the delay (by time). The queue is bounded: when the database
 * is slow or down, {@link #submit} blocks, and so the gateway connection pauses reading instead of dropping events.
 */
@ManagedResource(description = "Fleet event batches to PostgreSQL")
public class FleetBatcher extends ServiceSupport implements CamelContextAware, MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(FleetBatcher.class);

    private final int maxBatch;
    private final long maxDelayNanos;
    private final BlockingQueue<Object> queue;
    private final String target;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong items = new AtomicLong();
    private final AtomicLong lastBatchSize = new AtomicLong();
    private CamelContext camelContext;
    private ProducerTemplate template;
    private Thread writer;
    private volatile boolean running;

    public FleetBatcher(int queueSize, int maxBatch, long maxDelayMs, String target) {
        this.queue = new ArrayBlockingQueue<>(queueSize);
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
        queue.put(new FleetEvent(in.getHeader(OpenClawConstants.GATEWAY, String.class), event,
                in.getHeader(OpenClawConstants.SEQ, Long.class),
                receivedAt == null ? System.currentTimeMillis() : receivedAt, payload, json));
    }

    /** Queues what a sync read, behind the events that arrived while it ran. */
    public void submitSnapshot(FleetSnapshot snapshot) throws InterruptedException {
        queue.put(snapshot);
    }

    /** Queues session rows a sync has read so far (stored before the sync's snapshot, which follows them). */
    public void submitSessions(FleetSnapshot.SessionsPage page) throws InterruptedException {
        queue.put(page);
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
        if (!queue.isEmpty()) {
            LOG.warn("Stopped with {} fleet events not yet written; the next sync restores the state", queue.size());
        }
        template.close();
    }

    private void writeLoop() {
        List<Object> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Object first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                long deadline = System.nanoTime() + maxDelayNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Object next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    queue.drainTo(batch, maxBatch - batch.size());
                }
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch = new ArrayList<>(maxBatch);
            }
        }
    }

    /** Hands the batch to the route; its error handler retries while the database is down, so this returns when stored. */
    private void write(List<Object> batch) {
        Exchange result = template.send(target, e -> e.getMessage().setBody(batch));
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
        return queue.size();
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
