package io.controlcenter.fallback;

import java.time.Duration;
import java.util.Map;

import io.controlcenter.config.Settings;
import io.controlcenter.gateway.OpenClawComponent;
import io.controlcenter.ops.Meters;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Binds {@code fallbackGate} and {@code fallbackFetch} for routes/fallback.yaml, and a health check of the live path. */
public class FallbackConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings s = new Settings(context.getPropertiesComponent(), "fallback.");
        String name = context.getPropertiesComponent().resolveProperty("gateway.name").orElse("default");
        FallbackGate gate = new FallbackGate(() -> context.getComponent("openclaw", OpenClawComponent.class).client(name),
                Duration.ofMillis(s.millis("startup-wait", 30_000)), Duration.ofMillis(s.millis("grace", 15_000)),
                Duration.ofMillis(s.millis("interval", 10_000)),
                context.getPropertiesComponent().resolveProperty("gateway.http-url").orElse(""));
        gate.bindTo(Meters.registry(context));
        context.getRegistry().bind("fallbackGate", gate);
        context.addService(gate, true, true); // its record in JMX
        context.getRegistry().bind("fallbackFetch", new FallbackFetch());
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(new AbstractHealthCheck("openclaw", "gateway-" + name + "-path") {
                @Override
                public boolean isLiveness() {
                    return false;
                }

                @Override
                protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                    builder.detail("path", gate.path());
                    builder.detail("breaker", gate.getBreaker());
                    builder.detail("polls", gate.getPolls());
                    builder.detail("pollFailures", gate.getFailures());
                    builder.up();
                }
            });
        }
    }
}
