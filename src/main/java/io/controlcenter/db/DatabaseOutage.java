package io.controlcenter.db;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.controlcenter.ops.Meters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether fleet batches can be stored (bean {@code databaseOutage}). The route that stores them retries a batch until
 * it is stored (routes/fleet.yaml, {@code persist-retry}) and tells this bean about each failed attempt
 * ({@code onExceptionOccurredRef}) and each stored batch ({@link #stored()}). An outage, however many retries it takes,
 * is one WARN line when it begins, naming why ({@link SqlFailure}), and one INFO line with its duration when storing
 * resumes. While it lasts, readiness is DOWN with the reason ({@link DatabaseHealthCheck}); outages are counted and
 * timed in the metrics.
 */
public final class DatabaseOutage implements Processor, MeterBinder {

    /** Registry name of this bean, as routes/fleet.yaml refers to it. */
    public static final String BEAN = "databaseOutage";
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutage.class);

    private final String secret;
    private final AtomicLong outages = new AtomicLong();
    private volatile Outage current;
    private volatile Timer durations;

    /** {@code secret}: the database password, redacted from every message. */
    public DatabaseOutage(String secret) {
        this.secret = secret;
    }

    private record Outage(long startNanos, Instant start, SqlFailure latest, long attempts) {
    }

    /** A failed attempt to store a batch: the error handler's onExceptionOccurred. */
    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        failed(failure);
    }

    /** Storing failed: the first failure of an outage is logged, later ones only update the reason. */
    public synchronized void failed(Throwable failure) {
        SqlFailure why = SqlFailure.of(failure, secret);
        Outage o = current;
        if (o != null) {
            current = new Outage(o.startNanos, o.start, why, o.attempts + 1);
            return;
        }
        current = new Outage(System.nanoTime(), Instant.now(), why, 1);
        LOG.warn("Storing paused (database outage {}): {}. Fleet events wait in the batcher's queues (reading from a"
                + " gateway pauses when its queue is full; nothing is dropped) and the batch is retried until it is"
                + " stored; one line follows when storing resumes", outages.incrementAndGet(), why.describe());
    }

    /** A batch was stored: ends an outage, with one line. Cheap when there is none (after every batch). */
    public void stored() {
        if (current == null) {
            return;
        }
        synchronized (this) {
            Outage o = current;
            if (o == null) {
                return;
            }
            current = null;
            long nanos = System.nanoTime() - o.startNanos;
            Timer t = durations;
            if (t != null) {
                t.record(nanos, TimeUnit.NANOSECONDS);
            }
            LOG.info("Storing resumed: PostgreSQL is back after {} s (database outage {}, since {}, {} failed attempt(s);"
                    + " last: {}); the batches that waited are stored now", seconds(nanos), outages.get(),
                    time(o.start), o.attempts, o.latest.kind());
        }
    }

    /** While storing is paused: since when and the latest failure; null while batches are stored. */
    public String reason() {
        Outage o = current;
        return o == null ? null : "Storing paused since " + time(o.start) + " (" + seconds(System.nanoTime() - o.startNanos)
                + " s): " + o.latest.describe();
    }

    /** Whether batches are being stored (no outage): what else writes to the database waits while they are not. */
    public boolean storing() {
        return current == null;
    }

    /** Outages since the start. */
    public long outages() {
        return outages.get();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        String name = Meters.PREFIX + "db.";
        FunctionCounter.builder(name + "outages", outages, AtomicLong::get)
                .description("Database outages: times storing fleet batches failed after it had worked").register(registry);
        Gauge.builder(name + "storing.paused", this, o -> o.current == null ? 0 : 1)
                .description("1 while fleet batches cannot be stored (the database is down or refuses writes)")
                .register(registry);
        durations = Timer.builder(name + "outage").description("Duration of each database outage, until storing resumed")
                .register(registry);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    /** A time of day for log lines and health messages (local time, to the millisecond). */
    static String time(Instant at) {
        return LocalTime.ofInstant(at, ZoneId.systemDefault()).truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
