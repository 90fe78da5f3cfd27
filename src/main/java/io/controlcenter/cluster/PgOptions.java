package io.controlcenter.cluster;

import java.net.URI;

import io.controlcenter.config.ConfigurationException;
import io.controlcenter.db.DatabaseSettings;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

/**
 * The connection of Vert.x's PostgreSQL client (the event feed's {@code LISTEN}) to the server of {@code db.url}: its
 * first host and port, database and {@code sslmode}, with {@code db.user} and {@code db.password}.
 */
final class PgOptions {

    private PgOptions() {
    }

    static PgConnectOptions of(DatabaseSettings db) {
        String url = db.url();
        URI uri;
        try {
            String hosts = url.substring("jdbc:postgresql://".length());
            int comma = hosts.indexOf(',');
            int slash = hosts.indexOf('/');
            if (comma >= 0 && (slash < 0 || comma < slash)) { // several hosts: the first
                hosts = hosts.substring(0, comma) + (slash < 0 ? "" : hosts.substring(slash));
            }
            uri = URI.create("postgresql://" + hosts);
        } catch (RuntimeException e) {
            throw new ConfigurationException("db.url: '" + url + "' is not a URL Vert.x's PostgreSQL client can use: "
                    + e.getMessage());
        }
        PgConnectOptions options = new PgConnectOptions()
                .setHost(uri.getHost() == null ? "localhost" : uri.getHost())
                .setPort(uri.getPort() < 0 ? 5432 : uri.getPort())
                .setTcpKeepAlive(true);
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        options.setDatabase(path.isEmpty() ? db.user() : path);
        if (!db.user().isEmpty()) {
            options.setUser(db.user());
        }
        if (!db.password().isEmpty()) {
            options.setPassword(db.password());
        }
        String query = uri.getRawQuery();
        if (query != null) {
            for (String param : query.split("&")) {
                if (param.startsWith("sslmode=")) {
                    SslMode mode = SslMode.of(param.substring("sslmode=".length()));
                    options.setSslMode(mode);
                    options.setTrustAll(mode == SslMode.ALLOW || mode == SslMode.PREFER || mode == SslMode.REQUIRE);
                }
            }
        }
        return options;
    }
}
