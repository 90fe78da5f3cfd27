package io.controlcenter.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

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
        String httpUrl,
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
    /** The gateways Control Center connects to, by name (key {@code gateways}, environment {@code CC_GATEWAYS}). */
    public static final String NAMES = "gateways";
    public static final String REQUIRED = "gateways.required";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    /** Names that would read as a setting of {@code gateway.<key>} rather than a gateway's own key. */
    private static final Set<String> RESERVED = Set.of("name", "ws-url", "token", "tls", "http-url", "scopes",
            "pairing", "rpc-timeout", "handshake-timeout", "reconnect", "max-payload", "frame-queue", "close-policy");

    /** The gateway whose keys are {@code gateway.<key>}: {@code gateway.name}, {@code default} unless set. */
    static String primaryName(PropertiesComponent pc) {
        return new Settings(pc, PREFIX).string("name", "default");
    }

    /**
     * The configured gateways in order: {@code gateways}, or only {@code gateway.name} when unset. A name is lower-case
     * letters, digits, - and _ (it is part of keys, environment variables, URLs and metric labels), listed once.
     */
    public static List<String> names(CamelContext context) {
        PropertiesComponent pc = context.getPropertiesComponent();
        String list = new Settings(pc, "").string(NAMES, primaryName(pc));
        Set<String> names = new LinkedHashSet<>();
        for (String raw : list.split(",")) {
            String name = raw.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!NAME.matcher(name).matches() || RESERVED.contains(name)) {
                throw new ConfigurationException(NAMES + ": '" + name + "' is not a gateway name (lower-case letters, "
                        + "digits, - and _, at most 32, not one of " + String.join(", ", new TreeSet<>(RESERVED)) + ")");
            }
            if (!names.add(name)) {
                throw new ConfigurationException(NAMES + ": '" + name + "' is listed twice");
            }
            String variables = name.toUpperCase(Locale.ROOT).replace('-', '_');
            for (String other : names) {
                if (!other.equals(name) && other.toUpperCase(Locale.ROOT).replace('-', '_').equals(variables)) {
                    throw new ConfigurationException(NAMES + ": '" + other + "' and '" + name + "' would share their "
                            + "environment variables (GATEWAY_" + variables + "_*): rename one");
                }
            }
        }
        if (names.isEmpty()) {
            throw new ConfigurationException(NAMES + " (CC_GATEWAYS) is empty: name at least one gateway");
        }
        return List.copyOf(names);
    }

    /**
     * The gateway the API means when a request names none ({@code GET /api/gateway}, {@code /api/sessions/{key}/...}):
     * {@code gateway.name} when it is one of the gateways, else the first one listed.
     */
    public static String primary(CamelContext context) {
        List<String> names = names(context);
        String name = primaryName(context.getPropertiesComponent());
        return names.contains(name) ? name : names.get(0);
    }

    /**
     * The gateways whose being down makes readiness DOWN ({@code gateways.required}); with none listed, readiness is
     * DOWN only while every gateway is down. Each must be configured.
     */
    public static Set<String> required(CamelContext context) {
        List<String> names = names(context);
        Set<String> required = new LinkedHashSet<>();
        for (String raw : new Settings(context.getPropertiesComponent(), "").string(REQUIRED, "").split(",")) {
            String name = raw.trim();
            if (!name.isEmpty() && !names.contains(name)) {
                throw new ConfigurationException(REQUIRED + ": '" + name + "' is not one of the gateways ("
                        + String.join(", ", names) + ")");
            }
            if (!name.isEmpty()) {
                required.add(name);
            }
        }
        return required;
    }

    /** Reads the settings of the configured gateway {@code name} (see {@link GatewayKeys} for where each comes from). */
    public static GatewaySettings load(CamelContext context, String name) {
        if (!names(context).contains(name)) {
            throw new ConfigurationException("openclaw:" + name + ": no gateway of that name is configured (" + NAMES
                    + "=" + String.join(",", names(context)) + ")");
        }
        GatewayKeys keys = new GatewayKeys(context.getPropertiesComponent(), name);
        Settings own = keys.own;
        Settings shared = keys.shared;
        String scopesKey = own.raw("scopes").isPresent() ? own.prefix() + "scopes" : shared.prefix() + "scopes";
        return new GatewaySettings(
                name,
                url(keys, "ws-url"),
                keys.connection("token").orElseThrow(() -> new ConfigurationException(tokenKey(keys) + " is not set: the "
                        + "gateway refuses a connection without its token (gateway.auth.token in openclaw.json)")),
                httpUrl(keys),
                own.millis("rpc-timeout", shared.millis("rpc-timeout", 30_000)),
                own.millis("handshake-timeout", shared.millis("handshake-timeout", 10_000)),
                own.millis("reconnect.initial-delay", shared.millis("reconnect.initial-delay", 1_000)),
                own.millis("reconnect.max-delay", shared.millis("reconnect.max-delay", 30_000)),
                own.fraction("reconnect.jitter", shared.fraction("reconnect.jitter", 0.2)),
                (int) own.positive("max-payload", shared.positive("max-payload", 26_214_400)),
                frameQueue(own, shared, names(context).size()),
                keys.closePolicy(),
                GatewayTls.trust(keys),
                Scopes.parse(scopesKey, own.string("scopes", shared.string("scopes", DEFAULT_SCOPES))),
                own.millis("pairing.retry-interval", shared.millis("pairing.retry-interval", 10_000)));
    }

    /**
     * Frames a gateway's routes may fall behind by: its own {@code frame-queue.high-watermark} as set, or an equal share
     * of the shared one (at least 100), so that the memory they hold does not grow with the number of gateways.
     */
    private static int frameQueue(Settings own, Settings shared, int gateways) {
        long total = shared.positive("frame-queue.high-watermark", 2_000);
        return (int) own.positive("frame-queue.high-watermark", Math.max(100, total / gateways));
    }

    /** The token's key as the operator sets it: {@code gateway.token (OPENCLAW_GATEWAY_TOKEN)} for the primary gateway. */
    private static String tokenKey(GatewayKeys keys) {
        String key = keys.connectionKey("token");
        return key.equals(PREFIX + "token") ? key + " (OPENCLAW_GATEWAY_TOKEN)" : key;
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

    private static URI url(GatewayKeys keys, String key) {
        String where = keys.connectionKey(key);
        String value = keys.connection(key).orElseThrow(() -> new ConfigurationException(where + " is not set"));
        try {
            URI uri = new URI(value);
            if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new URISyntaxException(value, "expected ws://host:port/ or wss://host:port/");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigurationException(where + ": '" + value + "' is not a WebSocket URL (" + e.getReason() + ")");
        }
    }

    /** The HTTP base URL of the polling fallback; empty: the WebSocket URL's host and port. */
    private static String httpUrl(GatewayKeys keys) {
        String url = keys.connection("http-url").orElse("");
        if (!url.isEmpty()) {
            try {
                URI uri = new URI(url);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
            } catch (Exception e) {
                String key = keys.connectionKey("http-url");
                throw new ConfigurationException((key.equals(PREFIX + "http-url") ? key + " (GATEWAY_HTTP_URL)" : key)
                        + ": '" + url + "' is not an HTTP URL (expected http://host:port or https://host:port)");
            }
        }
        return url;
    }
}
