package io.controlcenter.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits at start until an external PostgreSQL server ({@code db.url}) accepts a connection, retrying for
 * {@code db.connect-timeout} while it is unreachable or starting up. A refusal that retrying cannot fix (wrong
 * password, unknown user or database) fails at once. The failure names DB_URL and the cause, never the password.
 */
final class ConnectionProbe {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionProbe.class);
    private static final long PAUSE_MS = 500;

    private ConnectionProbe() {
    }

    static void await(DatabaseSettings settings) {
        long started = System.nanoTime();
        long deadline = started + settings.connectTimeout().toNanos();
        int attempts = 0;
        while (true) {
            attempts++;
            long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
            try (Connection c = open(settings.url(), settings, remainingMs)) {
                return;
            } catch (SQLException e) {
                remainingMs = (deadline - System.nanoTime()) / 1_000_000;
                if (!retryable(e) || remainingMs <= 0) {
                    throw failure(settings, e, attempts, Duration.ofNanos(System.nanoTime() - started));
                }
                if (attempts == 1) {
                    LOG.info("Waiting up to {} ms for PostgreSQL at {}: {}", settings.connectTimeout().toMillis(), settings.url(),
                            redact(e.getMessage(), settings.password()));
                }
                sleep(Math.min(PAUSE_MS, remainingMs));
            }
        }
    }

    /** A new connection to {@code url} as the configured user; one attempt, given up after {@code timeoutMs}. */
    static Connection open(String url, DatabaseSettings settings, long timeoutMs) throws SQLException {
        return DriverManager.getConnection(url, properties(settings, timeoutMs));
    }

    private static Properties properties(DatabaseSettings settings, long remainingMs) {
        Properties p = new Properties();
        if (!settings.user().isEmpty()) {
            p.setProperty("user", settings.user());
        }
        if (!settings.password().isEmpty()) {
            p.setProperty("password", settings.password());
        }
        // one attempt may not outlast the overall wait (a silent host would otherwise hang for pgjdbc's 10 s)
        String seconds = String.valueOf(Math.max(1, Math.min(10, (remainingMs + 999) / 1000)));
        p.setProperty("connectTimeout", seconds);
        p.setProperty("loginTimeout", seconds);
        return p;
    }

    /** Connection exceptions (08), a server still starting (57P03) and too many connections (53300) may pass. */
    static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || "57P03".equals(state) || "53300".equals(state);
    }

    private static DatabaseStartException failure(DatabaseSettings settings, SQLException e, int attempts,
            Duration waited) {
        String cause = redact(String.valueOf(e.getMessage()), settings.password());
        String tried = retryable(e) ? " (gave up after " + attempts + " attempts in " + waited.toMillis()
                + " ms; db.connect-timeout is " + settings.connectTimeout().toMillis() + " ms)" : "";
        return new DatabaseStartException("Cannot connect to PostgreSQL at DB_URL=" + settings.url() + " as DB_USER="
                + (settings.user().isEmpty() ? "(not set)" : settings.user()) + ": " + cause + tried);
    }

    static String redact(String text, String secret) {
        return secret.isEmpty() || text == null ? text : text.replace(secret, "****");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseStartException("Interrupted while waiting for PostgreSQL");
        }
    }
}
