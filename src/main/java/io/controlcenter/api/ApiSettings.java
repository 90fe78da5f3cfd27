package io.controlcenter.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

import io.controlcenter.config.ConfigurationException;
import io.controlcenter.config.Settings;
import org.apache.camel.CamelContext;

/**
 * The {@code api.*} keys: the bearer token of the HTTP API and management endpoints, and the origins allowed by CORS.
 * A server that listens beyond loopback ({@code camel.server.host}) must have a token; the start fails without one. A
 * dashboard that logged in with the token holds a session cookie for {@code session.max-age}.
 */
public record ApiSettings(String host, String token, List<String> corsOrigins, long sessionMaxAgeMs) {

    public static final String PREFIX = "api.";

    public static ApiSettings load(CamelContext context) {
        Settings s = new Settings(context.getPropertiesComponent(), PREFIX);
        String host = context.getPropertiesComponent().resolveProperty("camel.server.host").orElse("0.0.0.0").trim();
        String token = s.string("token", "");
        if (token.isEmpty() && !loopback(host)) {
            throw new ConfigurationException(PREFIX + "token (CC_API_TOKEN) is not set, but the HTTP server listens on "
                    + host + " (camel.server.host / CC_BIND), beyond loopback: set a token, or listen on 127.0.0.1");
        }
        List<String> origins = Arrays.stream(s.string("cors.origins", "").split(","))
                .map(String::trim).filter(o -> !o.isEmpty()).toList();
        return new ApiSettings(host, token, origins, s.millis("session.max-age", 12 * 3600_000L));
    }

    /** Whether {@code host} is a loopback address (or a name that resolves only to one). */
    static boolean loopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            return Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            throw new ConfigurationException("camel.server.host (CC_BIND): '" + host + "' is not an address of this host");
        }
    }

    @Override
    public String toString() {
        return "API on " + host + " (token " + (token.isEmpty() ? "not set" : "set") + ", CORS "
                + (corsOrigins.isEmpty() ? "off" : corsOrigins) + ")";
    }
}
