package io.controlcenter.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A db.embedded.data-dir that holds other files (not a PostgreSQL cluster) fails the start and is left untouched. */
class NonEmptyDataDirectoryTest {

    @Test
    void theStartFailsAndNamesTheDirectory() throws IOException {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")).toAbsolutePath(), "not-pg-");
        Files.writeString(dataDir.resolve("notes.txt"), "not a database");
        StartFailures.Failure f = StartFailures.start("db.url", "", "db.embedded.data-dir", dataDir.toString());
        assertTrue(f.exception().getMessage().contains("db.embedded.data-dir " + dataDir + " is not empty"),
                f.allMessages());
        try (var files = Files.list(dataDir)) {
            assertEquals(List.of(dataDir.resolve("notes.txt")), files.toList(), "nothing written into it");
        }
    }
}
