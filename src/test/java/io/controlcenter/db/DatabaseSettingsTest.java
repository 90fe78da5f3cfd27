package io.controlcenter.db;

import java.nio.file.Path;
import java.time.Duration;

import io.controlcenter.support.ControlCenterApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The db.* settings: a wrong value fails the start naming its key; the password stays out of URL and text. */
class DatabaseSettingsTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "db.url, mysql://127.0.0.1/cc",
            "db.pool.max, 0",
            "db.connect-timeout, soon",
            "db.embedded.port, 70000"})
    void aWrongSettingFailsTheStartWithItsKeyNamed(String key, String value) {
        Exception e = assertThrows(Exception.class,
                () -> ControlCenterApp.start(StartFailures.closedGateway(), key, value).close());
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        assertTrue(messages.toString().contains(key + ": '" + value + "'"), messages.toString());
    }

    @Test
    void aPasswordParameterIsMovedOutOfTheUrl() {
        StringBuilder rest = new StringBuilder();
        assertEquals("p&w d", DatabaseSettings.splitPassword(
                "jdbc:postgresql://h:5432/cc?ssl=true&password=p%26w+d&ApplicationName=x", rest));
        assertEquals("jdbc:postgresql://h:5432/cc?ssl=true&ApplicationName=x", rest.toString());

        StringBuilder plain = new StringBuilder();
        assertNull(DatabaseSettings.splitPassword("jdbc:postgresql://h/cc", plain));
        assertEquals("jdbc:postgresql://h/cc", plain.toString());
    }

    @Test
    void theTextOfTheSettingsHasNoPassword() {
        DatabaseSettings s = new DatabaseSettings("jdbc:postgresql://h/cc", "cc", "top-secret", Path.of("/d"), 0, 8,
                Duration.ofSeconds(30), Duration.ofSeconds(5), new RestartPolicy(5, Duration.ofMinutes(10), Duration.ofSeconds(1)));
        assertFalse(s.toString().contains("top-secret"), s.toString());
        assertEquals("PostgreSQL at jdbc:postgresql://h/cc as cc (password set)", s.toString());
    }
}
