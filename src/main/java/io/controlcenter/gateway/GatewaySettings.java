package io.controlcenter.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.TrustManagerFactory;

import io.controlcenter.config.ConfigurationException;
import io.controlcenter.config.Settings;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.TrustOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Settings of one gateway connection, read from the {@code gateway.*} keys of application.properties (each
 * documented there and in the README). A wrong value fails with a message that names its key.
 */
public record GatewaySettings(
        String name,
        URI url,
        String token,
        long rpcTimeoutMs,
        long handshakeTimeoutMs,
        long reconnectInitialMs,
        long reconnectMaxMs,
        double reconnectJitter,
        int maxPayload,
        int frameQueueHighWatermark,
        ClosePolicy closePolicy,
        TrustManagerFactory trustStore,
        List<String> scopes,
        long pairingRetryMs) {

    /**
     * What Control Center asks for: read (the fleet), write (chat send and abort), admin (chat inject, which the
     * gateway reserves to operator.admin).
     */
    public static final String DEFAULT_SCOPES = Scopes.READ + "," + Scopes.WRITE + "," + Scopes.ADMIN;

    public static final String PREFIX = "gateway.";
    static final String CLOSE_POLICY_PREFIX = PREFIX + "close-policy.";

    /** Reads the configuration of the gateway called {@code name}; it must be the configured {@code gateway.name}. */
    public static GatewaySettings load(CamelContext context, String name) {
        PropertiesComponent pc = context.getPropertiesComponent();
        Settings s = new Settings(pc, PREFIX);
        String configured = s.string("name", "default");
        if (!configured.equals(name)) {
            throw new ConfigurationException("openclaw:" + name + ": no gateway of that name is configured (gateway.name="
                    + configured + ")");
        }
        Map<String, String> policy = new LinkedHashMap<>();
        pc.loadProperties(k -> k.startsWith(CLOSE_POLICY_PREFIX)).stringPropertyNames().forEach(
                k -> policy.put(k.substring(CLOSE_POLICY_PREFIX.length()), pc.resolveProperty(k).orElse("")));
        return new GatewaySettings(
                name,
                url(s, "ws-url"),
                s.raw("token").orElseThrow(() -> new ConfigurationException(PREFIX + "token (OPENCLAW_GATEWAY_TOKEN) is not "
                        + "set: the gateway refuses a connection without its token (gateway.auth.token in openclaw.json)")),
                s.millis("rpc-timeout", 30_000),
                s.millis("handshake-timeout", 10_000),
                s.millis("reconnect.initial-delay", 1_000),
                s.millis("reconnect.max-delay", 30_000),
                s.fraction("reconnect.jitter", 0.2),
                (int) s.positive("max-payload", 26_214_400),
                (int) s.positive("frame-queue.high-watermark", 2_000),
                ClosePolicy.parse(policy, CLOSE_POLICY_PREFIX),
                GatewayTls.trust(s),
                Scopes.parse(PREFIX + "scopes", s.string("scopes", DEFAULT_SCOPES)),
                s.millis("pairing.retry-interval", 10_000));
    }

    /** Options of the WebSocket client: frame limits, timeouts, and the trust store for {@code wss://}. */
    WebSocketClientOptions webSocketClientOptions() {
        WebSocketClientOptions options = new WebSocketClientOptions()
                .setMaxFrameSize(maxPayload)
                .setMaxMessageSize(maxPayload)
                .setConnectTimeout((int) handshakeTimeoutMs)
                .setClosingTimeout(2);
        if (trustStore != null) { // wss:// checked against gateway.tls.trust-store, host name included
            options.setTrustOptions(TrustOptions.wrap(trustStore));
        }
        return options;
    }

    /** The URL without user info, safe to show. */
    public String displayUrl() {
        return url.getUserInfo() == null ? url.toString() : url.toString().replace(url.getRawUserInfo() + "@", "");
    }

    @Override
    public String toString() {
        return "gateway " + name + " at " + displayUrl() + " (token " + (token.isEmpty() ? "not set" : "set")
                + (trustStore == null ? "" : ", own trust store") + ", scopes " + String.join(",", scopes) + ")";
    }

    private static URI url(Settings s, String key) {
        String value = s.raw(key).orElseThrow(() -> new ConfigurationException(PREFIX + key + " is not set"));
        try {
            URI uri = new URI(value);
            if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new URISyntaxException(value, "expected ws://host:port/ or wss://host:port/");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigurationException(PREFIX + key + ": '" + value + "' is not a WebSocket URL ("
                    + e.getReason() + ")");
        }
    }
}
