package io.controlcenter.db;

import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A wrong DB_PASSWORD fails the start at once (retrying cannot fix it) with a message that names DB_URL and the
 * server's reason, and never shows the password, also when it was given inside DB_URL.
 */
class WrongPasswordTest {

    private static final String WRONG = "wrong-secret-4711";

    @Test
    void theStartFailsAtOnceNamingDbUrlButNotThePassword() {
        StartFailures.Failure f = StartFailures.start("db.password", WRONG, "db.connect-timeout", "20s");
        String message = f.exception().getMessage();
        assertTrue(message.startsWith("Cannot connect to PostgreSQL at DB_URL=jdbc:postgresql://127.0.0.1:"
                + TestDatabase.port() + "/cc_test_"), message);
        assertTrue(message.contains("as DB_USER=" + TestDatabase.USER), message);
        assertTrue(message.contains("password authentication failed"), message);
        assertTrue(f.took().toSeconds() < 10, "no retries until db.connect-timeout: " + f.took());
        assertFalse(f.allMessages().contains(WRONG), f.allMessages());
        assertFalse(f.allMessages().contains(TestDatabase.PASSWORD), f.allMessages());
    }

    @Test
    void aPasswordInsideDbUrlIsNotShownEither() {
        String url = TestDatabase.url("postgres") + "?password=" + WRONG + "&ApplicationName=cc";
        StartFailures.Failure f = StartFailures.start("db.url", url, "db.user", TestDatabase.USER, "db.password", "");
        String message = f.exception().getMessage();
        assertTrue(message.contains("DB_URL=" + TestDatabase.url("postgres") + "?ApplicationName=cc as"), message);
        assertTrue(message.contains("password authentication failed"), message);
        assertFalse(f.allMessages().contains(WRONG), f.allMessages());
    }
}
