package io.controlcenter.gateway;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.controlcenter.config.Settings;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Where one gateway's settings are read. Its own keys come first: {@code gateway.<name>.<key>}. What says how to
 * connect (URL, token, HTTP URL, trust store) is the gateway's alone: otherwise {@code gateway.<key>} for the gateway
 * named by {@code gateway.name} (so today's one-gateway configuration is the gateway {@code default}), and the
 * environment variable {@code GATEWAY_<NAME>_<KEY>} for any other. How to connect (timeouts, reconnects, scopes, close
 * policy) falls back to {@code gateway.<key>}, shared by all.
 */
final class GatewayKeys {

    private static final String CLOSE_POLICY = "close-policy.";
    private static final String TLS = "tls.";

    private final PropertiesComponent pc;
    private final boolean primary;
    private final String name;
    /** {@code gateway.<name>.}: this gateway's own keys. */
    final Settings own;
    /** {@code gateway.}: the shared keys, and the primary gateway's own. */
    final Settings shared;

    GatewayKeys(PropertiesComponent pc, String name) {
        this.pc = pc;
        this.name = name;
        this.primary = name.equals(GatewaySettings.primaryName(pc));
        this.own = new Settings(pc, GatewaySettings.PREFIX + name + ".");
        this.shared = new Settings(pc, GatewaySettings.PREFIX);
    }

    /**
     * A key that is this gateway's alone ({@code ws-url}, {@code token}, {@code http-url}, {@code tls.*}): its own key,
     * else {@code gateway.<key>} for the primary gateway, the environment variable for any other.
     */
    Optional<String> connection(String key) {
        Optional<String> mine = own.raw(key);
        if (mine.isPresent()) {
            return mine;
        }
        return primary ? shared.raw(key)
                : Optional.ofNullable(System.getenv(envName(key))).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** How to name a connection key in a message: {@code gateway.token}, or {@code gateway.lab.token (GATEWAY_LAB_TOKEN)}. */
    String connectionKey(String key) {
        if (primary) {
            return (own.raw(key).isPresent() ? own.prefix() : shared.prefix()) + key;
        }
        return own.prefix() + key + " (" + envName(key) + ")";
    }

    /** The close policy: the shared table, with this gateway's own entries over it. */
    ClosePolicy closePolicy() {
        return ClosePolicy.parse(entries(shared), shared.prefix() + CLOSE_POLICY)
                .with(entries(own), own.prefix() + CLOSE_POLICY);
    }

    private Map<String, String> entries(Settings s) {
        String prefix = s.prefix() + CLOSE_POLICY;
        Map<String, String> entries = new LinkedHashMap<>();
        pc.loadProperties(k -> k.startsWith(prefix)).stringPropertyNames().forEach(
                k -> entries.put(k.substring(prefix.length()), pc.resolveProperty(k).orElse("")));
        return entries;
    }

    /**
     * {@code GATEWAY_<NAME>_<KEY>}: the name and key upper-case, with {@code _} for {@code -} and {@code .}, and the
     * {@code tls.} keys without their prefix ({@code GATEWAY_<NAME>_TRUST_STORE}, as the primary gateway's
     * {@code GATEWAY_TRUST_STORE} and application.properties say).
     */
    String envName(String key) {
        String unprefixed = key.startsWith(TLS) ? key.substring(TLS.length()) : key;
        return ("GATEWAY_" + name + "_" + unprefixed).toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }
}
