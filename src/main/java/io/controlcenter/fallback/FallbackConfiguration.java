package io.controlcenter.fallback;

import java.util.Map;

import io.controlcenter.gateway.OpenClawComponent;
import io.controlcenter.ops.Meters;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Binds {@code fallbackGate} and {@code fallbackFetch} for routes/fallback.yaml, and a health check of the live path. */
public class FallbackConfiguration implements CamelConfiguration {

    @PropertyInject(value = "gateway.name", defaultValue = "default")
    private String name;

    @Override
    public void configure(CamelContext context) throws Exception {
        FallbackSettings s = FallbackSettings.load(context);
        FallbackGate gate = new FallbackGate(() -> context.getComponent("openclaw", OpenClawComponent.class).client(name),
                s.startupWait(), s.grace(), s.interval());
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
