package io.controlcenter.sse;

import java.util.Optional;

import io.controlcenter.config.ConfigurationException;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

/**
 * The {@code sse.*} keys of application.properties: the path of the event stream, the heartbeat interval and the
 * per-client buffer (in messages). A wrong value fails start-up with a message that names its key.
 */
public record SseSettings(String path, long heartbeatMs, int clientBuffer) {

    public static final String PREFIX = "sse.";
    public static final String DEFAULT_PATH = "/api/events";

    public SseSettings {
        if (path == null || !path.startsWith("/")) {
            throw new ConfigurationException(PREFIX + "path: '" + path + "' must start with /");
        }
        if (heartbeatMs <= 0) {
            throw new ConfigurationException(PREFIX + "heartbeat: must be a positive duration");
        }
        if (clientBuffer <= 0) {
            throw new ConfigurationException(PREFIX + "client-buffer: must be a positive whole number");
        }
    }

    public static SseSettings load(CamelContext context) {
        PropertiesComponent pc = context.getPropertiesComponent();
        String path = raw(pc, "path").orElse(DEFAULT_PATH);
        long heartbeat = raw(pc, "heartbeat").map(v -> parse("heartbeat", v, TimeUtils::toMilliSeconds)).orElse(15_000L);
        long buffer = raw(pc, "client-buffer").map(v -> parse("client-buffer", v, Long::parseLong)).orElse(10_000L);
        if (buffer > Integer.MAX_VALUE) {
            throw new ConfigurationException(PREFIX + "client-buffer: " + buffer + " is too large");
        }
        return new SseSettings(path, heartbeat, (int) buffer);
    }

    private static Optional<String> raw(PropertiesComponent pc, String key) {
        return pc.resolveProperty(PREFIX + key).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static long parse(String key, String value, java.util.function.ToLongFunction<String> parser) {
        try {
            return parser.applyAsLong(value);
        } catch (RuntimeException e) {
            throw new ConfigurationException(PREFIX + key + ": '" + value + "' is not valid ("
                    + ("heartbeat".equals(key) ? "milliseconds, or e.g. 15s" : "a whole number") + ")");
        }
    }
}
