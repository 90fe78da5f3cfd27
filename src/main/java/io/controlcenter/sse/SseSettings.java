package io.controlcenter.sse;

import io.controlcenter.config.ConfigurationException;
import io.controlcenter.config.Settings;
import org.apache.camel.CamelContext;

/**
 * The {@code sse.*} keys of application.properties: the path of the event stream, the heartbeat interval, the
 * per-client buffer (in messages) and each stream's socket send buffer (bytes; 0: the system's own, which grows to
 * megabytes). A wrong value fails start-up with a message that names its key.
 */
public record SseSettings(String path, long heartbeatMs, int clientBuffer, int socketSendBuffer) {

    public static final String PREFIX = "sse.";
    public static final String DEFAULT_PATH = "/api/events";

    public static SseSettings load(CamelContext context) {
        Settings s = new Settings(context.getPropertiesComponent(), PREFIX);
        String path = s.string("path", DEFAULT_PATH);
        if (!path.startsWith("/")) {
            throw new ConfigurationException(PREFIX + "path: '" + path + "' must start with /");
        }
        return new SseSettings(path, s.millis("heartbeat", 15_000), (int) s.positive("client-buffer", 10_000),
                s.between("socket-send-buffer", 262_144, 0, 64 * 1024 * 1024));
    }
}
