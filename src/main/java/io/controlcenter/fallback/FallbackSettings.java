package io.controlcenter.fallback;

import java.time.Duration;

import io.controlcenter.config.Settings;
import org.apache.camel.CamelContext;

/**
 * The {@code fallback.*} keys of application.properties: when the HTTP polling fallback
 * starts and how often it polls, its HTTP timeout and its circuit breaker. Read and checked before anything starts; the
 * ones routes/fallback.yaml reads as placeholders are checked here too, so a bad one stops the start with its key.
 */
public record FallbackSettings(Duration startupWait, Duration grace, Duration interval, long httpTimeoutMs,
                               int breakerWindow, int breakerMinimumCalls, int breakerFailureRate,
                               int breakerOpenSeconds) {

    public static final String PREFIX = "fallback.";

    public static FallbackSettings load(CamelContext context) {
        Settings s = new Settings(context.getPropertiesComponent(), PREFIX);
        return new FallbackSettings(
                Duration.ofMillis(s.millis("startup-wait", 30_000)),
                Duration.ofMillis(s.millis("grace", 15_000)),
                Duration.ofMillis(s.millis("interval", 10_000)),
                s.positive("http-timeout", 10_000), // ms: the HTTP endpoint's timeouts take a number
                s.between("breaker.window", 4, 1, 1_000),
                s.between("breaker.minimum-calls", 2, 1, 1_000),
                s.between("breaker.failure-rate", 50, 1, 100),
                s.between("breaker.open-duration", 30, 1, 86_400));
    }
}
