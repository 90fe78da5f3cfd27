package io.controlcenter.db;

import java.time.Duration;

import io.controlcenter.support.ControlCenterApp;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Boots the application expecting it to fail, and finds the database's reason in what the start threw. */
final class StartFailures {

    private StartFailures() {
    }

    /** The failure of a start with {@code overrides}, and how long the start took. */
    record Failure(DatabaseStartException exception, String allMessages, Duration took) {
    }

    static Failure start(String... overrides) {
        long started = System.nanoTime();
        Exception e = assertThrows(Exception.class, () -> ControlCenterApp.start(closedGateway(), overrides).close());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        StringBuilder messages = new StringBuilder();
        DatabaseStartException found = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
            if (t instanceof DatabaseStartException d && found == null) {
                found = d;
            }
        }
        assertNotNull(found, "no DatabaseStartException in:\n" + messages);
        return new Failure(found, messages.toString(), took);
    }

    /** A gateway URL nothing listens on: the application starts without a gateway and keeps retrying. */
    static String closedGateway() {
        return "ws://127.0.0.1:" + ControlCenterApp.freePort() + "/";
    }
}
