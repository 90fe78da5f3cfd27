package io.controlcenter.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;

/**
 * The one Micrometer registry of the application: the Prometheus registry that camel-micrometer-prometheus serves at
 * {@code /observe/metrics} (settings {@code camel.metrics.*}). Our own meters are named {@code controlcenter.*}
 * (Prometheus: {@code controlcenter_*}) and registered by the class that owns the numbers ({@code bindTo}).
 */
public final class Meters {

    public static final String PREFIX = "controlcenter.";

    private Meters() {
    }

    /** The registry bound as {@code metricsRegistry}; bound here first if Camel has not yet (it then reuses it). */
    public static synchronized MeterRegistry registry(CamelContext context) {
        MeterRegistry registry = context.getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                MeterRegistry.class);
        if (registry == null) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class, registry);
        }
        return registry;
    }
}
