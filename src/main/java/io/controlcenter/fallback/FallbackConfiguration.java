package io.controlcenter.fallback;

import java.util.Map;

import io.controlcenter.gateway.GatewaySettings;
import io.controlcenter.gateway.OpenClawComponent;
import io.controlcenter.ops.GatewayMBeans;
import io.controlcenter.ops.Meters;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Binds, per gateway, {@code fallbackGate-<gateway>} for its poller in routes/fallback.yaml (in JMX under the gateway's
 * name, with a health check of its live path), and {@code fallbackFetch}, shared.
 */
public class FallbackConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        FallbackSettings s = FallbackSettings.load(context);
        for (String name : GatewaySettings.names(context)) {
            FallbackGate gate = new FallbackGate(name,
                    () -> context.getComponent("openclaw", OpenClawComponent.class).client(name),
                    s.startupWait(), s.grace(), s.interval());
            gate.bindTo(Meters.registry(context));
            context.getRegistry().bind(FallbackGate.BEAN_PREFIX + name, gate);
            GatewayMBeans.register(context, name, "FallbackGate", gate);
            HealthCheckRegistry health = HealthCheckRegistry.get(context);
            if (health != null) {
                health.register(pathCheck(name, gate));
            }
        }
        context.getRegistry().bind("fallbackFetch", new FallbackFetch());
    }

    /** Which path brings the gateway's fleet now, and the poller's record; always UP (readiness is the connection's). */
    private static AbstractHealthCheck pathCheck(String name, FallbackGate gate) {
        return new AbstractHealthCheck("openclaw", "gateway-" + name + "-path") {
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
        };
    }
}
