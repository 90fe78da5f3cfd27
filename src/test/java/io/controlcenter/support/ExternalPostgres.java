package io.controlcenter.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of the test's own, run from the programs zonky unpacked for {@link TestDatabase} (no system
 * package needed): made with {@code initdb} in a directory, started and stopped with {@code pg_ctl} on a port that
 * stays the same, so a test takes it away and brings it back as an operator would ({@code pg_ctl stop -m fast},
 * {@code pg_ctl start}). Applications log in as {@link TestDatabase#USER} with its password (scram-sha-256); the
 * superuser {@code postgres} uses trust. PostgreSQL refuses root: as root the programs run as nobody in a user
 * namespace ({@code unshare -U}), as zonky does.
 * <p>
 * {@link #withSmallDisk} gives the server a small filesystem of its own (a tmpfs mounted in a mount namespace that
 * only the server's processes see: needs root, {@code unshare} and {@code nsenter} from util-linux) for a tablespace
 * that a test fills up and then grows ({@link #growSmallDisk}), as an operator frees space.
 */
public final class ExternalPostgres implements AutoCloseable {

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path dir;
    private final Path bin;
    private final int port;
    private String smallDiskSize;

    private ExternalPostgres(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
    }

    /** Makes a new cluster in {@code dir}/data (initdb) with the role {@link TestDatabase#USER}; not started. */
    public static ExternalPostgres create(Path dir) throws IOException {
        return create(dir, TestDatabase.binaries());
    }

    /**
     * As {@link #create(Path)}, with the system's PostgreSQL (Debian's {@code postgresql} package, which .ci/run
     * installs): its programs include {@code pg_basebackup} for {@link #standbyOf}, the embedded server's do not.
     */
    public static ExternalPostgres createWithSystemServer(Path dir) throws IOException {
        Path bin;
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_basebackup"))
                    && Files.isExecutable(b.resolve("postgres"))).max(Path::compareTo).orElseThrow();
        } catch (IOException | java.util.NoSuchElementException e) {
            throw new IllegalStateException("the system's PostgreSQL server is not installed (/usr/lib/postgresql/*/bin"
                    + " with postgres and pg_basebackup; Debian: apt-get install postgresql, as .ci/run does)", e);
        }
        return create(dir, bin);
    }

    private static ExternalPostgres create(Path dir, Path bin) throws IOException {
        Files.createDirectories(dir);
        ExternalPostgres pg = new ExternalPostgres(dir, bin, ControlCenterApp.freePort());
        pg.run(pg.postgresUser(pg.bin.resolve("initdb").toString(), "-A", "trust", "-U", "postgres", "-E", "UTF-8",
                "--locale=C", "-D", pg.data().toString()));
        Path hba = pg.data().resolve("pg_hba.conf");
        Files.writeString(hba, "host all " + TestDatabase.USER + " 127.0.0.1/32 scram-sha-256\n" + Files.readString(hba));
        return pg;
    }

    /**
     * A streaming standby of {@code primary} (which runs) in {@code dir}/data, copied with {@code pg_basebackup -R}; on a
     * port of its own; not started.
     */
    public static ExternalPostgres standbyOf(ExternalPostgres primary, Path dir) throws IOException {
        Files.createDirectories(dir);
        ExternalPostgres standby = new ExternalPostgres(dir, primary.bin, ControlCenterApp.freePort());
        standby.run(standby.postgresUser(standby.bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p",
                String.valueOf(primary.port), "-U", "postgres", "-D", standby.data().toString(), "-R", "-X", "stream",
                "-c", "fast"));
        return standby;
    }

    /**
     * This server's data served at {@code other}'s address from its next start: the standby that an operator's
     * failover makes the new primary where the old one was (its address moved, as a virtual IP or DNS name does).
     */
    public ExternalPostgres atAddressOf(ExternalPostgres other) {
        return new ExternalPostgres(dir, bin, other.port);
    }

    /** Ends a standby's recovery: it becomes a primary that takes writes ({@code pg_ctl promote -w}). */
    public void promote() throws IOException {
        run(postgresUser(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-w", "-t", "60", "promote"));
    }

    /** From the next start, the directory {@link #smallDisk()} is a tmpfs of {@code size} (e.g. {@code 1m}). */
    public ExternalPostgres withSmallDisk(String size) {
        if (!ROOT) {
            throw new IllegalStateException("a small disk for the server needs root (mount in a mount namespace);"
                    + " run as root, as CI does");
        }
        this.smallDiskSize = size;
        return this;
    }

    /** Starts the server and waits until it accepts connections ({@code pg_ctl start -w}). */
    public void start() throws IOException {
        List<String> pgCtl = postgresUser(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", "60", "-o", "-p " + port
                        + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir, "start");
        if (smallDiskSize == null) {
            run(pgCtl);
            return;
        }
        Files.createDirectories(smallDisk());
        // the mount namespace lives as long as the server's processes: sh mounts, then becomes pg_ctl
        List<String> inNamespace = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs -o size=" + smallDiskSize + ",mode=0777 tmpfs '" + smallDisk() + "' && exec \"$@\"", "sh"));
        inNamespace.addAll(pgCtl);
        run(inNamespace);
    }

    /** Stops the server as an operator does ({@code pg_ctl stop -m fast}: sessions are ended, then a checkpoint). */
    public void stop() throws IOException {
        run(postgresUser(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop"));
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of {@code database} on this server. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Runs statements as the superuser on the database {@code database}. */
    public void sql(String database, String... statements) {
        try (Connection c = DriverManager.getConnection(url(database), "postgres", "");
             Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(String.join("; ", statements) + ": " + e.getMessage(), e);
        }
    }

    /** A number the superuser's query on the database {@code postgres} answers (its first column of its first row). */
    public long queryLong(String query) {
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
    }

    /** Creates the role {@link TestDatabase#USER} and a database {@code name} it owns. */
    public void createDatabase(String name) {
        sql("postgres", "CREATE ROLE " + TestDatabase.USER + " LOGIN PASSWORD '" + TestDatabase.PASSWORD + "'",
                "CREATE DATABASE " + name + " OWNER " + TestDatabase.USER);
    }

    /** The mount point of the small disk (a directory of the test's, a tmpfs only inside the server's namespace). */
    public Path smallDisk() {
        return dir.resolve("small-disk");
    }

    /** Grows the small disk to {@code size}, as freeing space would ({@code mount -o remount} in the server's namespace). */
    public void growSmallDisk(String size) throws IOException {
        run(List.of("nsenter", "-t", String.valueOf(postmasterPid()), "-m", "mount", "-o", "remount,size=" + size,
                smallDisk().toString()));
    }

    /** The server's main process, from {@code postmaster.pid}. */
    public long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(data().resolve("postmaster.pid")).get(0).trim());
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** The command, as nobody in a user namespace when this runs as root (PostgreSQL's programs refuse root). */
    private List<String> postgresUser(String... command) {
        List<String> full = new ArrayList<>(ROOT ? List.of("unshare", "-U") : List.of());
        full.addAll(List.of(command));
        return full;
    }

    private void run(List<String> command) throws IOException {
        Path out = Files.createTempFile(dir, "cmd-", ".out");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(out)
                        + tail(dir.resolve("server.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log);
        return "\nserver log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /** Stops the server at once if it runs (its data stays in the test's directory). */
    @Override
    public void close() throws IOException {
        if (Files.exists(data().resolve("postmaster.pid"))) {
            run(postgresUser(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop"));
        }
    }
}
