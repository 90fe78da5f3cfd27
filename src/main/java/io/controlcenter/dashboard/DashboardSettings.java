package io.controlcenter.dashboard;

import io.controlcenter.config.Settings;
import org.apache.camel.CamelContext;

/**
 * The {@code dashboard.*} keys: when a run counts as long ("needs attention"), and how often each agent's tokens are
 * sampled for the tokens-over-time chart and for how long the samples are kept (routes/dashboard.yaml reads those two
 * as placeholders). A wrong value fails the start with a message naming its key.
 */
public record DashboardSettings(long longRunMs, long sampleIntervalMs, long usageRetentionMs) {

    public static final String PREFIX = "dashboard.";

    public static DashboardSettings load(CamelContext context) {
        Settings s = new Settings(context.getPropertiesComponent(), PREFIX);
        return new DashboardSettings(s.millis("attention.long-run", 600_000), s.millis("usage.sample-interval", 60_000),
                s.millis("usage.retention", 7 * 86_400_000L));
    }

    /** {@code usage.retention} in seconds, for routes/dashboard.yaml. */
    public long usageRetentionSeconds() {
        return usageRetentionMs / 1000;
    }
}
