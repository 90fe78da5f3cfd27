package io.controlcenter.db;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.controlcenter.config.ConfigurationException;
import io.controlcenter.config.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

/**
 * The database settings, read from the {@code db.*} keys of application.properties (each documented there and in the
 * README). An empty {@code db.url} means the embedded server. The password never appears in {@link #toString()} or in
 * {@link #url()}: a {@code password=} parameter in the URL is moved out of it into {@link #password()}.
 *
 * @param poolTimeout how long a query waits for a connection from the pool ({@code db.pool.connection-timeout})
 * @param restart     how the embedded server is restarted when it dies ({@code db.embedded.restart.*})
 */
public record DatabaseSettings(
        String url,
        String user,
        String password,
        Path dataDir,
        int embeddedPort,
        int poolMax,
        Duration connectTimeout,
        Duration poolTimeout,
        RestartPolicy restart) {

    public static final String PREFIX = "db.";
    static final String URL_PREFIX = "jdbc:postgresql:";

    public static DatabaseSettings load(CamelContext context) {
        Settings s = new Settings(context.getPropertiesComponent(), PREFIX);
        String rawUrl = s.string("url", "");
        String password = s.string("password", "");
        StringBuilder url = new StringBuilder();
        String inUrl = splitPassword(rawUrl, url);
        if (!rawUrl.isEmpty() && !rawUrl.startsWith(URL_PREFIX)) {
            throw new ConfigurationException(PREFIX + "url: '" + url + "' is not a PostgreSQL JDBC URL"
                    + " (expected jdbc:postgresql://host:port/database)");
        }
        return new DatabaseSettings(
                url.toString(),
                s.string("user", ""),
                password.isEmpty() && inUrl != null ? inUrl : password,
                Path.of(s.string("embedded.data-dir", "data/postgres")).toAbsolutePath().normalize(),
                s.value("embedded.port", 0L, Long::parseLong, p -> p >= 0 && p <= 65_535, "a port (0 = any free port)").intValue(),
                s.value("pool.max", 8L, Long::parseLong, n -> n > 0 && n <= 1_000, "a pool size from 1 to 1000").intValue(),
                Duration.ofMillis(s.millis("connect-timeout", 30_000L)),
                Duration.ofMillis(s.value("pool.connection-timeout", 5_000L, TimeUtils::toMilliSeconds, ms -> ms >= 250,
                        "a duration of 250 ms or more (milliseconds, or e.g. 5s)")),
                new RestartPolicy(
                        s.between("embedded.restart.limit", 5, 0, 1_000),
                        Duration.ofMillis(s.millis("embedded.restart.period", 600_000L)),
                        Duration.ofMillis(s.millis("embedded.restart.delay", 1_000L))));
    }

    /** True when no {@code db.url} is set: Control Center runs its own PostgreSQL in {@link #dataDir()}. */
    public boolean embedded() {
        return url.isEmpty();
    }

    @Override
    public String toString() {
        return embedded() ? "embedded PostgreSQL in " + dataDir
                : "PostgreSQL at " + url + " as " + (user.isEmpty() ? "(no user)" : user)
                        + " (password " + (password.isEmpty() ? "not set" : "set") + ")";
    }

    /** Writes {@code url} without any {@code password=} parameter to {@code rest}; returns that password, or null. */
    static String splitPassword(String url, StringBuilder rest) {
        int q = url.indexOf('?');
        if (q < 0) {
            rest.append(url);
            return null;
        }
        String password = null;
        List<String> kept = new ArrayList<>();
        for (String param : url.substring(q + 1).split("&")) {
            if (param.toLowerCase(Locale.ROOT).startsWith("password=")) {
                password = URLDecoder.decode(param.substring("password=".length()), StandardCharsets.UTF_8);
            } else if (!param.isEmpty()) {
                kept.add(param);
            }
        }
        rest.append(url, 0, q);
        if (!kept.isEmpty()) {
            rest.append('?').append(String.join("&", kept));
        }
        return password;
    }
}
