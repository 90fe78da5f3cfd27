package io.controlcenter.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded server's data directory ({@code db.embedded.data-dir}), made ready for it: created when missing, an
 * existing cluster kept, and a server that an earlier run left running on it (the JVM was killed) stopped first.
 */
final class DataDirectory {

    /** zonky's lock file in the data directory, held while a server started by a JVM runs on it. */
    static final String LOCK_FILE = "epg-lock";
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);

    private DataDirectory() {
    }

    /** Returns true when {@code dir} already holds a cluster, false when it is new (empty); fails on anything else. */
    static boolean prepare(Path dir) {
        try {
            Files.createDirectories(dir);
            if (Files.exists(dir.resolve("PG_VERSION"))) {
                stopOrphanedServer(dir);
                return true;
            }
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new DatabaseStartException("db.embedded.data-dir " + dir + " is not empty but holds no"
                            + " PostgreSQL data; empty it or set db.embedded.data-dir to another directory");
                }
            }
            return false;
        } catch (IOException e) {
            throw new DatabaseStartException("db.embedded.data-dir " + dir + ": " + e, e);
        }
    }

    private static void stopOrphanedServer(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw inUse(dir);
            }
            Optional<ProcessHandle> orphan = postmasterPid(dir).flatMap(ProcessHandle::of)
                    .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
            if (orphan.isPresent()) {
                stop(orphan.get(), dir);
            }
        } catch (OverlappingFileLockException e) {
            throw inUse(dir);
        }
    }

    private static void stop(ProcessHandle server, Path dir) {
        LOG.warn("Stopping the PostgreSQL server (pid {}) that an earlier run left running on {}", server.pid(), dir);
        server.destroy(); // SIGTERM: smart shutdown; its clients died with the earlier run
        try {
            server.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new DatabaseStartException("db.embedded.data-dir " + dir + ": PostgreSQL (pid " + server.pid()
                    + ") left running by an earlier run did not stop within 30 s; stop it and start again", e);
        }
    }

    /** The pid in {@code postmaster.pid} (the server running on {@code dir}, or the last one), if there is one. */
    static Optional<Long> postmasterPid(Path dir) {
        Path pidFile = dir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static DatabaseStartException inUse(Path dir) {
        return new DatabaseStartException("db.embedded.data-dir " + dir + " is in use by another running Control Center");
    }
}
