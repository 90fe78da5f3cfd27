package io.controlcenter.fleet;

import io.controlcenter.config.Settings;
import org.apache.camel.CamelContext;

/**
 * The {@code fleet.*} keys of application.properties (documented there and in the README): the sync's page size, the
 * batch queue and transaction sizes, the endpoint each batch goes to, the agent-card interval, the retry delays while the database is down and the event
 * log's retention. Read and checked before anything starts; a wrong value names its key. Routes read the retry delays,
 * the retention and the prune interval as placeholders; they are checked here so that a bad one stops the start with
 * its key instead of failing a route.
 */
public record FleetSettings(int syncPageSize, int queueSize, int batchMaxSize, long batchMaxDelayMs, String batchEndpoint,
                            long agentUpdateIntervalMs, long retryDelayMs, long maxRetryDelayMs, long retentionMs,
                            long pruneIntervalMs) {

    public static final String PREFIX = "fleet.";

    public static FleetSettings load(CamelContext context) {
        Settings s = new Settings(context.getPropertiesComponent(), PREFIX);
        return new FleetSettings(
                (int) s.positive("sync.page-size", 1_000),
                (int) s.positive("batch.queue-size", 2_000),
                (int) s.positive("batch.max-size", 1_000),
                s.millisOrZero("batch.max-delay", 0),
                s.string("batch.endpoint", "direct:fleet-batch"),
                s.millisOrZero("agent-update.interval", 250),
                s.positive("persist.retry-delay", 500), // ms: the route's redelivery delays take a number
                s.positive("persist.max-retry-delay", 5_000),
                s.millis("event-log.retention", 7L * 24 * 3_600_000),
                s.millis("event-log.prune-interval", 3_600_000));
    }
}
