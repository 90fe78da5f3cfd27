package io.controlcenter.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * A failed database call as an operator reads it: what kind of failure it is (by its SQLSTATE), the server's or
 * driver's own message (never with the password), and what to do about it.
 *
 * @param kind    e.g. "PostgreSQL is unreachable", "PostgreSQL's disk is full"
 * @param state   the SQLSTATE, or "" when there is none
 * @param message the innermost message, on one line
 * @param advice  what to do, or "" when the message is all there is to say
 */
public record SqlFailure(String kind, String state, String message, String advice) {

    /** Classifies {@code failure} (a cause or next exception of it may carry the SQLSTATE); {@code secret} is redacted. */
    public static SqlFailure of(Throwable failure, String secret) {
        SQLException innermost = null;
        boolean poolTimeout = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e) {
                poolTimeout |= e instanceof SQLTransientConnectionException;
                for (SQLException s = e; s != null; s = s.getNextException()) {
                    if (s.getSQLState() != null || innermost == null) {
                        innermost = s;
                    }
                }
            }
        }
        String message = ConnectionProbe.redact(oneLine(innermost != null ? innermost.getMessage()
                : failure == null ? "(no message)" : failure.toString()), secret);
        String state = innermost == null || innermost.getSQLState() == null ? "" : innermost.getSQLState();
        return classify(state, poolTimeout, message);
    }

    private static SqlFailure classify(String state, boolean poolTimeout, String message) {
        if (state.startsWith("08") || state.startsWith("57P") || (poolTimeout && state.isEmpty())) {
            return new SqlFailure("PostgreSQL is unreachable", state, message,
                    "check that the server runs and accepts connections (DB_URL; the embedded one is restarted by itself)");
        }
        if ("53100".equals(state)) {
            return new SqlFailure("PostgreSQL's disk is full", state, message,
                    "free space on the disk that holds the server's data directory");
        }
        if (state.startsWith("53")) {
            return new SqlFailure("PostgreSQL is out of resources", state, message,
                    "see the server's log (memory, connections: db.pool.max against max_connections)");
        }
        if ("25006".equals(state)) {
            return new SqlFailure("PostgreSQL accepts no writes (read-only)", state, message,
                    "DB_URL must name the primary, not a standby");
        }
        return new SqlFailure("PostgreSQL refused the write", state, message, "");
    }

    /** The kind, the message, the SQLSTATE and what to do, as one sentence for a log line or a health check. */
    public String describe() {
        return kind + ": " + message + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")")
                + (advice.isEmpty() ? "" : "; " + advice);
    }

    private static String oneLine(String text) {
        return text == null ? "(no message)" : text.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
