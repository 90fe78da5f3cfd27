package io.controlcenter.db;

import io.controlcenter.support.ControlCenterApp;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A db.url nothing listens on is retried until db.connect-timeout; then the start fails naming DB_URL and why. */
class UnreachableDatabaseTest {

    @Test
    void theStartFailsAfterTheConnectTimeout() {
        String url = "jdbc:postgresql://127.0.0.1:" + ControlCenterApp.freePort() + "/cc";
        StartFailures.Failure f = StartFailures.start("db.url", url, "db.user", "cc", "db.password", "secret-1",
                "db.connect-timeout", "1500");
        String message = f.exception().getMessage();
        assertTrue(message.startsWith("Cannot connect to PostgreSQL at DB_URL=" + url + " as DB_USER=cc: "), message);
        assertTrue(message.contains("refused"), message);
        assertTrue(message.contains("db.connect-timeout is 1500 ms"), message);
        assertTrue(f.took().toMillis() >= 1500, "waited " + f.took().toMillis() + " ms");
        assertTrue(f.took().toMillis() < 8000, "gave up " + f.took().toMillis() + " ms after the start");
        assertFalse(f.allMessages().contains("secret-1"), f.allMessages());
    }
}
