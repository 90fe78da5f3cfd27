package io.controlcenter.fallback;

import java.net.URI;
import java.time.Duration;

import io.controlcenter.config.ConfigurationException;
import io.controlcenter.config.Settings;
import org.apache.camel.CamelContext;

/**
 * The {@code fallback.*} keys of application.properties (and {@code gateway.http-url}): when the HTTP polling fallback
 * starts and how often it polls, its HTTP timeout and its circuit breaker. Read and checked before anything starts; the
 * ones routes/fallback.yaml reads as placeholders are checked here too, so a bad one stops the start with its key.
 */
public record FallbackSettings(Duration startupWait, Duration grace, Duration interval, long httpTimeoutMs,
                               int breakerWindow, int breakerMinimumCalls, int breakerFailureRate,
                               int breakerOpenSeconds, String httpUrl) {

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
                s.between("breaker.open-duration", 30, 1, 86_400),
                httpUrl(new Settings(context.getPropertiesComponent(), "gateway.")));
    }

    private static String httpUrl(Settings gateway) {
        String url = gateway.string("http-url", "");
        if (!url.isEmpty()) {
            try {
                URI uri = new URI(url);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
            } catch (Exception e) {
                throw new ConfigurationException("gateway.http-url (GATEWAY_HTTP_URL): '" + url
                        + "' is not an HTTP URL (expected http://host:port or https://host:port)");
            }
        }
        return url;
    }
}
